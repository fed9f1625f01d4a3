package dev.kubelogs.launcher.cluster;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A keyed state backend a local cluster can run with in place of the production file's, with the TaskManager memory
 * split that goes with it: RocksDB keeps its state in Flink's managed memory (Flink's default fraction, 0.4 of the
 * TaskManager's Flink memory), while the heap backend keeps its state as objects on the task heap and has no use for
 * managed memory in a streaming job, so that memory goes to the heap. RocksDB checkpoints incrementally; the heap backend
 * always writes its state in full.
 */
public enum ClusterStateBackend {
    ROCKSDB("rocksdb", "0.4", true),
    HASHMAP("hashmap", "0", false);

    static final String TYPE = "state.backend.type";
    static final String MANAGED_FRACTION = "taskmanager.memory.managed.fraction";
    static final String INCREMENTAL = "execution.checkpointing.incremental";

    private final String flinkName;
    private final String managedFraction;
    private final boolean incremental;

    ClusterStateBackend(String flinkName, String managedFraction, boolean incremental) {
        this.flinkName = flinkName;
        this.managedFraction = managedFraction;
        this.incremental = incremental;
    }

    /** The backend Flink's {@code state.backend.type} calls {@code name}; an error naming the choices otherwise. */
    public static ClusterStateBackend named(String name) {
        for (ClusterStateBackend b : values()) {
            if (b.flinkName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown state backend '" + name + "': "
                + Arrays.stream(values()).map(ClusterStateBackend::flinkName).collect(Collectors.joining(" or ")));
    }

    public String flinkName() {
        return flinkName;
    }

    /** The share of the TaskManager's Flink memory this backend's split gives to managed memory. */
    public String managedFraction() {
        return managedFraction;
    }

    /** The configuration keys that select this backend, its memory split and its kind of checkpoint. */
    public Map<String, String> keys() {
        return Map.of(TYPE, flinkName, MANAGED_FRACTION, managedFraction, INCREMENTAL, Boolean.toString(incremental));
    }
}
