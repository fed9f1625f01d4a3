package dev.kubelogs.bench.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

class LoopClusterTest {
    /** The subtasks of the last job that opened; the job runs in this JVM. */
    static final Set<String> SUBTASKS = ConcurrentHashMap.newKeySet();

    @Test
    void heapIsFlinksHashmapBackendAndOtherNamesPassThrough() {
        assertThat(LoopCluster.stateBackend("heap")).isEqualTo("hashmap");
        assertThat(LoopCluster.stateBackend("rocksdb")).isEqualTo("rocksdb");
        assertThat(LoopCluster.environment("heap", 3).getConfiguration().get(StateBackendOptions.STATE_BACKEND))
                .isEqualTo("hashmap");
        assertThat(LoopCluster.environment("rocksdb", 3).getParallelism()).isEqualTo(3);
    }

    @Test
    void aJobAsWideAsTheClustersSlotsRunsToItsEnd() throws Exception {
        SUBTASKS.clear();
        try (MiniCluster cluster = LoopCluster.start(2, 1)) {
            StreamExecutionEnvironment env = LoopCluster.environment("heap", 2);
            env.fromSequence(0, 99).map(new WhereItRuns()).sinkTo(new DiscardingSink<>());
            LoopCluster.run(cluster, env);
        }
        assertThat(SUBTASKS).containsExactlyInAnyOrder("0 of 2", "1 of 2");
    }

    private static final class WhereItRuns extends RichMapFunction<Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public void open(OpenContext context) {
            SUBTASKS.add(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + " of "
                    + getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
        }

        @Override
        public Long map(Long value) {
            return value;
        }
    }
}
