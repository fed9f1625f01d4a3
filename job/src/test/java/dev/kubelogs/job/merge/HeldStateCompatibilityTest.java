package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.spool.SourceKind;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/**
 * Keyed state that an earlier release left behind restores into the current keyed stage. The fixture
 * {@code harness-state/0.1.0/node-processor-held-segment.snapshot} was written by 0.1.0's NodeProcessor (commit
 * 324db66) with {@link HeldStateScenario}: segment 1 overtook segment 0 and is held as one LINE record per line
 * (the SpoolRecord schema before LINES batches), and segment 0 was read up to its first line. The current code
 * receives segment 0 again as a LINES batch.
 */
class HeldStateCompatibilityTest {

    @Test
    void aHeldSegmentOfOneLineRecordsFromAnEarlierReleaseCompletesInOrderOnce() throws Exception {
        URL fixture = getClass().getResource("/harness-state/0.1.0/node-processor-held-segment.snapshot");
        OperatorSubtaskState state =
                OperatorSnapshotUtil.readStateHandle(Path.of(fixture.toURI()).toString());
        try (NodeHarness node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ZERO, 0))) {
            node.close();
            node.open(state);
            HeldStateScenario.Segments segments = HeldStateScenario.build(node);
            assertThat(segments.first()).extracting(r -> r.type).contains(dev.kubelogs.job.source.SpoolRecord.LINES);
            node.send(segments.first());
            node.endOfInput();

            List<String> logs = new ArrayList<>();
            for (String m : node.messages(Category.APPLICATION)) {
                logs.add(m.replaceAll(".*\"log\":\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1"));
            }
            assertThat(logs)
                    .containsExactly(
                            "b",
                            "java.lang.IllegalStateException: boom\\n\\tat com.example.Orders.place(Orders.java:42)\\n\\tat com.example.Main.main(Main.java:7)",
                            "c");
        }
    }

    /**
     * The fixture {@code harness-state/0d113ea/node-processor-pending-trace.snapshot} was written by the keyed stage of
     * commit 0d113ea, before a stream's buffer kept the read time of its last line: a stack trace's head and first
     * frame pending. It restores; a segment end stating a caught-up time long after does not flush it (its read time
     * is unknown), its continuation joins it, and from then on it has a read time and is flushed as idle.
     */
    @Test
    void aPendingTraceFromBeforeBuffersKeptTheirReadTimeRestoresAndIsJoinedOnce() throws Exception {
        URL fixture = getClass().getResource("/harness-state/0d113ea/node-processor-pending-trace.snapshot");
        OperatorSubtaskState state =
                OperatorSnapshotUtil.readStateHandle(Path.of(fixture.toURI()).toString());
        String app = "/var/log/containers/orders-7d9c6b7f9d-x2m4q_shop_orders-" + NodeProcessorTest.ID + ".log";
        String t = "2024-05-14T09:12:03.123456789Z";
        try (NodeHarness node = new NodeHarness(JobOptions.defaults().metadataWait(Duration.ZERO, 0))) {
            node.close();
            node.open(state);
            // segment 0 again, as a restore from an earlier checkpoint replays it: its lines were processed
            node.caughtUp = node.readTime + 60_000;
            node.send(() -> {
                node.line(app, SourceKind.CONTAINER, t + " stderr F java.lang.IllegalStateException: boom");
                node.line(app, SourceKind.CONTAINER, t + " stderr F \tat a.B.c(B.java:1)");
            });
            assertThat(node.messages(Category.APPLICATION)).isEmpty();

            node.caughtUp = -1;
            node.send(() -> node.line(app, SourceKind.CONTAINER, t + " stderr F \tat a.B.d(B.java:2)"));
            node.caughtUp = node.readTime + 4_000;
            node.send(() -> {});
            List<String> logs = new ArrayList<>();
            for (String m : node.messages(Category.APPLICATION)) {
                logs.add(m.replaceAll(".*\"log\":\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1"));
            }
            assertThat(logs)
                    .containsExactly(
                            "java.lang.IllegalStateException: boom\\n\\tat a.B.c(B.java:1)\\n\\tat a.B.d(B.java:2)");
            node.endOfInput();
            assertThat(node.messages(Category.APPLICATION)).hasSize(1);
        }
    }
}
