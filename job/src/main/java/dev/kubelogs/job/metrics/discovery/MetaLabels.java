package dev.kubelogs.job.metrics.discovery;

import dev.kubelogs.job.metrics.model.Labels;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.TreeMap;

/** Label names of Prometheus' kubernetes_sd and the object metadata labels every role adds. */
final class MetaLabels {
    static final String ADDRESS = "__address__";
    static final String INSTANCE = "instance";
    static final String PREFIX = "__meta_kubernetes_";
    static final String NAMESPACE = PREFIX + "namespace";
    static final String PRESENT = "true";

    private MetaLabels() {}

    /** Prometheus' strutil.SanitizeLabelName: every character outside [a-zA-Z0-9_] becomes '_'. */
    static String sanitize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        name.codePoints().forEach(c -> sb.append(isLabelChar(c) ? (char) c : '_'));
        return sb.toString();
    }

    private static boolean isLabelChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /**
     * {@code __meta_kubernetes_<role>_name}, {@code _label_*}, {@code _labelpresent_*}, {@code _annotation_*},
     * {@code _annotationpresent_*} (Prometheus' addObjectMetaLabels). Keys are visited sorted, so of two keys that
     * sanitise to one name the last in order wins, every time.
     */
    static void addObjectMeta(Labels.Builder b, String role, ObjectMeta meta) {
        String prefix = PREFIX + role;
        b.set(prefix + "_name", meta.getName());
        addMap(b, prefix + "_label_", prefix + "_labelpresent_", meta.getLabels());
        addMap(b, prefix + "_annotation_", prefix + "_annotationpresent_", meta.getAnnotations());
    }

    private static void addMap(Labels.Builder b, String valuePrefix, String presentPrefix, Map<String, String> map) {
        if (map == null) {
            return;
        }
        new TreeMap<>(map).forEach((k, v) -> {
            String name = sanitize(k);
            b.set(valuePrefix + name, v);
            b.set(presentPrefix + name, PRESENT);
        });
    }

    /** Go's net.JoinHostPort: an IPv6 host is bracketed. */
    static String joinHostPort(String host, long port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Copies {@code target} over {@code group}: a target label wins, as in Prometheus' PopulateLabels. */
    static Labels merge(Labels group, Labels target) {
        Labels.Builder b = group.toBuilder();
        target.forEach(b::set);
        return b.build();
    }

    static String key(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
