package dev.kubelogs.collector.kubelet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the POD record JSON from a kubelet PodList item:
 * <pre>
 * {"event":"upsert"|"delete","observedAt":millis,"namespace":..,"name":..,"uid":..,"podIp":..,"nodeName":..,
 *  "labels":{..},"annotations":{..},"containers":[{"name":..,"containerId":"64 hex, runtime prefix stripped",
 *  "imageId":..,"image":..}]}
 * </pre>
 * containers lists status.containerStatuses, then initContainerStatuses, then ephemeralContainerStatuses
 * (statuses without a containerID yet are listed with containerId "").
 * Trees are {@link Json} values; the bytes, and so the hashes, are the same as when they were Jackson {@code JsonNode}s.
 */
public final class PodMetadata {
    private PodMetadata() {
    }

    /** The record content without event/observedAt, or null if the item has no namespace or name. */
    public static Map<String, Object> content(Object pod) {
        Object meta = Json.get(pod, "metadata");
        String ns = Json.text(Json.get(meta, "namespace"), "");
        String name = Json.text(Json.get(meta, "name"), "");
        if (ns.isEmpty() || name.isEmpty()) {
            return null;
        }
        Object status = Json.get(pod, "status");
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("namespace", ns);
        o.put("name", name);
        o.put("uid", Json.text(Json.get(meta, "uid"), ""));
        o.put("podIp", Json.text(Json.get(status, "podIP"), ""));
        o.put("nodeName", Json.text(Json.get(Json.get(pod, "spec"), "nodeName"), ""));
        o.put("labels", stringMap(Json.get(meta, "labels")));
        o.put("annotations", stringMap(Json.get(meta, "annotations")));
        List<Object> containers = new ArrayList<>();
        o.put("containers", containers);
        for (String field : new String[] {"containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"}) {
            for (Object cs : Json.elements(Json.get(status, field))) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("name", Json.text(Json.get(cs, "name"), ""));
                c.put("containerId", stripRuntime(Json.text(Json.get(cs, "containerID"), "")));
                c.put("imageId", Json.text(Json.get(cs, "imageID"), ""));
                c.put("image", Json.text(Json.get(cs, "image"), ""));
                containers.add(c);
            }
        }
        return o;
    }

    private static Map<String, Object> stringMap(Object n) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (n instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                m.put((String) e.getKey(), e.getValue() instanceof String s ? s : Json.string(e.getValue()));
            }
        }
        return m;
    }

    /** {@code containerd://abc} → {@code abc}. */
    public static String stripRuntime(String id) {
        int i = id.indexOf("://");
        return i >= 0 ? id.substring(i + 3) : id;
    }

    public static String key(Map<String, Object> content) {
        return content.get("namespace") + "/" + content.get("name");
    }

    /** A stable hash of the content (without observedAt). */
    public static String hash(Map<String, Object> content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Json.bytes(content));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] upsert(Map<String, Object> content, long observedAt) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("event", "upsert");
        o.put("observedAt", observedAt);
        o.putAll(content);
        return Json.string(o).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] delete(String namespace, String name, String uid, long observedAt) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("event", "delete");
        o.put("observedAt", observedAt);
        o.put("namespace", namespace);
        o.put("name", name);
        o.put("uid", uid);
        return Json.string(o).getBytes(StandardCharsets.UTF_8);
    }
}
