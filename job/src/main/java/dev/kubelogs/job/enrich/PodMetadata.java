package dev.kubelogs.job.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.parse.Json;
import java.io.IOException;

/**
 * A pod metadata record the collector spooled from the kubelet's {@code /pods}:
 * {@code {"event":"upsert"|"delete","namespace","name","uid","podIp","nodeName","labels","annotations","containers":[{"name","containerId","imageId","image"}]}}.
 */
public final class PodMetadata {
    /** Pod annotation that opts a pod's logs out (our own, like fluentbit.io/exclude with K8S-Logging.Exclude On). */
    public static final String EXCLUDE_ANNOTATION = "kubelogs.dev/exclude";
    /** Pod annotation naming the multiline rule set for its containers ("none" turns joining off). */
    public static final String MULTILINE_ANNOTATION = "kubelogs.dev/multiline";

    private final JsonNode json;
    /** Written kubernetes blocks by container entry (identity: the entries of this record's tree). */
    private final java.util.IdentityHashMap<JsonNode, String> writtenBlocks = new java.util.IdentityHashMap<>();
    private int writtenBlocksFlags = -1;

    private PodMetadata(JsonNode json) {
        this.json = json;
    }

    public static PodMetadata parse(byte[] bytes) throws IOException {
        JsonNode node = Json.MAPPER.readTree(bytes);
        if (node == null || !node.isObject() || !node.path("namespace").isTextual() || !node.path("name").isTextual()) {
            throw new IOException("pod metadata record without namespace and name");
        }
        return new PodMetadata(node);
    }

    public static PodMetadata parse(String text) throws IOException {
        return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public boolean isDelete() {
        return "delete".equals(json.path("event").asText());
    }

    public String key() {
        return key(json.path("namespace").asText(), json.path("name").asText());
    }

    public static String key(String namespace, String pod) {
        return namespace + "/" + pod;
    }

    public String toJson() {
        return EventJson.write(json);
    }

    public boolean excluded() {
        String v = annotation(EXCLUDE_ANNOTATION);
        return v != null && (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("on") || v.equals("1"));
    }

    public String annotation(String name) {
        JsonNode v = json.path("annotations").get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The status entry of the container with exactly this id, or null. */
    public JsonNode container(String containerId) {
        for (JsonNode c : json.path("containers")) {
            if (containerId.equals(c.path("containerId").asText())) {
                return c;
            }
        }
        return null;
    }

    /**
     * The {@code kubernetes} block as Fluent Bit's kubernetes filter builds it from the kubelet's pod:
     * pod_name, namespace_name, pod_id, [labels], [annotations], host, pod_ip, container_name, docker_id,
     * container_hash (imageID without its {@code xxx://} prefix), container_image.
     */
    public ObjectNode kubernetesBlock(JsonNode container, boolean labels, boolean annotations) {
        ObjectNode k = JsonNodeFactory.instance.objectNode();
        k.put("pod_name", json.path("name").asText());
        k.put("namespace_name", json.path("namespace").asText());
        putIfNotEmpty(k, "pod_id", json.path("uid").asText(""));
        if (labels && json.path("labels").isObject() && json.path("labels").size() > 0) {
            k.set("labels", json.path("labels").deepCopy());
        }
        if (annotations && json.path("annotations").isObject() && json.path("annotations").size() > 0) {
            k.set("annotations", json.path("annotations").deepCopy());
        }
        putIfNotEmpty(k, "host", json.path("nodeName").asText(""));
        putIfNotEmpty(k, "pod_ip", json.path("podIp").asText(""));
        k.put("container_name", container.path("name").asText());
        k.put("docker_id", container.path("containerId").asText());
        putIfNotEmpty(k, "container_hash", stripScheme(container.path("imageId").asText("")));
        putIfNotEmpty(k, "container_image", container.path("image").asText(""));
        return k;
    }

    /**
     * {@link #kubernetesBlock} written as JSON, once per container: every line of a container carries the same block.
     */
    public String kubernetesJson(JsonNode container, boolean labels, boolean annotations) {
        int flags = (labels ? 1 : 0) | (annotations ? 2 : 0);
        if (flags != writtenBlocksFlags) {
            writtenBlocks.clear();
            writtenBlocksFlags = flags;
        }
        return writtenBlocks.computeIfAbsent(container, c -> EventJson.write(kubernetesBlock(c, labels, annotations)));
    }

    static String stripScheme(String imageId) {
        int scheme = imageId.indexOf("://");
        return scheme < 0 ? imageId : imageId.substring(scheme + 3);
    }

    private static void putIfNotEmpty(ObjectNode k, String key, String value) {
        if (value != null && !value.isEmpty()) {
            k.put(key, value);
        }
    }
}
