package dev.kubelogs.job.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.merge.StageContext;
import dev.kubelogs.job.merge.StageHarness;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.nio.charset.StandardCharsets;
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

/** The segment order stage alone: what it hands on, in which order, and what it holds in state. */
class SegmentOrderTest {
    private static final FileRef FILE = new FileRef("/var/log/messages", 2049, 7, 0, SourceKind.HOST_FILE);

    /** Hands on {@code seq#index} of every record whose turn it is. */
    static final class OrderOnly extends KeyedProcessFunction<String, SpoolRecord, String> {
        private transient StageContext stage;
        private transient SegmentOrder order;

        @Override
        public void open(OpenContext openContext) {
            stage = new StageContext();
            order = new SegmentOrder(Duration.ofSeconds(30));
            order.open(getRuntimeContext(), getRuntimeContext().getMetricGroup().addGroup("kubelogs"));
        }

        @Override
        public void processElement(SpoolRecord record, Context ctx, Collector<String> out) throws Exception {
            stage.bind(ctx);
            order.accept(record, stage, r -> out.collect(r.segmentSeq + "#" + r.indexInSegment));
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
            stage.bind(ctx);
            SegmentOrder.Next next = r -> out.collect(r.segmentSeq + "#" + r.indexInSegment);
            if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
                order.releaseAll(stage, next);
            } else {
                order.onTimer(stage, next);
            }
        }
    }

    private StageHarness<SpoolRecord, String> stage;

    @BeforeEach
    void setUp() throws Exception {
        stage = new StageHarness<>(OrderOnly::new, SpoolRecord::nodeKey);
    }

    @AfterEach
    void tearDown() throws Exception {
        stage.close();
    }

    /** Segment {@code seq}: a start, {@code lines} lines and an end, each naming {@code previous}. */
    private static List<SpoolRecord> segment(long seq, int lines, long previous) {
        SegmentHeader header = new SegmentHeader("prod", "node-1", seq, 1_700_000_000_000L, Map.of());
        List<SpoolRecord> records = new java.util.ArrayList<>();
        records.add(SpoolRecord.segmentStart(header));
        for (int i = 1; i <= lines; i++) {
            byte[] text = ("line " + i).getBytes(StandardCharsets.UTF_8);
            records.add(SpoolRecord.line(header, i, new LineEntry(FILE, seq * 100 + i, text, 0, 1L)));
        }
        records.add(SpoolRecord.segmentEnd(header, lines + 1));
        records.forEach(r -> r.previousSeq = previous);
        return records;
    }

    private void send(List<SpoolRecord> records) throws Exception {
        for (SpoolRecord r : records) {
            stage.send(r);
        }
    }

    @Test
    void aSegmentThatOvertakesItsPredecessorIsHeldThenHandedOnInIndexOrder() throws Exception {
        List<SpoolRecord> second = segment(1, 2, SpoolRecord.UNKNOWN);
        send(List.of(second.get(2), second.get(0), second.get(3), second.get(1)));
        assertThat(stage.take()).isEmpty();
        assertThat(stage.counter("heldSegments")).isEqualTo(1);

        send(segment(0, 1, SpoolRecord.UNKNOWN));
        assertThat(stage.take()).containsExactly("0#0", "0#1", "0#2", "1#0", "1#1", "1#2", "1#3");
        send(segment(2, 0, SpoolRecord.UNKNOWN));
        assertThat(stage.take()).containsExactly("2#0", "2#1");
    }

    @Test
    void heldRecordsAndTheExpectedSegmentAreRestoredFromASnapshot() throws Exception {
        send(segment(0, 0, SpoolRecord.UNKNOWN));
        send(segment(2, 1, SpoolRecord.UNKNOWN));
        stage.take();
        stage.restart(stage.snapshot());

        send(segment(1, 0, SpoolRecord.UNKNOWN));
        assertThat(stage.take()).containsExactly("1#0", "1#1", "2#0", "2#1", "2#2");
    }

    @Test
    void aMissingSegmentOfUnknownPredecessorIsSkippedOnlyOnceTheGapTimeoutRanOut() throws Exception {
        send(segment(1, 1, SpoolRecord.UNKNOWN));
        stage.advanceProcessingTime(29_000);
        assertThat(stage.take()).isEmpty();

        stage.advanceProcessingTime(2_000);
        assertThat(stage.take()).containsExactly("1#0", "1#1", "1#2");
        assertThat(stage.counter("segmentGaps")).isEqualTo(1);
    }

    @Test
    void aSegmentNamingItsPredecessorWaitsPastTheTimeoutUntilTheEndOfInput() throws Exception {
        send(segment(1, 1, 0));
        stage.advanceProcessingTime(120_000);
        assertThat(stage.take()).isEmpty();

        stage.endOfInput();
        assertThat(stage.take()).containsExactly("1#0", "1#1", "1#2");
    }

    @Test
    void aGapTheSourceNamesIsCrossedWithoutWaiting() throws Exception {
        send(segment(0, 0, -1));
        send(segment(2, 0, 0)); // segment 1 was set aside: the source names 0 as this one's predecessor
        assertThat(stage.take()).containsExactly("0#0", "0#1", "2#0", "2#1");
        assertThat(stage.counter("heldSegments")).isZero();
    }
}
