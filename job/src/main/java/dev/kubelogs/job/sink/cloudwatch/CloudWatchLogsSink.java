package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.model.CloudWatchEvent;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Flink Sink V2 into CloudWatch Logs with exactly-once delivery (default) or at-least-once.
 *
 * <pre>{@code
 * CloudWatchLogsSink sink = CloudWatchLogsSink.builder()
 *     .region("eu-west-1")
 *     .retentionInDays(30)
 *     .deadLetterDirectory("/var/lib/kubelogs/dead-letter")
 *     .build();
 * events.keyBy(CloudWatchLogsSink.streamKeySelector())
 *       .sinkTo(sink).uid("sink-application").name("cloudwatch-logs: application");
 * }</pre>
 *
 * The committer operator's uid is derived from the sink's ({@code <uid>} + "Committer" by Flink), so one
 * {@code .uid(...)} per sink is enough. See {@link dev.kubelogs.job.sink.cloudwatch package docs} for the
 * delivery chain and its assumptions.
 */
public final class CloudWatchLogsSink implements Sink<CloudWatchEvent>, SupportsCommitter<CloudWatchLogsCommittable> {
    private static final long serialVersionUID = 1L;

    private final CloudWatchLogsSinkConfig config;

    CloudWatchLogsSink(CloudWatchLogsSinkConfig config) {
        this.config = config;
    }

    public static CloudWatchLogsSinkBuilder builder() {
        return new CloudWatchLogsSinkBuilder();
    }

    /** The routing key of a log stream: {@code logGroup + '\n' + logStream}. */
    public static String streamKey(String logGroup, String logStream) {
        return logGroup + "\n" + logStream;
    }

    /**
     * Key selector that sends all events of one log stream to one sink subtask (single writer per stream);
     * the writer's ownership check assumes exactly this key.
     */
    public static KeySelector<CloudWatchEvent, String> streamKeySelector() {
        return new StreamKeySelector();
    }

    /** See {@link #streamKeySelector()}. */
    public static final class StreamKeySelector implements KeySelector<CloudWatchEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CloudWatchEvent e) {
            return streamKey(e.logGroup, e.logStream);
        }
    }

    /**
     * Key selector reading the event's {@link CloudWatchEvent#ownerKey}: for a sink chained to the keyed stage that
     * emitted the events (the job's keyBy(cluster, node)), so the ownership check expects each stream at the subtask
     * that owns its key there. An event without an owner key fails the check.
     */
    public static KeySelector<CloudWatchEvent, String> ownerKeySelector() {
        return new OwnerKeySelector();
    }

    /** See {@link #ownerKeySelector()}. */
    public static final class OwnerKeySelector implements KeySelector<CloudWatchEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CloudWatchEvent e) {
            return e.ownerKey;
        }
    }

    public CloudWatchLogsSinkConfig config() {
        return config;
    }

    @Override
    public CommittingSinkWriter<CloudWatchEvent, CloudWatchLogsCommittable> createWriter(WriterInitContext context)
            throws IOException {
        return new CloudWatchLogsSinkWriter(config, context);
    }

    @Override
    public Committer<CloudWatchLogsCommittable> createCommitter(CommitterInitContext context) throws IOException {
        return new CloudWatchLogsCommitter(config, context);
    }

    @Override
    public SimpleVersionedSerializer<CloudWatchLogsCommittable> getCommittableSerializer() {
        return new CloudWatchLogsCommittableSerializer();
    }
}
