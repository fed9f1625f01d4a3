package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.model.CloudWatchEvent;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudWatchLogsSinkTest {
    @TempDir
    Path deadLetters;

    private StreamGraph graph() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<CloudWatchEvent> events = env.fromSequence(0, 9)
                .map(i -> new CloudWatchEvent("group", "stream-" + i, i, "line " + i))
                .returns(TypeInformation.of(CloudWatchEvent.class));
        SinkTestSupport.localBuilder(URI.create("http://127.0.0.1:1"), deadLetters)
                .build()
                .addTo(events, "sink-application");
        return env.getStreamGraph();
    }

    @Test
    void itsOperatorsKeepTheUidsSinkV2DerivedForTheSinksWriterAndCommitter() {
        List<String> uids = graph().getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .collect(Collectors.toList());
        assertThat(uids).contains("sink-application", "Sink Committer: sink-application");
        assertThat(CloudWatchLogsSink.committerUid("x")).isEqualTo("Sink Committer: x");
    }

    @Test
    void writerAndCommitterAreChainedToTheStreamTheyConsumeUnderSinkV2sNames() {
        JobGraph job = graph().getJobGraph();
        assertThat(job.getNumberOfVertices())
                .as("source, map, writer and committer in one task")
                .isEqualTo(1);
        JobVertex task = job.getVertices().iterator().next();
        assertThat(task.getName()).contains("sink-application: Writer").contains("sink-application: Committer");
    }

    @Test
    void restoreOnlyOperatorsKeepAnEarlierSinksUidsChainedOnASideOutputNothingWrites() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SingleOutputStreamOperator<CloudWatchEvent> events = env.fromSequence(0, 9)
                .map(i -> new CloudWatchEvent("group", "stream-" + i, i, "line " + i))
                .returns(TypeInformation.of(CloudWatchEvent.class));
        CloudWatchLogsSink sink = SinkTestSupport.localBuilder(URI.create("http://127.0.0.1:1"), deadLetters)
                .build();
        sink.addTo(events, "sink-logs");
        sink.addRestoreOnly(events, "sink-host");
        StreamGraph graph = env.getStreamGraph();

        assertThat(graph.getStreamNodes().stream().map(StreamNode::getTransformationUID))
                .contains("sink-logs", "Sink Committer: sink-logs", "sink-host", "Sink Committer: sink-host");
        JobGraph job = graph.getJobGraph();
        assertThat(job.getNumberOfVertices()).as("all in one task").isEqualTo(1);
        assertThat(job.getVertices().iterator().next().getName())
                .contains("sink-host: Writer (restore only)")
                .contains("sink-host: Committer (restore only)");
    }
}
