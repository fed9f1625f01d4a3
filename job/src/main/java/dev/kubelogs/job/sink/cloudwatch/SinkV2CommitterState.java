package dev.kubelogs.job.sink.cloudwatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.runtime.metrics.groups.InternalSinkCommitterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.streaming.runtime.operators.sink.committables.CheckpointCommittableManager;
import org.apache.flink.streaming.runtime.operators.sink.committables.CommittableCollector;
import org.apache.flink.streaming.runtime.operators.sink.committables.CommittableCollectorSerializer;

/**
 * The committables in the state of the sink's earlier layout, Flink's Sink V2 {@code CommitterOperator} (uid
 * "Sink Committer: &lt;sink uid&gt;", which {@link CloudWatchLogsCommitterOperator} keeps): list state
 * {@code streaming_committer_raw_states}, each entry one {@link CommittableCollector} in
 * {@link CommittableCollectorSerializer}'s layout behind {@link SimpleVersionedSerialization}'s version and length.
 * Read with Flink's own serializer; the committables are taken out of the collector through its public commit path
 * (a committer that only collects them), so nothing here depends on the collector's private layout.
 */
final class SinkV2CommitterState {
    /** Flink's {@code CommitterOperator} state name. */
    static final ListStateDescriptor<byte[]> DESCRIPTOR =
            new ListStateDescriptor<>("streaming_committer_raw_states", BytePrimitiveArraySerializer.INSTANCE);

    private SinkV2CommitterState() {}

    /** Every committable not yet committed in {@code entries}, in checkpoint order. */
    static List<CloudWatchLogsCommittable> committables(Iterable<byte[]> entries, int subtask, int parallelism)
            throws IOException, InterruptedException {
        // Flink's collector counts into these metrics; the sink's own metrics say what its committer did
        InternalSinkCommitterMetricGroup metrics =
                InternalSinkCommitterMetricGroup.wrap(UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup());
        CommittableCollectorSerializer<CloudWatchLogsCommittable> serializer = new CommittableCollectorSerializer<>(
                new CloudWatchLogsCommittableSerializer(), subtask, parallelism, metrics);
        List<CloudWatchLogsCommittable> out = new ArrayList<>();
        Committer<CloudWatchLogsCommittable> collect = new Committer<>() {
            @Override
            public void commit(java.util.Collection<CommitRequest<CloudWatchLogsCommittable>> requests) {
                for (CommitRequest<CloudWatchLogsCommittable> r : requests) {
                    out.add(r.getCommittable());
                }
            }

            @Override
            public void close() {}
        };
        for (byte[] entry : entries) {
            CommittableCollector<CloudWatchLogsCommittable> collector =
                    SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, entry);
            for (CheckpointCommittableManager<CloudWatchLogsCommittable> checkpoint :
                    collector.getCheckpointCommittablesUpTo(Long.MAX_VALUE)) {
                checkpoint.commit(collect, 0); // hands over the requests not committed yet
            }
        }
        return out;
    }
}
