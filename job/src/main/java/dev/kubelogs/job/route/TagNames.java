package dev.kubelogs.job.route;

/**
 * Fluent Bit's tag and stream naming, reproduced so that users keep their log streams.
 *
 * <p>in_tail replaces the {@code *} of its Tag with the file path, turning {@code /}, {@code \} and
 * {@code :} into dots and dropping a dot that would follow another (tail_file.c tag_compose);
 * cloudwatch_logs then names the stream {@code log_stream_prefix + tag}.
 */
public final class TagNames {
    private TagNames() {}

    /** {@code tailTag("application.", "/var/log/containers/x.log")} = {@code application.var.log.containers.x.log}. */
    public static String tailTag(String tagPrefix, String path) {
        StringBuilder tag = new StringBuilder(tagPrefix.length() + path.length());
        tag.append(tagPrefix);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/' || c == '\\' || c == ':') {
                c = '.';
            }
            if (c == '.' && (tag.length() == 0 || tag.charAt(tag.length() - 1) == '.')) {
                continue;
            }
            tag.append(c);
        }
        return tag.toString();
    }

    /** Application container file: {@code <node>-application.var.log.containers.<file>}. */
    public static String applicationStream(String node, String path) {
        return node + "-" + tailTag("application.", path);
    }

    /** aws-node / kube-proxy container file: {@code <node>-dataplane.tail.var.log.containers.<file>}. */
    public static String dataplaneTailStream(String node, String path) {
        return node + "-" + tailTag("dataplane.tail.", path);
    }

    /** Journald unit: {@code <node>-dataplane.systemd.<unit>} ({@code unknown} when the unit is missing). */
    public static String dataplaneSystemdStream(String node, String unit) {
        return node + "-dataplane.systemd." + (unit == null || unit.isEmpty() ? "unknown" : unit);
    }

    /** Host logs use a dot after the node name: {@code <node>.host.messages}. */
    public static String hostStream(String node, String hostLogName) {
        return node + ".host." + hostLogName;
    }

    /** The file name part of a path. */
    public static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
