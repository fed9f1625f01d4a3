package dev.kubelogs.collector.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/** The collector's PodMetadata as it was with Jackson databind (the reference for KubeletPodsTest).
 *
 * Builds the POD record JSON from a kubelet PodList item:
 * <pre>
 * {"event":"upsert"|"delete","observedAt":millis,"namespace":..,"name":..,"uid":..,"podIp":..,"nodeName":..,
 *  "labels":{..},"annotations":{..},"containers":[{"name":..,"containerId":"64 hex, runtime prefix stripped",
 *  "imageId":..,"image":..}]}
 * </pre>
 * containers lists status.containerStatuses, then initContainerStatuses, then ephemeralContainerStatuses
 * (statuses without a containerID yet are listed with containerId ""; an ephemeral one gets "ephemeral":true, the one
 * field added since).
 */
final class DatabindPodMetadata {
    static final ObjectMapper JSON = new ObjectMapper();

    private DatabindPodMetadata() {}

    /** The record content without event/observedAt, or null if the item has no namespace or name. */
    public static ObjectNode content(JsonNode pod) {
        JsonNode meta = pod.path("metadata");
        String ns = meta.path("namespace").asText("");
        String name = meta.path("name").asText("");
        if (ns.isEmpty() || name.isEmpty()) {
            return null;
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("namespace", ns);
        o.put("name", name);
        o.put("uid", meta.path("uid").asText(""));
        o.put("podIp", pod.path("status").path("podIP").asText(""));
        o.put("nodeName", pod.path("spec").path("nodeName").asText(""));
        o.set("labels", stringMap(meta.path("labels")));
        o.set("annotations", stringMap(meta.path("annotations")));
        ArrayNode containers = o.putArray("containers");
        for (String field : new String[] {"containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"}) {
            for (JsonNode cs : pod.path("status").path(field)) {
                ObjectNode c = containers.addObject();
                c.put("name", cs.path("name").asText(""));
                c.put("containerId", stripRuntime(cs.path("containerID").asText("")));
                c.put("imageId", cs.path("imageID").asText(""));
                c.put("image", cs.path("image").asText(""));
                if (field.equals("ephemeralContainerStatuses")) {
                    c.put("ephemeral", true);
                }
            }
        }
        return o;
    }

    private static ObjectNode stringMap(JsonNode n) {
        ObjectNode m = JSON.createObjectNode();
        if (n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(
                        e.getKey(),
                        e.getValue().isTextual()
                                ? e.getValue().asText()
                                : e.getValue().toString());
            }
        }
        return m;
    }

    /** {@code containerd://abc} → {@code abc}. */
    public static String stripRuntime(String id) {
        int i = id.indexOf("://");
        return i >= 0 ? id.substring(i + 3) : id;
    }

    public static String key(ObjectNode content) {
        return content.get("namespace").asText() + "/" + content.get("name").asText();
    }

    /** A stable hash of the content (without observedAt). */
    public static String hash(ObjectNode content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(content));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] upsert(ObjectNode content, long observedAt) {
        ObjectNode o = JSON.createObjectNode();
        o.put("event", "upsert");
        o.put("observedAt", observedAt);
        o.setAll(content);
        return bytes(o);
    }

    public static byte[] delete(String namespace, String name, String uid, long observedAt) {
        ObjectNode o = JSON.createObjectNode();
        o.put("event", "delete");
        o.put("observedAt", observedAt);
        o.put("namespace", namespace);
        o.put("name", name);
        o.put("uid", uid);
        return bytes(o);
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
