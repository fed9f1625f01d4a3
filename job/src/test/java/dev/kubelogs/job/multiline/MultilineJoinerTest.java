package dev.kubelogs.job.multiline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kubelogs.job.merge.StreamBuffer;
import dev.kubelogs.job.parse.ContainerLine.Format;
import dev.kubelogs.job.parse.LineRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One (file, stream) buffer through the joiner: runtime pieces, then the rule sets, then the record limit. */
class MultilineJoinerTest {
    private static final int LIMIT = 1000;

    /** What left the joiner, in order. */
    private record Out(String log, String stream, long time, long offset, boolean truncated) {}

    private final List<Out> out = new ArrayList<>();
    private final List<RuleBudgetExceededException> failures = new ArrayList<>();
    private final MultilineJoiner.Output sink = (record, time, offset, truncated) ->
            out.add(new Out(record.get("log").asText(), record.path("stream").asText(), time, offset, truncated));
    private StreamBuffer buffer;

    @BeforeEach
    void setUp() {
        buffer = new StreamBuffer();
    }

    private static LineRecord record(String stream, String log) {
        return LineRecord.of(
                JsonNodeFactory.instance.objectNode().put("stream", stream).put("log", log));
    }

    private void line(MultilineJoiner j, Format format, String stream, String log, long at) throws Exception {
        j.finalPiece(buffer, format, record(stream, log), log, at, at * 10, sink);
    }

    @Test
    void aJavaStackTraceBecomesOneRecordWithTheFirstLinesTimeAndFields() throws Exception {
        MultilineJoiner j = new MultilineJoiner(BuiltInRuleSets.DEFAULT_APPLICATION, LIMIT);
        line(j, Format.CRI, "stderr", "java.lang.IllegalStateException: boom", 1);
        line(j, Format.CRI, "later", "\tat a.B.c(B.java:1)", 2);
        line(j, Format.CRI, "later", "\tat a.B.main(B.java:9)", 3);
        assertThat(out).as("held until a line does not continue it").isEmpty();
        line(j, Format.CRI, "stdout", "next request", 4);
        assertThat(out)
                .containsExactly(
                        new Out(
                                "java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n\tat a.B.main(B.java:9)",
                                "stderr",
                                1,
                                10,
                                false),
                        new Out("next request", "stdout", 4, 40, false));
    }

    @Test
    void dockerLinesKeepTheirOwnNewlineWhenJoined() throws Exception {
        MultilineJoiner j = new MultilineJoiner(BuiltInRuleSets.DEFAULT_APPLICATION, LIMIT);
        line(j, Format.DOCKER, "stderr", "java.lang.RuntimeException: x\n", 1);
        line(j, Format.DOCKER, "stderr", "\tat a.B.c(B.java:1)\n", 2);
        j.flushAll(buffer, sink);
        assertThat(out).extracting(Out::log).containsExactly("java.lang.RuntimeException: x\n\tat a.B.c(B.java:1)\n");
        assertThat(buffer.isEmpty()).isTrue();
    }

    @Test
    void runtimePiecesBecomeOneLineWithTheFirstPiecesFields() throws Exception {
        MultilineJoiner j = new MultilineJoiner(List.of(), LIMIT);
        j.partialPiece(buffer, Format.CRI, record("stdout", "hel"), "hel", 1, 10, sink);
        j.partialPiece(buffer, Format.CRI, record("other", "lo "), "lo ", 2, 20, sink);
        assertThat(out).isEmpty();
        j.finalPiece(buffer, Format.CRI, record("other", "world"), "world", 3, 30, sink);
        assertThat(out).containsExactly(new Out("hello world", "stdout", 1, 10, false));
    }

    @Test
    void runtimePiecesPastTheLimitLeaveMarkedAndTheRestFollowsAsItsOwnLine() throws Exception {
        MultilineJoiner j = new MultilineJoiner(List.of(), LIMIT);
        j.partialPiece(buffer, Format.CRI, record("stdout", "a"), "a".repeat(600), 1, 10, sink);
        j.partialPiece(buffer, Format.CRI, record("stdout", "b"), "b".repeat(600), 2, 20, sink);
        j.finalPiece(buffer, Format.CRI, record("stdout", "c"), "c", 3, 30, sink);
        assertThat(out)
                .containsExactly(
                        new Out("a".repeat(600) + "b".repeat(600), "stdout", 1, 10, true),
                        new Out("c", "stdout", 3, 30, false));
    }

    @Test
    void aRecordReachingTheLimitIsFlushedMarked() throws Exception {
        MultilineJoiner j = new MultilineJoiner(BuiltInRuleSets.DEFAULT_APPLICATION, LIMIT);
        line(j, Format.CRI, "stderr", "java.lang.IllegalStateException: boom", 1);
        for (int i = 0; i < 40; i++) {
            line(j, Format.CRI, "stderr", "\tat a.B.c" + "x".repeat(30) + "(B.java:" + i + ")", 2 + i);
        }
        j.flushAll(buffer, sink);
        assertThat(out.get(0).truncated()).isTrue();
        assertThat(out.get(0).log()).startsWith("java.lang.IllegalStateException: boom\n\tat ");
        assertThat(out.get(0).log().length()).isBetween(LIMIT - 1, LIMIT + 60);
        // what comes after the cut continues no record: it leaves line by line
        assertThat(out.subList(1, out.size()))
                .allMatch(o -> !o.truncated() && !o.log().contains("\n"));
        // nothing is lost: every frame is in one of them
        assertThat(String.join("\n", out.stream().map(Out::log).toList()).split("\tat ", -1))
                .hasSize(41);
    }

    @Test
    void aLineOfAnotherFormatFlushesWhatIsPending() throws Exception {
        MultilineJoiner j = new MultilineJoiner(BuiltInRuleSets.DEFAULT_APPLICATION, LIMIT);
        line(j, Format.CRI, "stderr", "java.lang.IllegalStateException: boom", 1);
        line(j, Format.DOCKER, "stderr", "\tat a.B.c(B.java:1)\n", 2);
        j.flushAll(buffer, sink);
        assertThat(out)
                .extracting(Out::log)
                .containsExactly("java.lang.IllegalStateException: boom", "\tat a.B.c(B.java:1)\n");
    }

    @Test
    void aLineAUserRuleGivesUpOnBreaksTheRecordAndLeavesAloneCounted() throws Exception {
        RuleSet hostile = RuleSet.builder("hostile")
                .userRule("start_state", "(.*a){12}$", "cont")
                .userRule("cont", "^\\s", "cont")
                .build();
        MultilineJoiner j = new MultilineJoiner(List.of(hostile), LIMIT, failures::add);
        String catastrophic = "a".repeat(60) + "!";
        line(j, Format.CRI, "stdout", catastrophic, 1);
        line(j, Format.CRI, "stdout", "aaaaaaaaaaaa", 2);
        line(j, Format.CRI, "stdout", " continued", 3);
        j.flushAll(buffer, sink);
        assertThat(failures).hasSize(1);
        assertThat(out).extracting(Out::log).containsExactly(catastrophic, "aaaaaaaaaaaa\n continued");
    }

    @Test
    void withoutRuleSetsEveryLineLeavesAtOnce() throws Exception {
        MultilineJoiner j = new MultilineJoiner(List.of(), LIMIT);
        line(j, Format.CRI, "stderr", "java.lang.IllegalStateException: boom", 1);
        line(j, Format.CRI, "stderr", "\tat a.B.c(B.java:1)", 2);
        assertThat(out)
                .extracting(Out::log)
                .containsExactly("java.lang.IllegalStateException: boom", "\tat a.B.c(B.java:1)");
    }
}
