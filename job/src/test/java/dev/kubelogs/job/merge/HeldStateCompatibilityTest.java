package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.route.OutputTags;
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
            for (String m : node.messages(OutputTags.APPLICATION)) {
                logs.add(m.replaceAll(".*\"log\":\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1"));
            }
            assertThat(logs)
                    .containsExactly(
                            "b",
                            "java.lang.IllegalStateException: boom\\n\\tat com.example.Orders.place(Orders.java:42)\\n\\tat com.example.Main.main(Main.java:7)",
                            "c");
        }
    }
}
