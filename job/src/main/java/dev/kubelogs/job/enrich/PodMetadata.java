package dev.kubelogs.job.enrich;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.spool.ContainerLogName;
import dev.kubelogs.spool.PodRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A pod as the job enriches its lines: the collector's POD record ({@link PodRecord}), whether the pod opted out,
 * its multiline annotation, and the {@code kubernetes} block of each of its containers, written once.
 */
public final class PodMetadata {
    /** Pod annotation that opts a pod's logs out (our own, like fluentbit.io/exclude with K8S-Logging.Exclude On). */
    public static final String EXCLUDE_ANNOTATION = "kubelogs.dev/exclude";
    /** Pod annotation naming the multiline rule set for its containers ("none" turns joining off). */
    public static final String MULTILINE_ANNOTATION = "kubelogs.dev/multiline";

    private final PodRecord record;
    /** Written kubernetes blocks by container entry (identity: the entries of this record). */
    private final Map<PodRecord.Container, String> writtenBlocks = new IdentityHashMap<>();

    private int writtenBlocksFlags = -1;

    private PodMetadata(PodRecord record) {
        this.record = record;
    }

    public static PodMetadata parse(byte[] bytes) throws IOException {
        return new PodMetadata(PodRecord.parse(bytes));
    }

    public static PodMetadata parse(String text) throws IOException {
        return new PodMetadata(PodRecord.parse(text));
    }

    public boolean isDelete() {
        return record.isDelete();
    }

    public String key() {
        return record.key();
    }

    public static String key(String namespace, String pod) {
        return PodRecord.key(namespace, pod);
    }

    /** The record as kept in keyed state. */
    public String toJson() {
        return new String(record.toJson(), StandardCharsets.UTF_8);
    }

    public boolean excluded() {
        String v = annotation(EXCLUDE_ANNOTATION);
        return v != null && (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("on") || v.equals("1"));
    }

    /** All the pod's annotations. */
    public Map<String, String> annotations() {
        return record.annotations();
    }

    public String annotation(String name) {
        return record.annotations().get(name);
    }

    /** The status entry of the container with exactly this id, or null. */
    public PodRecord.Container container(String containerId) {
        return record.container(containerId);
    }

    /**
     * The container of this pod that a file name names, when the pod's status has no container with the file's id
     * (a line of a container's earlier instance, or of one the kubelet has not reported yet): Fluent Bit's
     * kubernetes filter finds the pod by name and the status entry by container name (kube_meta.c
     * extract_container_hash), keeping the file name's container id as docker_id. So the block gets the pod's
     * fields and, from the status entry of that name if there is one, its image and image id. It looks in
     * containerStatuses and initContainerStatuses only: an ephemeral container's entry gives no image.
     */
    public PodRecord.Container namesake(ContainerLogName name) {
        for (PodRecord.Container c : record.containers()) {
            if (!c.ephemeral() && c.name().equals(name.containerName())) {
                return new PodRecord.Container(name.containerName(), name.containerId(), c.imageId(), c.image());
            }
        }
        return new PodRecord.Container(name.containerName(), name.containerId(), "", "");
    }

    /**
     * The {@code kubernetes} block as Fluent Bit's kubernetes filter builds it from the kubelet's pod:
     * pod_name, namespace_name, pod_id, [labels], [annotations], host, pod_ip, container_name, docker_id,
     * container_hash ({@link #containerHash}), container_image. An ephemeral container has no
     * container_hash nor container_image: Fluent Bit reads them from containerStatuses and initContainerStatuses
     * only (kube_meta.c extract_container_hash), never from ephemeralContainerStatuses.
     */
    public ObjectNode kubernetesBlock(PodRecord.Container container, boolean labels, boolean annotations) {
        ObjectNode k = JsonNodeFactory.instance.objectNode();
        k.put("pod_name", record.name());
        k.put("namespace_name", record.namespace());
        putIfNotEmpty(k, "pod_id", record.uid());
        if (labels && !record.labels().isEmpty()) {
            record.labels().forEach(k.putObject("labels")::put);
        }
        if (annotations && !record.annotations().isEmpty()) {
            record.annotations().forEach(k.putObject("annotations")::put);
        }
        putIfNotEmpty(k, "host", record.nodeName());
        putIfNotEmpty(k, "pod_ip", record.podIp());
        k.put("container_name", container.name());
        k.put("docker_id", container.containerId());
        if (!container.ephemeral()) {
            putIfNotEmpty(k, "container_hash", containerHash(container.imageId()));
            putIfNotEmpty(k, "container_image", container.image());
        }
        return k;
    }

    /**
     * {@link #kubernetesBlock} written as JSON, once per container: every line of a container carries the same block.
     */
    public String kubernetesJson(PodRecord.Container container, boolean labels, boolean annotations) {
        int flags = (labels ? 1 : 0) | (annotations ? 2 : 0);
        if (flags != writtenBlocksFlags) {
            writtenBlocks.clear();
            writtenBlocksFlags = flags;
        }
        return writtenBlocks.computeIfAbsent(container, c -> EventJson.write(kubernetesBlock(c, labels, annotations)));
    }

    /**
     * The {@code kubernetes} block when no pod metadata is known: only the fields the file name gives, in the order
     * Fluent Bit writes them for a pod missing from the kubelet's list.
     */
    public static ObjectNode fileNameBlock(ContainerLogName name) {
        ObjectNode k = JsonNodeFactory.instance.objectNode();
        k.put("pod_name", name.podName());
        k.put("namespace_name", name.namespace());
        k.put("container_name", name.containerName());
        k.put("docker_id", name.containerId());
        return k;
    }

    /**
     * container_hash as Fluent Bit cuts it from imageID (kube_meta.c extract_hash): the part after the slashes that
     * follow the first colon, the whole id when no slash follows it; null (no field) for an id without a colon,
     * of one character, or with nothing after the slashes.
     */
    static String containerHash(String imageId) {
        int colon = imageId.indexOf(':');
        if (imageId.length() <= 1 || colon < 0) {
            return null;
        }
        int end = colon;
        while (end + 1 < imageId.length() && imageId.charAt(end + 1) == '/') {
            end++;
        }
        if (end == colon) {
            return imageId;
        }
        return end + 1 == imageId.length() ? null : imageId.substring(end + 1);
    }

    private static void putIfNotEmpty(ObjectNode k, String key, String value) {
        if (value != null && !value.isEmpty()) {
            k.put(key, value);
        }
    }
}
