package dev.kubelogs.job.metrics.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.SeriesBatch;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * {@link DeltaStage}'s graph: the router under its uid beside its input, the batches sent by
 * {@link DeltaSubtaskPartitioner}, and the delta operator keyed by the series key, under the uid its state has
 * always had.
 */
class DeltaStageTest {
    @Test
    void theRouterFeedsTheKeyedDeltaOperatorThroughTheSubtaskPartitioner() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(3);
        DeltaStage.deltas(
                        env.fromData(List.of(SeriesBatch.unrouted(List.of())), TypeInformation.of(SeriesBatch.class))
                                .setParallelism(3),
                        new DeltaCalculator(Duration.ofMinutes(5)))
                .sinkTo(new DiscardingSink<>());
        StreamGraph graph = env.getStreamGraph();

        StreamNode router = node(graph, DeltaRouter.UID);
        StreamNode delta = node(graph, DeltaCalculator.UID);
        assertThat(router.getInEdges())
                .singleElement()
                .satisfies(e -> assertThat(e.getPartitioner().isPointwise())
                        .as("forward from its input, so chained to the source")
                        .isTrue());
        StreamEdge intoDelta = delta.getInEdges().get(0);
        assertThat(intoDelta.getSourceId()).isEqualTo(router.getId());
        assertThat(intoDelta.getPartitioner()).isInstanceOf(DeltaSubtaskPartitioner.class);
        assertThat(intoDelta.getBufferTimeout())
                .as("records to the delta stage fill their buffers for longer than Flink's default")
                .isEqualTo(DeltaStage.BUFFER_TIMEOUT_MS);
        assertThat(delta.getStateKeySerializer())
                .isEqualTo(SeriesGroupKey.TYPE.createSerializer(env.getConfig().getSerializerConfig()));
        assertThat(delta.getStatePartitioners()[0]).isInstanceOf(SeriesBatchKey.class);
        assertThat(delta.getOperatorFactory().getStreamOperatorClass(getClass().getClassLoader()))
                .isEqualTo(DeltaOperator.class);
    }

    @Test
    void aheadOfASinkThatCommitsAtCheckpointsTheRouterSendsBuffersWhenFullOrWithTheBarrier() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DeltaStage.deltas(
                        env.fromData(List.of(SeriesBatch.unrouted(List.of())), TypeInformation.of(SeriesBatch.class)),
                        new DeltaCalculator(Duration.ofMinutes(5)),
                        DeltaStage.UNTIL_FULL_OR_BARRIER_MS)
                .sinkTo(new DiscardingSink<>());
        StreamGraph graph = env.getStreamGraph();

        assertThat(node(graph, DeltaCalculator.UID).getInEdges().get(0).getBufferTimeout())
                .isEqualTo(DeltaStage.UNTIL_FULL_OR_BARRIER_MS);
    }

    private static StreamNode node(StreamGraph graph, String uid) {
        return graph.getStreamNodes().stream()
                .filter(n -> uid.equals(n.getTransformationUID()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no operator with uid " + uid));
    }
}
