package dev.kubelogs.job.multiline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.merge.RawPiece;
import dev.kubelogs.job.merge.StageContext;
import dev.kubelogs.job.merge.StageHarness;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Split-line joining alone: pieces kept in state until the last one, records of a long line, the end of input. */
class SplitLineJoinerTest {
    private static final SegmentHeader HEADER = new SegmentHeader("prod", "node-1", 0, 1L, Map.of());
    private static final FileRef FILE =
            new FileRef("/var/log/containers/a_b_c-" + "d".repeat(64) + ".log", 2049, 7, 0, SourceKind.CONTAINER);

    /** Collects {@code whole <text> @offset} for a completed line and {@code record <log> @offset [truncated]}. */
    static final class JoinOnly extends KeyedProcessFunction<String, SpoolRecord, String> {
        private transient StageContext stage;
        private transient SplitLineJoiner split;

        @Override
        public void open(OpenContext openContext) {
            stage = new StageContext();
            split = new SplitLineJoiner(40);
            split.open(getRuntimeContext());
        }

        private static SplitLines.Output to(Collector<String> out) {
            return (record, time, offset, truncated, unparsed) -> out.collect(
                    "record " + record.get("log").textValue() + " @" + offset + (truncated ? " truncated" : ""));
        }

        @Override
        public void processElement(SpoolRecord r, Context ctx, Collector<String> out) throws Exception {
            stage.bind(ctx);
            String fileId = r.fileIdentity();
            if ((r.flags & LineFlags.PARTIAL) != 0) {
                split.add(stage, fileId, r.path, r.data, 0, r.data.length, r.offset, r.readTimeMillis, to(out));
            } else if (split.pending(stage, fileId)) {
                RawPiece whole = split.complete(stage, fileId, r.data, 0, r.data.length, to(out));
                if (whole != null) {
                    out.collect("whole " + new String(whole.bytes, StandardCharsets.UTF_8) + " @" + whole.offset);
                }
            } else {
                out.collect("whole " + new String(r.data, StandardCharsets.UTF_8) + " @" + r.offset);
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
            stage.bind(ctx);
            if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
                split.abandonAll(stage, (fileId, path) -> to(out));
            }
        }
    }

    private StageHarness<SpoolRecord, String> stage;
    private long offset;

    @BeforeEach
    void setUp() throws Exception {
        stage = new StageHarness<>(JoinOnly::new, SpoolRecord::nodeKey);
    }

    @AfterEach
    void tearDown() throws Exception {
        stage.close();
    }

    private void piece(String text, boolean last) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        stage.send(SpoolRecord.line(HEADER, 1, new LineEntry(FILE, offset, bytes, last ? 0 : LineFlags.PARTIAL, 1L)));
        offset += bytes.length + (last ? 1 : 0);
    }

    @Test
    void piecesWithinTheLimitBecomeOneLineAtTheFirstPiecesOffset() throws Exception {
        piece("plain", true);
        piece("2024-05-14T09:12:03Z stdout F one ", false);
        piece("two", true);
        assertThat(stage.take()).containsExactly("whole plain @0", "whole 2024-05-14T09:12:03Z stdout F one two @6");
    }

    @Test
    void aLinePastTheLimitLeavesInRecordsAsItsBytesArrive() throws Exception {
        piece("2024-05-14T09:12:03Z stdout F " + "a".repeat(20), false);
        assertThat(stage.take()).containsExactly("record " + "a".repeat(10) + " @0 truncated");
        piece("b".repeat(20), true);
        assertThat(stage.take()).containsExactly("record " + "a".repeat(10) + "b".repeat(20) + " @40");
    }

    @Test
    void aPendingPieceIsRestoredAndLeavesAsItIsAtTheEndOfInput() throws Exception {
        piece("2024-05-14T09:12:03Z stdout F head", false);
        stage.restart(stage.snapshot());
        stage.endOfInput();
        assertThat(stage.take()).containsExactly("record head @0 truncated");
    }
}
