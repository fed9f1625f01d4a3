package dev.kubelogs.job.multiline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.merge.StageContext;
import dev.kubelogs.job.merge.StageHarness;
import dev.kubelogs.job.merge.StreamBuffer;
import dev.kubelogs.job.parse.ContainerLine;
import dev.kubelogs.job.parse.ContainerLineParser;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Multiline buffering alone: buffers kept in state between batches, flushed by deadline, end of input, raw line. */
class MultilineBuffersTest {
    private static final SegmentHeader HEADER = new SegmentHeader("prod", "node-1", 0, 1L, Map.of());
    private static final FileRef FILE =
            new FileRef("/var/log/containers/a_b_c-" + "d".repeat(64) + ".log", 2049, 7, 0, SourceKind.CONTAINER);

    /** Joins the CRI lines of each LINES batch with the built-in rule sets; collects each record's log. */
    static final class BuffersOnly extends KeyedProcessFunction<String, SpoolRecord, String> {
        private transient StageContext stage;
        private transient MultilineBuffers multiline;

        @Override
        public void open(OpenContext openContext) {
            stage = new StageContext();
            multiline = new MultilineBuffers(Duration.ofSeconds(5), Duration.ofSeconds(4), 100_000, true, List.of());
            multiline.open(
                    getRuntimeContext(), getRuntimeContext().getMetricGroup().addGroup("kubelogs"));
        }

        private static MultilineJoiner.Output to(Collector<String> out) {
            return (record, time, offset, truncated) ->
                    out.collect(record.get("log").textValue());
        }

        @Override
        public void processElement(SpoolRecord batch, Context ctx, Collector<String> out) throws Exception {
            stage.bind(ctx);
            if (batch.type == SpoolRecord.SEGMENT_END) {
                if (batch.statesCaughtUp()) {
                    multiline.flushIdle(stage, batch.readTimeMillis, buffer -> to(out));
                }
                return;
            }
            String fileId = batch.fileIdentity();
            MultilineJoiner joiner = multiline.joinerFor(stage, true, null, null);
            for (int i = 0; i < batch.lineCount(); i++) {
                ContainerLine line = ContainerLineParser.parse(batch.data, batch.lineStart(i), batch.lineLength(i));
                if (line.format() == ContainerLine.Format.RAW) {
                    multiline.flushFile(stage, fileId, joiner, to(out));
                    out.collect(line.record().get("log").textValue());
                    continue;
                }
                StreamBuffer buffer = multiline.forBatch(stage, fileId + "|" + line.stream(), batch.path, fileId, 0);
                joiner.finalPiece(buffer, line.format(), line.record(), line.log(), 1L, batch.lineOffset(i), to(out));
            }
            multiline.endBatch(stage, batch.lineReadTime(batch.lineCount() - 1));
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
            stage.bind(ctx);
            if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
                multiline.flushAll(stage, buffer -> to(out));
            } else {
                multiline.flushDue(stage, buffer -> to(out));
            }
        }
    }

    private StageHarness<SpoolRecord, String> stage;
    private long offset;

    @BeforeEach
    void setUp() throws Exception {
        stage = new StageHarness<>(BuffersOnly::new, SpoolRecord::nodeKey);
    }

    @AfterEach
    void tearDown() throws Exception {
        stage.close();
    }

    private void batch(String... lines) throws Exception {
        readBatch(1L, lines);
    }

    private void readBatch(long readTime, String... lines) throws Exception {
        SpoolRecord batch = StageHarness.lines(HEADER, FILE, offset, readTime, lines);
        stage.send(batch);
        offset = batch.lineOffset(lines.length - 1) + batch.lineLength(lines.length - 1) + 1;
    }

    private static String cri(String text) {
        return "2024-05-14T09:12:03Z stderr F " + text;
    }

    @Test
    void aStackTraceThatSpansBatchesAndARestoreIsJoined() throws Exception {
        batch(cri("java.lang.IllegalStateException: boom"), cri("\tat a.B.c(B.java:1)"));
        stage.restart(stage.snapshot());
        batch(cri("\tat a.B.d(B.java:2)"), cri("java.lang.RuntimeException: again"));
        assertThat(stage.take())
                .containsExactly("java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)");
        stage.endOfInput();
        assertThat(stage.take()).containsExactly("java.lang.RuntimeException: again");
    }

    @Test
    void aPendingRecordLeavesWhenItsFlushDeadlinePasses() throws Exception {
        batch(cri("java.lang.IllegalStateException: boom"), cri("\tat a.B.c(B.java:1)"));
        stage.advanceProcessingTime(4_000);
        assertThat(stage.take()).isEmpty();
        stage.advanceProcessingTime(1_100);
        assertThat(stage.take()).containsExactly("java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)");
    }

    @Test
    void aRecordWhoseStreamReadNothingForTheIdleFlushBeforeASegmentsCaughtUpTimeLeavesAtThatSegmentsEnd()
            throws Exception {
        readBatch(10_000, cri("java.lang.IllegalStateException: boom"), cri("\tat a.B.c(B.java:1)"));
        stage.send(SpoolRecord.segmentEnd(HEADER, 3, 13_999));
        assertThat(stage.take())
                .as("read 3.999 s before the caught-up time: its tail may come")
                .isEmpty();
        stage.send(SpoolRecord.segmentEnd(HEADER, 3));
        assertThat(stage.take()).as("a segment that states no caught-up time").isEmpty();
        stage.send(SpoolRecord.segmentEnd(HEADER, 3, 14_000));
        assertThat(stage.take())
                .as("no processing time passed")
                .containsExactly("java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)");
        stage.advanceProcessingTime(10_000);
        assertThat(stage.take()).as("flushed once").isEmpty();
    }

    @Test
    void aRecordContinuedByALaterBatchIsIdleFromThatBatchsReadTime() throws Exception {
        readBatch(10_000, cri("java.lang.IllegalStateException: boom"));
        readBatch(12_000, cri("\tat a.B.c(B.java:1)"));
        stage.send(SpoolRecord.segmentEnd(HEADER, 3, 15_000));
        assertThat(stage.take()).isEmpty();
        readBatch(15_500, cri("\tat a.B.d(B.java:2)"));
        stage.send(SpoolRecord.segmentEnd(HEADER, 4, 19_400));
        assertThat(stage.take()).isEmpty();
        stage.send(SpoolRecord.segmentEnd(HEADER, 5, 19_500));
        assertThat(stage.take())
                .containsExactly("java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)");
    }

    @Test
    void aRestoredRecordKeepsItsReadTimeAndOneWithoutItWaitsForItsDeadline() throws Exception {
        readBatch(10_000, cri("java.lang.IllegalStateException: boom"));
        stage.restart(stage.snapshot());
        stage.send(SpoolRecord.segmentEnd(HEADER, 2, 14_000));
        assertThat(stage.take()).containsExactly("java.lang.IllegalStateException: boom");

        readBatch(0, cri("java.lang.RuntimeException: read time unknown"));
        stage.send(SpoolRecord.segmentEnd(HEADER, 4, 60_000));
        assertThat(stage.take())
                .as("a buffer without its read time is never idle")
                .isEmpty();
        stage.advanceProcessingTime(5_100);
        assertThat(stage.take()).containsExactly("java.lang.RuntimeException: read time unknown");
    }

    @Test
    void aRawLineFlushesWhatItsFileHasPendingFirst() throws Exception {
        batch(cri("java.lang.IllegalStateException: boom"));
        batch("not a runtime line");
        assertThat(stage.take()).containsExactly("java.lang.IllegalStateException: boom", "not a runtime line");
    }
}
