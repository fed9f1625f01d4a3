package dev.kubelogs.job.merge;

import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;

/**
 * The keys of one map state per node key, read from state once and then kept in step by the stage that owns the
 * state, so that a lookup of a key that is not there reads no state.
 */
public final class StateKeys {
    private final MapState<String, ?> state;
    private final PerKey<Holder> views = new PerKey<>(Holder::new);

    public StateKeys(MapState<String, ?> state) {
        this.state = state;
    }

    /** The keys in the state of node key {@code key}; the owner adds and removes as it writes the state. */
    public Set<String> of(String key) throws Exception {
        Holder view = views.of(key);
        if (view.keys == null) {
            view.keys = new HashSet<>();
            for (String k : state.keys()) {
                view.keys.add(k);
            }
        }
        return view.keys;
    }

    private static final class Holder {
        Set<String> keys;
    }
}
