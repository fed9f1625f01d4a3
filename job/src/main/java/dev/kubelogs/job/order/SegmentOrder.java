package dev.kubelogs.job.order;

import dev.kubelogs.job.merge.HeldSegment;
import dev.kubelogs.job.merge.PerKey;
import dev.kubelogs.job.merge.StageContext;
import dev.kubelogs.job.source.SpoolRecord;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage: records of a later segment that overtake an earlier one (two readers) are held in keyed state
 * until the earlier one is through, so every file is processed in file order. A segment that never comes is given
 * up on after the gap timeout, but only when the source could not say which segment preceded the held one.
 */
public final class SegmentOrder {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentOrder.class);

    /** Where records go once it is their turn. */
    public interface Next {
        void handle(SpoolRecord record) throws Exception;
    }

    private final long gapTimeoutMillis;
    private ValueState<Long> expectedSeq;
    private MapState<Long, HeldSegment> heldSegments;
    private MapState<String, SpoolRecord> heldRecords;
    private PerKey<View> views;
    private Counter heldSegmentsCount;
    private Counter segmentGaps;

    public SegmentOrder(Duration gapTimeout) {
        this.gapTimeoutMillis = gapTimeout.toMillis();
    }

    public void open(RuntimeContext state, MetricGroup metrics) {
        expectedSeq = state.getState(new ValueStateDescriptor<>("expected-segment", Types.LONG));
        heldSegments = state.getMapState(
                new MapStateDescriptor<>("held-segments", Types.LONG, TypeInformation.of(HeldSegment.class)));
        heldRecords = state.getMapState(
                new MapStateDescriptor<>("held-records", Types.STRING, TypeInformation.of(SpoolRecord.class)));
        views = new PerKey<>(View::new);
        heldSegmentsCount = metrics.counter("heldSegments");
        segmentGaps = metrics.counter("segmentGaps");
    }

    /** Hands the record on when it is its segment's turn (and every held segment it unblocks), else holds it. */
    public void accept(SpoolRecord record, StageContext ctx, Next next) throws Exception {
        long expected = expected(ctx, true);
        if (record.segmentSeq > expected
                && record.previousSeq != SpoolRecord.UNKNOWN
                && record.previousSeq < expected) {
            // everything the source read before this segment is through: the seqs between are a gap
            // (a segment set aside as corrupt, or removed by retention before it was read)
            expected = record.segmentSeq;
            setExpected(ctx, expected);
        }
        if (record.segmentSeq > expected) {
            hold(record, ctx);
            return;
        }
        next.handle(record);
        if (record.segmentSeq == expected && endsSegment(record)) {
            setExpected(ctx, expected + 1);
            drainHeld(ctx, next);
        }
    }

    /** The timer: gives up on a missing segment whose gap timeout ran out. */
    public void onTimer(StageContext ctx, Next next) throws Exception {
        skipGap(ctx, next, false);
    }

    /** End of input: every held segment is handed on, in seq order, whatever is missing. */
    public void releaseAll(StageContext ctx, Next next) throws Exception {
        while (!heldSegments.isEmpty()) {
            skipGap(ctx, next, true);
        }
    }

    private static boolean endsSegment(SpoolRecord r) {
        return r.type == SpoolRecord.SEGMENT_END || r.type == SpoolRecord.CORRUPT;
    }

    private void hold(SpoolRecord record, StageContext ctx) throws Exception {
        HeldSegment h = heldSegments.get(record.segmentSeq);
        if (h == null) {
            h = new HeldSegment();
            h.heldSince = ctx.now();
            h.first = record.indexInSegment;
            h.indices = new int[0];
            heldSegmentsCount.inc();
        }
        h.first = Math.min(h.first, record.indexInSegment);
        h.last = Math.max(h.last, record.indexInSegment);
        if (h.indices != null) {
            // a segment held by 0.1.0 has no list: its [first, last] range stays the way to drain it
            h.indices = appendIndex(h.indices, record.indexInSegment);
        }
        h.ended |= endsSegment(record);
        h.previousSeq = record.previousSeq;
        heldSegments.put(record.segmentSeq, h);
        heldRecords.put(heldKey(record.segmentSeq, record.indexInSegment), record);
        if (record.previousSeq == SpoolRecord.UNKNOWN) {
            ctx.scheduleAt(h.heldSince + gapTimeoutMillis);
        }
        ctx.scheduleEndOfInput();
    }

    private static int[] appendIndex(int[] indices, int index) {
        int[] out = Arrays.copyOf(indices, indices.length + 1);
        out[out.length - 1] = index;
        return out;
    }

    /** The held indices of a segment in segment order; every index in [first, last] for a segment held by 0.1.0. */
    private static int[] heldIndices(HeldSegment h) {
        if (h.indices != null) {
            int[] sorted = h.indices.clone();
            Arrays.sort(sorted);
            return sorted;
        }
        return IntStream.rangeClosed(h.first, h.last).toArray();
    }

    private static String heldKey(long seq, int index) {
        return seq + "#" + index;
    }

    /** Processes held segments that are next in line, in seq order. */
    private void drainHeld(StageContext ctx, Next next) throws Exception {
        while (true) {
            long expected = expected(ctx, false);
            HeldSegment h = heldSegments.get(expected);
            if (h == null) {
                return;
            }
            heldSegments.remove(expected);
            for (int i : heldIndices(h)) {
                String key = heldKey(expected, i);
                SpoolRecord r = heldRecords.get(key);
                if (r != null) {
                    heldRecords.remove(key);
                    next.handle(r);
                }
            }
            if (!h.ended) {
                return; // the rest of this segment is still on its way and will flow directly
            }
            setExpected(ctx, expected + 1);
        }
    }

    /**
     * Gives up waiting for a segment that never came: jumps to the oldest held one. Only when the source could
     * not say which segment preceded it — a held segment naming a predecessor at or after the expected one
     * proves the missing ones were handed to a reader and will arrive (as lines or as a corrupt-segment notice).
     */
    private void skipGap(StageContext ctx, Next next, boolean force) throws Exception {
        long now = ctx.now();
        Long oldest = null;
        HeldSegment oldestHeld = null;
        for (Map.Entry<Long, HeldSegment> e : heldSegments.entries()) {
            if (oldest == null || e.getKey() < oldest) {
                oldest = e.getKey();
                oldestHeld = e.getValue();
            }
        }
        if (oldest == null) {
            return;
        }
        boolean onItsWay = oldestHeld.previousSeq != SpoolRecord.UNKNOWN;
        long giveUpAt = ctx.sinceStart(oldestHeld.heldSince + gapTimeoutMillis, gapTimeoutMillis);
        if (!force && (onItsWay || giveUpAt > now)) {
            if (!onItsWay) {
                ctx.scheduleAt(giveUpAt);
            }
            return;
        }
        LOG.warn(
                "Node {}: segment(s) {}..{} never arrived; continuing with segment {}",
                ctx.key(),
                expected(ctx, false),
                oldest - 1,
                oldest);
        segmentGaps.inc();
        setExpected(ctx, oldest);
        drainHeld(ctx, next);
    }

    /**
     * The next segment due. A node's first segment is 0 ({@code storeFirst} writes that to state on the first
     * record); a node whose early segments are gone is released by the gap timeout.
     */
    private long expected(StageContext ctx, boolean storeFirst) throws Exception {
        View view = views.of(ctx.key());
        if (view.expected == null) {
            Long stored = expectedSeq.value();
            if (stored == null) {
                stored = 0L;
                if (storeFirst) {
                    expectedSeq.update(stored);
                }
            }
            view.expected = stored;
        }
        return view.expected;
    }

    private void setExpected(StageContext ctx, long seq) throws Exception {
        expectedSeq.update(seq);
        views.of(ctx.key()).expected = seq;
    }

    /** The expected seq of one key, read from state once. */
    private static final class View {
        Long expected;
    }
}
