package dev.kubelogs.job.enrich;

import dev.kubelogs.job.source.SpoolRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The node's attributes (availability zone, instance id, …) from each segment's header, in keyed state, for the
 * host and dataplane events that carry them. Read from state once per key and kept until a header changes them.
 */
public final class NodeAttributes {
    private MapState<String, String> nodeAttributes;
    private Map<String, Map<String, String>> cache;

    public void open(RuntimeContext state) {
        nodeAttributes = state.getMapState(new MapStateDescriptor<>("node-attributes", Types.STRING, Types.STRING));
        cache = new HashMap<>();
    }

    /** A segment's header: its attributes replace the node's when they differ. */
    public void remember(SpoolRecord segment) throws Exception {
        Map<String, String> attrs = new HashMap<>();
        for (int i = 0; i + 1 < segment.attributes.length; i += 2) {
            attrs.put(segment.attributes[i], segment.attributes[i + 1]);
        }
        if (!attrs.equals(cache.get(segment.nodeKey()))) {
            nodeAttributes.clear();
            nodeAttributes.putAll(attrs);
            cache.put(segment.nodeKey(), attrs);
        }
    }

    /** The attributes of node {@code key}. */
    public Map<String, String> of(String key) throws Exception {
        Map<String, String> attrs = cache.get(key);
        if (attrs == null) {
            attrs = new HashMap<>();
            for (Map.Entry<String, String> e : nodeAttributes.entries()) {
                attrs.put(e.getKey(), e.getValue());
            }
            cache.put(key, attrs);
        }
        return attrs;
    }
}
