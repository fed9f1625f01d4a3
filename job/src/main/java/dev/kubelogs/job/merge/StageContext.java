package dev.kubelogs.job.merge;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.OutputTag;

/**
 * What every stage of the keyed stage needs from the call it runs in: the node key, processing time, timers and
 * side outputs. The operator binds it at the start of each element and timer call; the stages keep no context of
 * their own.
 */
public final class StageContext {
    /** Deadlines are rounded up to this, so a burst of lines registers one timer, not one per millisecond. */
    private static final long TIMER_GRANULARITY_MS = 100;

    private KeyedProcessFunction<String, ?, ?>.Context ctx;
    private String key;
    /**
     * Processing time when this instance started (first record or timer after open). Deadlines kept in state
     * from before a restore count from here: an upgrade longer than a timeout must not cut what it interrupted.
     */
    private long startedAt = -1;

    /** Called at the start of every processElement and onTimer. */
    public void bind(KeyedProcessFunction<String, ?, ?>.Context ctx) {
        this.ctx = ctx;
        this.key = ctx.getCurrentKey();
        if (startedAt < 0) {
            startedAt = ctx.timerService().currentProcessingTime();
        }
    }

    /** The node key, {@code cluster/node}. */
    public String key() {
        return key;
    }

    public String cluster() {
        return key.substring(0, key.indexOf('/'));
    }

    public String node() {
        return key.substring(key.indexOf('/') + 1);
    }

    public long now() {
        return ctx.timerService().currentProcessingTime();
    }

    /** A deadline from state, but never earlier than {@code timeout} after this instance started. */
    public long sinceStart(long deadline, long timeout) {
        return Math.max(deadline, startedAt + timeout);
    }

    /** A processing-time timer at the deadline (rounded up); onTimer asks every stage what is due. */
    public void scheduleAt(long deadline) {
        long rounded = (deadline + TIMER_GRANULARITY_MS - 1) / TIMER_GRANULARITY_MS * TIMER_GRANULARITY_MS;
        ctx.timerService().registerProcessingTimeTimer(rounded);
    }

    /**
     * At the end of a bounded input (and on stop-with-savepoint --drain) the watermark jumps to its maximum:
     * what is pending is completed then. A plain stop-with-savepoint keeps it in state for the next run.
     */
    public void scheduleEndOfInput() {
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    public <T> void output(OutputTag<T> tag, T value) {
        ctx.output(tag, value);
    }
}
