package dev.kubelogs.job.enrich;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a container log file name says about its pod: Fluent Bit's KUBE_TAG_TO_REGEX applied to
 * {@code <pod>_<namespace>_<container>-<64 hex id>.log}.
 */
public record KubernetesFileName(String podName, String namespace, String containerName, String dockerId) {

    // plugins/filter_kubernetes/kube_regex.h, with Java's group syntax
    private static final Pattern KUBE_TAG = Pattern.compile(
            "(?<pod>[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)_(?<ns>[^_]+)_(?<container>.+)-(?<id>[a-z0-9]{64})\\.log$");

    /** Null when the name does not follow the kubelet's pattern (e.g. truncated at 255 characters). */
    public static KubernetesFileName parse(String fileName) {
        Matcher m = KUBE_TAG.matcher(fileName);
        if (!m.lookingAt()) {
            return null;
        }
        return new KubernetesFileName(m.group("pod"), m.group("ns"), m.group("container"), m.group("id"));
    }

    /**
     * The {@code kubernetes} block when no pod metadata is known: only the fields the name gives, in
     * the order Fluent Bit writes them for a pod missing from the kubelet's list.
     */
    public ObjectNode toKubernetesBlock() {
        ObjectNode k = JsonNodeFactory.instance.objectNode();
        k.put("pod_name", podName);
        k.put("namespace_name", namespace);
        k.put("container_name", containerName);
        k.put("docker_id", dockerId);
        return k;
    }
}
