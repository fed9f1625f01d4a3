package dev.kubelogs.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.delta.DeltaCalculator;
import dev.kubelogs.job.metrics.delta.DeltaRouter;
import dev.kubelogs.job.metrics.delta.DeltaStage;
import dev.kubelogs.job.metrics.emf.EmfBundleOperator;
import dev.kubelogs.job.metrics.emf.EmfEventBuilder;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MetricsPipeline}'s network edges: ahead of the exactly-once sink, which commits at checkpoints, buffers go
 * when full or with the barrier (their flush timers never beat them); ahead of the at-least-once sink, which puts as
 * events come, they keep their flush timers (the router's 500 ms, Flink's default 100 ms).
 */
class MetricsPipelineTest {
    @TempDir
    Path deadLetters;

    @Test
    void aheadOfTheExactlyOnceSinkTheMetricsEdgesHaveNoFlushTimer() {
        StreamGraph graph = graph(DeliveryGuarantee.EXACTLY_ONCE);

        assertThat(networkEdges(graph))
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.getBufferTimeout()).isEqualTo(DeltaStage.UNTIL_FULL_OR_BARRIER_MS));
    }

    @Test
    void aheadOfTheAtLeastOnceSinkTheMetricsEdgesKeepTheirFlushTimers() {
        StreamGraph graph = graph(DeliveryGuarantee.AT_LEAST_ONCE);

        assertThat(networkEdges(graph))
                .extracting(StreamEdge::getBufferTimeout)
                .containsExactlyInAnyOrder(DeltaStage.BUFFER_TIMEOUT_MS, 100L);
    }

    private StreamGraph graph(DeliveryGuarantee guarantee) {
        StreamExecutionEnvironment env = PipelineRuns.environment(2, 1_000);
        CloudWatchLogsSink sink = CloudWatchLogsSink.builder()
                .region("us-east-1")
                .endpoint("http://127.0.0.1:1")
                .staticCredentials("k", "s")
                .deadLetterDirectory(deadLetters.toString())
                .streamOwner(CloudWatchLogsSink.streamKeySelector())
                .deliveryGuarantee(guarantee)
                .build();
        new MetricsPipeline(
                        new DataGeneratorSource<>(
                                i -> SeriesBatch.unrouted(List.of()), 1, TypeInformation.of(SeriesBatch.class)),
                        new DeltaCalculator(Duration.ofMinutes(5)),
                        EmfEventBuilder.builder("c"),
                        sink)
                .build(env);
        return env.getStreamGraph();
    }

    /** The edges that are not forward (chained), each checked to be the router's or the EMF stage's. */
    private static List<StreamEdge> networkEdges(StreamGraph graph) {
        List<StreamEdge> edges = graph.getStreamNodes().stream()
                .flatMap(n -> n.getInEdges().stream())
                .filter(e -> !e.getPartitioner().isPointwise())
                .toList();
        assertThat(edges)
                .extracting(e -> graph.getStreamNode(e.getSourceId()).getTransformationUID())
                .containsExactlyInAnyOrder(DeltaRouter.UID, EmfBundleOperator.UID);
        return edges;
    }
}
