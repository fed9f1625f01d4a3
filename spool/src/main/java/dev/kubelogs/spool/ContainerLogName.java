package dev.kubelogs.spool;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a container log file's name says about its container: the kubelet names the files it links under
 * {@code /var/log/containers} {@code <pod>_<namespace>_<container>-<64 hex container id>.log}. The collector reads
 * it to ask the kubelet early about a pod it does not know; the job, to match a line to its pod's POD record
 * ({@link PodRecord}) and for the {@code kubernetes} fields of a line whose pod is unknown.
 */
public record ContainerLogName(String podName, String namespace, String containerName, String containerId) {

    // Fluent Bit's KUBE_TAG_TO_REGEX (plugins/filter_kubernetes/kube_regex.h), with Java's group syntax
    private static final Pattern KUBE_TAG = Pattern.compile("(?<pod>[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
            + "(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)_(?<ns>[^_]+)_(?<container>.+)-(?<id>[a-z0-9]{64})\\.log$");

    /**
     * The fields of a file name (no directory), or null when it does not follow the kubelet's pattern (e.g. a name
     * truncated at 255 characters).
     */
    public static ContainerLogName parse(String fileName) {
        Matcher m = KUBE_TAG.matcher(fileName);
        if (!m.lookingAt()) {
            return null;
        }
        return new ContainerLogName(m.group("pod"), m.group("ns"), m.group("container"), m.group("id"));
    }

    /** The file name the kubelet gives this container's log. */
    public String fileName() {
        return podName + "_" + namespace + "_" + containerName + "-" + containerId + ".log";
    }
}
