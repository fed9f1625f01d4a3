package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.runtime.metrics.groups.InternalSinkCommitterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.runtime.operators.sink.committables.CommittableCollector;
import org.apache.flink.streaming.runtime.operators.sink.committables.CommittableCollectorSerializer;
import org.junit.jupiter.api.Test;

/** Entries as Flink's Sink V2 committer operator writes them (its own serializer), read back into committables. */
class SinkV2CommitterStateTest {
    private static final InternalSinkCommitterMetricGroup METRICS =
            InternalSinkCommitterMetricGroup.wrap(UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup());

    private static CloudWatchLogsCommittable committable(long sequence, String message) {
        return new CloudWatchLogsCommittable(
                "group",
                "stream",
                4,
                0,
                sequence,
                1_700_000_000_000L,
                List.of(new SinkEvent(1_700_000_000_000L + sequence, message, "src", sequence)));
    }

    private static byte[] entry(long checkpoint, List<CloudWatchLogsCommittable> committables) throws Exception {
        CommittableCollector<CloudWatchLogsCommittable> collector = CommittableCollector.of(METRICS);
        collector.addMessage(new CommittableSummary<>(0, 1, checkpoint, committables.size(), 0));
        for (CloudWatchLogsCommittable c : committables) {
            collector.addMessage(new CommittableWithLineage<>(c, checkpoint, 0));
        }
        return SimpleVersionedSerialization.writeVersionAndSerialize(
                new CommittableCollectorSerializer<>(new CloudWatchLogsCommittableSerializer(), 0, 1, METRICS),
                collector);
    }

    @Test
    void everyCommittableOfEveryEntryAndCheckpointIsRead() throws Exception {
        List<CloudWatchLogsCommittable> first = List.of(committable(1, "a"), committable(2, "b"));
        List<CloudWatchLogsCommittable> second = List.of(committable(3, "c"));
        List<byte[]> entries = new ArrayList<>();
        entries.add(entry(5, first));
        entries.add(entry(6, second)); // a rescale merged another subtask's entry into this one's

        assertThat(SinkV2CommitterState.committables(entries, 0, 1))
                .containsExactly(first.get(0), first.get(1), second.get(0));
    }

    @Test
    void noEntriesNoCommittables() throws Exception {
        assertThat(SinkV2CommitterState.committables(List.of(), 0, 1)).isEmpty();
    }
}
