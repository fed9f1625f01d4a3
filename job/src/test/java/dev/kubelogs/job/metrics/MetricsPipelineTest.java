package dev.kubelogs.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.delta.DeltaCalculator;
import dev.kubelogs.job.metrics.delta.DeltaRouter;
import dev.kubelogs.job.metrics.delta.DeltaStage;
import dev.kubelogs.job.metrics.delta.DeltaSubtaskPartitioner;
import dev.kubelogs.job.metrics.emf.EmfBundleOperator;
import dev.kubelogs.job.metrics.emf.EmfEventBuilder;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.scrape.ScrapeConfigs;
import dev.kubelogs.job.metrics.source.ScrapeReaderSettings;
import dev.kubelogs.job.metrics.source.ScrapeSource;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics branch's topology as it is built, without running it: the operators in order, each with its fixed uid
 * (savepoints find their state by it), keyed where state or the sink's stream ownership needs it, and its network
 * edges: ahead of the exactly-once sink, which commits at checkpoints, buffers go when full or with the barrier (their
 * flush timers never beat them); ahead of the at-least-once sink, which puts as events come, they keep their flush
 * timers (the router's 500 ms, Flink's default 100 ms).
 */
class MetricsPipelineTest {
    @TempDir
    Path deadLetters;

    private StreamGraph graph() {
        // no generated uids: building fails if an operator lacks one, as the job is configured
        StreamExecutionEnvironment env = PipelineRuns.environment(2, 60_000);
        ScrapeSource source = new ScrapeSource(
                List.of(ScrapeConfigs.job("app").build()), updates -> () -> {}, new ScrapeReaderSettings(1, 1 << 20));
        new MetricsPipeline(
                        source,
                        DeltaCalculator.of(new Configuration()),
                        EmfEventBuilder.builder("demo").logGroupName("/aws/containerinsights/demo/prometheus"),
                        PipelineRuns.sink(URI.create("http://127.0.0.1:1"), deadLetters))
                .build(env);
        return env.getStreamGraph();
    }

    /** The nodes from the source down, following the first out edge each. */
    private static List<StreamNode> chain(StreamGraph g) {
        StreamNode node = g.getStreamNodes().stream()
                .filter(n -> n.getInEdges().isEmpty())
                .findFirst()
                .orElseThrow();
        List<StreamNode> nodes = new ArrayList<>(List.of(node));
        while (!node.getOutEdges().isEmpty()) {
            assertThat(node.getOutEdges()).as("out edges of %s", node).hasSize(1);
            node = g.getStreamNode(node.getOutEdges().get(0).getTargetId());
            nodes.add(node);
        }
        return nodes;
    }

    @Test
    void everyOperatorHasItsFixedUidInPipelineOrder() {
        StreamGraph g = graph();

        assertThat(g.getStreamNodes()).hasSize(6);
        assertThat(chain(g))
                .extracting(StreamNode::getTransformationUID)
                .containsExactly(
                        MetricsPipeline.SOURCE_UID,
                        DeltaRouter.UID,
                        DeltaCalculator.UID,
                        EmfBundleOperator.UID,
                        MetricsPipeline.SINK_UID,
                        CloudWatchLogsSink.committerUid(MetricsPipeline.SINK_UID));
        assertThat(MetricsPipeline.SOURCE_UID).isEqualTo("metrics-scrape");
        assertThat(MetricsPipeline.SINK_UID).isEqualTo("sink-prometheus");
    }

    @Test
    void theDeltaOperatorAndTheSinkWriterAreKeyed() {
        List<StreamNode> nodes = chain(graph());

        assertThat(inEdge(nodes.get(2)).getPartitioner())
                .as("into the delta operator, to the subtask owning each series")
                .isInstanceOf(DeltaSubtaskPartitioner.class);
        assertThat(nodes.get(2).getStatePartitioners()).hasSize(1);
        assertThat(inEdge(nodes.get(4)).getPartitioner())
                .as("into the sink's writer, by log stream")
                .isInstanceOf(KeyGroupStreamPartitioner.class);
        assertThat(nodes.get(4).getStatePartitioners()).hasSize(1);
        assertThat(inEdge(nodes.get(3)).getPartitioner())
                .as("delta to EMF, chained")
                .isNotInstanceOf(KeyGroupStreamPartitioner.class);
    }

    private static StreamEdge inEdge(StreamNode node) {
        assertThat(node.getInEdges()).hasSize(1);
        return node.getInEdges().get(0);
    }

    @Test
    void aheadOfTheExactlyOnceSinkTheMetricsEdgesHaveNoFlushTimer() {
        StreamGraph graph = graphWith(DeliveryGuarantee.EXACTLY_ONCE);

        assertThat(networkEdges(graph))
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.getBufferTimeout()).isEqualTo(DeltaStage.UNTIL_FULL_OR_BARRIER_MS));
    }

    @Test
    void aheadOfTheAtLeastOnceSinkTheMetricsEdgesKeepTheirFlushTimers() {
        StreamGraph graph = graphWith(DeliveryGuarantee.AT_LEAST_ONCE);

        assertThat(networkEdges(graph))
                .extracting(StreamEdge::getBufferTimeout)
                .containsExactlyInAnyOrder(DeltaStage.BUFFER_TIMEOUT_MS, 100L);
    }

    private StreamGraph graphWith(DeliveryGuarantee guarantee) {
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
