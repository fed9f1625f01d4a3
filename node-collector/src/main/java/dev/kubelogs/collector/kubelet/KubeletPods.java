package dev.kubelogs.collector.kubelet;

import dev.kubelogs.spool.PodRecord;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a kubelet PodList item ({@link JsonTree} values) into the spool's POD record: containers lists
 * status.containerStatuses, then initContainerStatuses, then ephemeralContainerStatuses (statuses without a
 * containerID yet are listed with containerId ""; the ephemeral ones are marked, as Fluent Bit's kubernetes filter gives
 * them no image fields); label and annotation values that are not strings are written as
 * their JSON text. The records, and so the hashes, are the same bytes as when they were Jackson {@code JsonNode}s
 * (but for the ephemeral mark, which changes the hash of a pod with an ephemeral container once).
 */
public final class KubeletPods {
    private KubeletPods() {}

    /** The upsert record of a PodList item, or null if the item has no namespace or name. */
    public static PodRecord upsert(Object pod, long observedAt) {
        Object meta = JsonTree.get(pod, "metadata");
        String ns = JsonTree.text(JsonTree.get(meta, "namespace"), "");
        String name = JsonTree.text(JsonTree.get(meta, "name"), "");
        if (ns.isEmpty() || name.isEmpty()) {
            return null;
        }
        Object status = JsonTree.get(pod, "status");
        List<PodRecord.Container> containers = new ArrayList<>();
        for (String field : new String[] {"containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"}) {
            for (Object cs : JsonTree.elements(JsonTree.get(status, field))) {
                containers.add(new PodRecord.Container(
                        JsonTree.text(JsonTree.get(cs, "name"), ""),
                        stripRuntime(JsonTree.text(JsonTree.get(cs, "containerID"), "")),
                        JsonTree.text(JsonTree.get(cs, "imageID"), ""),
                        JsonTree.text(JsonTree.get(cs, "image"), ""),
                        field.equals("ephemeralContainerStatuses")));
            }
        }
        return PodRecord.upsert(
                observedAt,
                ns,
                name,
                JsonTree.text(JsonTree.get(meta, "uid"), ""),
                JsonTree.text(JsonTree.get(status, "podIP"), ""),
                JsonTree.text(JsonTree.get(JsonTree.get(pod, "spec"), "nodeName"), ""),
                stringMap(JsonTree.get(meta, "labels")),
                stringMap(JsonTree.get(meta, "annotations")),
                containers);
    }

    private static Map<String, String> stringMap(Object n) {
        Map<String, String> m = new LinkedHashMap<>();
        if (n instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                m.put((String) e.getKey(), e.getValue() instanceof String s ? s : JsonTree.string(e.getValue()));
            }
        }
        return m;
    }

    /** {@code containerd://abc} → {@code abc}. */
    public static String stripRuntime(String id) {
        int i = id.indexOf("://");
        return i >= 0 ? id.substring(i + 3) : id;
    }

    /** A stable hash of what the kubelet says of the pod (the record without event and observedAt). */
    public static String hash(PodRecord record) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(record.contentJson());
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
