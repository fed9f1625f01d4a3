package dev.kubelogs.spool;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The header of a segment: who wrote it, its sequence number, when, and the node's attributes (az, ec2_instance_id, ...). */
public record SegmentHeader(
        String cluster, String node, long seq, long createdAtMillis, Map<String, String> nodeAttributes) {

    public SegmentHeader {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(node, "node");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0: " + seq);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        if (nodeAttributes != null) {
            for (Map.Entry<String, String> e : nodeAttributes.entrySet()) {
                copy.put(
                        Objects.requireNonNull(e.getKey(), "attribute key"),
                        Objects.requireNonNull(e.getValue(), "attribute value of " + e.getKey()));
            }
        }
        nodeAttributes = Collections.unmodifiableMap(copy);
    }
}
