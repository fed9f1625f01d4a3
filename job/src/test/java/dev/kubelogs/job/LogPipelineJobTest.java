package dev.kubelogs.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import dev.kubelogs.job.source.SpoolSource;
import java.time.Duration;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.apache.flink.streaming.runtime.partitioner.StreamPartitioner;
import org.junit.jupiter.api.Test;

/**
 * How the job is laid out (the keyed stage chained to the spool's readers unless nodes are spread over them), and its
 * entry point, which runs inside the JobManager's JVM: it must return or throw, never exit.
 */
class LogPipelineJobTest {
    private static final SpoolSource SPOOL =
            SpoolSource.of("file:///var/kubelogs/spool", Duration.ofSeconds(1), false, false);

    @Test
    void theNodeProcessorRunsInTheSpoolReadersThreadWithoutAShuffle() {
        StreamExecutionEnvironment env = environment(3);
        StreamGraph graph = build(env, SPOOL);

        assertThat(partitionerIntoNodeProcessor(graph)).isInstanceOf(ForwardPartitioner.class);
        assertThat(vertexOf(graph, LogPipelineJob.SOURCE_UID).getName()).contains(LogPipelineJob.NODE_PROCESSOR_UID);
        // the readers pick nodes by the key groups the node processor has
        assertThat(env.getMaxParallelism()).isEqualTo(128);
    }

    @Test
    void nodesSpreadOverReadersAreShuffledByNode() {
        StreamGraph graph = build(environment(3), SPOOL.spreadingNodesOverReaders());

        assertThat(partitionerIntoNodeProcessor(graph)).isInstanceOf(KeyGroupStreamPartitioner.class);
        assertThat(vertexOf(graph, LogPipelineJob.SOURCE_UID).getName())
                .doesNotContain(LogPipelineJob.NODE_PROCESSOR_UID);
    }

    @Test
    void oneSinkTakesEveryCategoryAndTheEarlierPerCategorySinksUidsStayForTheirCheckpoints() {
        StreamGraph graph = build(environment(3), SPOOL);

        assertThat(graph.getStreamNodes().stream().map(StreamNode::getTransformationUID))
                .contains(LogPipelineJob.SINK_UID, CloudWatchLogsSink.committerUid(LogPipelineJob.SINK_UID))
                .contains(
                        "sink-application",
                        "Sink Committer: sink-application",
                        "sink-host",
                        "Sink Committer: sink-host",
                        "sink-dataplane",
                        "Sink Committer: sink-dataplane",
                        "sink-dead-letter",
                        "Sink Committer: sink-dead-letter");
        assertThat(graph.getJobGraph().getNumberOfVertices())
                .as("source, keyed stage, the sink and the restore-only operators in one task")
                .isEqualTo(1);
        assertThat(graph.getStreamNodes().stream()
                        .filter(n -> n.getOperatorName().endsWith(": Writer"))
                        .count())
                .as("one writer takes events")
                .isEqualTo(1);
    }

    @Test
    void aConfiguredMaxParallelismIsKept() {
        StreamExecutionEnvironment env = environment(3);
        env.setMaxParallelism(256);
        build(env, SPOOL);
        assertThat(env.getMaxParallelism()).isEqualTo(256);
    }

    private static StreamExecutionEnvironment environment(int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        return env;
    }

    private static StreamGraph build(StreamExecutionEnvironment env, SpoolSource source) {
        new LogPipelineJob(
                        source,
                        () -> CloudWatchLogsSink.builder()
                                .region("us-east-1")
                                .endpoint("http://127.0.0.1:1")
                                .staticCredentials("k", "s")
                                .build(),
                        JobOptions.defaults())
                .build(env);
        return env.getStreamGraph();
    }

    private static StreamPartitioner<?> partitionerIntoNodeProcessor(StreamGraph graph) {
        StreamNode processor = graph.getStreamNodes().stream()
                .filter(n -> LogPipelineJob.NODE_PROCESSOR_UID.equals(n.getTransformationUID()))
                .findFirst()
                .orElseThrow();
        assertThat(processor.getInEdges()).hasSize(1);
        return processor.getInEdges().get(0).getPartitioner();
    }

    private static JobVertex vertexOf(StreamGraph graph, String operatorName) {
        for (JobVertex vertex : graph.getJobGraph().getVertices()) {
            if (vertex.getName().contains(operatorName)) {
                return vertex;
            }
        }
        throw new AssertionError("no vertex runs " + operatorName);
    }

    @Test
    void mainReturnsInsteadOfExitingTheJvm() {
        // with System.exit this would end the test JVM (and, on a cluster, the JobManager)
        LogPipelineJob.main(new String[] {"--help"});
    }

    @Test
    void badArgumentsAreThrownNotExited() {
        assertThatThrownBy(() -> LogPipelineJob.main(new String[] {"--no-such-option"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exit code 2");
    }
}
