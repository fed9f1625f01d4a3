package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import dev.kubelogs.job.model.SerializerTypeInfo;
import java.io.Serializable;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * The sink into CloudWatch Logs with exactly-once delivery (default) or at-least-once: two operators chained to the
 * stream they consume, {@link CloudWatchLogsWriterOperator} and {@link CloudWatchLogsCommitterOperator}.
 *
 * <pre>{@code
 * CloudWatchLogsSink sink = CloudWatchLogsSink.builder()
 *     .region("eu-west-1")
 *     .retentionInDays(30)
 *     .deadLetterDirectory("/var/lib/kubelogs/dead-letter")
 *     .build();
 * sink.addTo(events.keyBy(CloudWatchLogsSink.streamKeySelector()), "sink-application");
 * }</pre>
 *
 * The operators' uids are those Flink's Sink V2 gave this sink's writer and committer under {@code sinkTo(sink)
 * .uid(uid)}: {@code uid} and "Sink Committer: " + {@code uid}, so state written by that layout restores into this
 * one. It is not a Flink {@code Sink}: Sink V2's committer operator copies every pending committable several times
 * into growing arrays on the task thread at each checkpoint and commits on the task thread (see the
 * {@link dev.kubelogs.job.sink.cloudwatch package docs} for the delivery chain and its assumptions).
 */
public final class CloudWatchLogsSink implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The prefix of the committer's uid, as Flink's Sink V2 translation derives it from the sink's. */
    static final String COMMITTER_UID_PREFIX = "Sink Committer: ";

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
     * Key selector of bundles ({@link #addBundlesTo}): a bundle's key is {@link #streamKey} of its stream, so its
     * events reach the subtask that the events' {@link #streamKeySelector()} sends them to and its ownership check
     * (by that selector) expects them at.
     */
    public static KeySelector<CloudWatchEventBundle, String> bundleStreamKeySelector() {
        return new BundleStreamKeySelector();
    }

    /** See {@link #bundleStreamKeySelector()}. */
    public static final class BundleStreamKeySelector implements KeySelector<CloudWatchEventBundle, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CloudWatchEventBundle b) {
            return streamKey(b.logGroup(), b.logStream());
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

    /**
     * Adds the sink's writer and committer after {@code events}, at the environment's parallelism (as {@code sinkTo}
     * does), named {@code uid + ": Writer"} and {@code uid + ": Committer"} (the metric scopes of Sink V2's operators).
     *
     * @param uid the sink's uid: the writer's; the committer's is "Sink Committer: " + uid
     * @return the committer, the last operator
     */
    public SingleOutputStreamOperator<Void> addTo(DataStream<CloudWatchEvent> events, String uid) {
        return addTo(events, CloudWatchLogsWriterOperator.Factory.ofEvents(config), uid);
    }

    /**
     * As {@link #addTo} for a stream of bundles, each of one log stream's events (key them with {@link
     * #bundleStreamKeySelector()}); the writer writes a bundle's events in their order, as if they had come one by
     * one. Operators, uids, names and state are those of {@link #addTo}, so either input restores the other's state.
     */
    public SingleOutputStreamOperator<Void> addBundlesTo(DataStream<CloudWatchEventBundle> bundles, String uid) {
        return addTo(bundles, new CloudWatchLogsWriterOperator.Factory<>(config, SinkInput.BUNDLES), uid);
    }

    private <IN> SingleOutputStreamOperator<Void> addTo(
            DataStream<IN> input, CloudWatchLogsWriterOperator.Factory<IN> writerFactory, String uid) {
        SingleOutputStreamOperator<CloudWatchLogsCommittable> written = input.transform(
                        uid + ": Writer", committableType(), writerFactory)
                .uid(uid);
        return written.transform(
                        uid + ": Committer", Types.VOID, new CloudWatchLogsCommitterOperator.Factory(config, false))
                .uid(committerUid(uid));
    }

    /**
     * Keeps the uids of a sink the job no longer has, so that a checkpoint or savepoint of the job that had it restores
     * and what it left pending is delivered: chained after {@code upstream}, on a side output that nothing writes, a
     * pass-through under {@code uid} (the writer's uid; a writer keeps nothing a restore needs) and a committer under
     * its committer's uid that delivers the committables it restores, then holds nothing (it opens no client when
     * nothing was restored).
     *
     * @return the committer, the last operator
     */
    public SingleOutputStreamOperator<Void> addRestoreOnly(SingleOutputStreamOperator<?> upstream, String uid) {
        DataStream<CloudWatchLogsCommittable> none =
                upstream.getSideOutput(new OutputTag<>("restore only: " + uid, committableType()));
        SingleOutputStreamOperator<CloudWatchLogsCommittable> writer = none.map(new PassThrough())
                .returns(committableType())
                .name(uid + ": Writer (restore only)")
                .uid(uid);
        return writer.transform(
                        uid + ": Committer (restore only)",
                        Types.VOID,
                        new CloudWatchLogsCommitterOperator.Factory(config, true))
                .uid(committerUid(uid));
    }

    private static TypeInformation<CloudWatchLogsCommittable> committableType() {
        return new SerializerTypeInfo<>(CloudWatchLogsCommittable.class, new CommittableTypeSerializer());
    }

    /** The restore-only writer: it gets nothing. */
    private static final class PassThrough
            implements MapFunction<CloudWatchLogsCommittable, CloudWatchLogsCommittable> {
        private static final long serialVersionUID = 1L;

        @Override
        public CloudWatchLogsCommittable map(CloudWatchLogsCommittable committable) {
            return committable;
        }
    }

    /** The committer's uid for the sink's {@code uid}. */
    public static String committerUid(String uid) {
        return COMMITTER_UID_PREFIX + uid;
    }
}
