package dev.kubelogs.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterStateBackendTest {

    @Test
    void isNamedAsFlinksStateBackendTypeCallsIt() {
        assertThat(ClusterStateBackend.named("hashmap")).isEqualTo(ClusterStateBackend.HASHMAP);
        assertThat(ClusterStateBackend.named(" RocksDB ")).isEqualTo(ClusterStateBackend.ROCKSDB);
        assertThatThrownBy(() -> ClusterStateBackend.named("forst"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown state backend 'forst': rocksdb or hashmap");
    }

    @Test
    void rocksDbKeepsFlinksManagedMemoryAndIncrementalCheckpointsAndTheHeapBackendGivesTheMemoryToTheHeap() {
        assertThat(ClusterStateBackend.ROCKSDB.keys())
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("taskmanager.memory.managed.fraction", "0.4")
                .containsEntry("execution.checkpointing.incremental", "true");
        assertThat(ClusterStateBackend.HASHMAP.keys())
                .containsEntry("state.backend.type", "hashmap")
                .containsEntry("taskmanager.memory.managed.fraction", "0")
                .containsEntry("execution.checkpointing.incremental", "false");
    }
}
