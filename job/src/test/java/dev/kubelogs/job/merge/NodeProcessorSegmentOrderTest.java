package dev.kubelogs.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.SourceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Segments of one node that overtake each other (two readers) are put back in order before merging. */
class NodeProcessorSegmentOrderTest {
    private static final String APP = "/var/log/containers/orders-1_shop_orders-" + "e".repeat(64) + ".log";
    private NodeHarness node;

    @BeforeEach
    void setUp() throws Exception {
        node = new NodeHarness(
                JobOptions.defaults().metadataWait(Duration.ZERO, 0).segmentGapTimeout(Duration.ofSeconds(30)));
    }

    @AfterEach
    void tearDown() throws Exception {
        node.close();
    }

    private List<String> logs() throws Exception {
        List<String> logs = new ArrayList<>();
        for (String m : node.messages(Category.APPLICATION)) {
            JsonNode n = Json.MAPPER.readTree(m);
            logs.add(n.get("log").textValue());
        }
        return logs;
    }

    private static String cri(String text) {
        return "2024-05-14T09:12:03Z stderr F " + text;
    }

    @Test
    void aStackTraceSpanningTwoSegmentsThatArriveBackwardsIsJoined() throws Exception {
        List<SpoolRecord> first = node.segment(node.takeSeq(), () -> {
            node.line(APP, SourceKind.CONTAINER, cri("line 1"));
            node.line(APP, SourceKind.CONTAINER, cri("java.lang.RuntimeException: boom"));
            node.line(APP, SourceKind.CONTAINER, cri("\tat a.B.c(B.java:1)"));
        });
        List<SpoolRecord> second = node.segment(node.takeSeq(), () -> {
            node.line(APP, SourceKind.CONTAINER, cri("\tat a.B.d(B.java:2)"));
            node.line(APP, SourceKind.CONTAINER, cri("line 2"));
        });
        List<SpoolRecord> third =
                node.segment(node.takeSeq(), () -> node.line(APP, SourceKind.CONTAINER, cri("line 3")));
        node.send(third);
        node.send(second);
        assertThat(logs()).isEmpty();
        node.send(first);
        assertThat(logs())
                .containsExactly(
                        "line 1",
                        "java.lang.RuntimeException: boom\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)",
                        "line 2",
                        "line 3");
    }

    @Test
    void aGapTheSourceKnowsAboutIsCrossedAtOnce() throws Exception {
        node.send(node.segment(node.takeSeq(), () -> node.line(APP, SourceKind.CONTAINER, cri("in segment 0"))));
        node.segment(node.takeSeq(), () -> node.line(APP, SourceKind.CONTAINER, cri("set aside by the collector")));
        List<SpoolRecord> third =
                node.segment(node.takeSeq(), () -> node.line(APP, SourceKind.CONTAINER, cri("in segment 2")));
        third.forEach(r -> r.previousSeq = 0);
        node.send(third);
        assertThat(logs()).containsExactly("in segment 0", "in segment 2");
    }

    @Test
    void aSlowSegmentTheSourceHandedOutIsWaitedForPastTheGapTimeout() throws Exception {
        List<SpoolRecord> first = node.segment(node.takeSeq(), () -> {
            node.line(APP, SourceKind.CONTAINER, cri("slow 1"));
            node.line(APP, SourceKind.CONTAINER, cri("slow 2"));
        });
        List<SpoolRecord> second =
                node.segment(node.takeSeq(), () -> node.line(APP, SourceKind.CONTAINER, cri("fast")));
        first.forEach(r -> r.previousSeq = -1);
        second.forEach(r -> r.previousSeq = 0);
        node.send(first.subList(0, 2)); // the reader of segment 0 is slow: one line so far
        node.send(second);
        node.advanceProcessingTime(120_000);
        node.send(first.subList(2, first.size()));
        assertThat(logs()).containsExactly("slow 1", "slow 2", "fast");
    }

    @Test
    void heldSegmentsAreReleasedAtTheEndOfInput() throws Exception {
        node.segment(node.takeSeq(), () -> node.line(APP, SourceKind.CONTAINER, cri("never read")));
        node.send(node.segment(node.takeSeq(), () -> node.line(APP, SourceKind.CONTAINER, cri("held"))));
        node.endOfInput();
        assertThat(logs()).containsExactly("held");
    }

    @Test
    void aSegmentThatNeverComesIsSkippedAfterTheGapTimeout() throws Exception {
        node.segment(node.takeSeq(), () -> node.line(APP, SourceKind.CONTAINER, cri("lost with its segment")));
        node.send(node.segment(node.takeSeq(), () -> node.line(APP, SourceKind.CONTAINER, cri("after the gap"))));
        assertThat(logs()).isEmpty();
        node.advanceProcessingTime(31_000);
        assertThat(logs()).containsExactly("after the gap");
    }
}
