package dev.kubelogs.job.multiline;

import dev.kubelogs.job.enrich.PodMetadata;
import dev.kubelogs.job.merge.StageContext;
import dev.kubelogs.job.merge.StateKeys;
import dev.kubelogs.job.merge.StreamBuffer;
import dev.kubelogs.spool.ContainerLogName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.MetricGroup;

/**
 * Multiline buffering: one {@link StreamBuffer} per (file identity, stream) in keyed state — a runtime partial line
 * or a stack trace not yet complete — joined by a {@link MultilineJoiner} with the container's rule sets. A batch's
 * buffers stay in memory while it is processed and are written to state once when it is through, each with the read
 * time of the batch's last line and a new flush deadline. A buffer is flushed when its stream has been idle for the
 * idle flush before a segment's caught-up time ({@link #flushIdle}: Fluent Bit's flush, decided from the segments,
 * so a replay decides the same), when its deadline passes (for segments that state no caught-up time, and nodes that
 * stop sending), or at the end of input.
 */
public final class MultilineBuffers {

    /** Where what a flush completes goes, per buffer (its file, path and category are in the buffer). */
    public interface Flushed {
        MultilineJoiner.Output of(StreamBuffer buffer);
    }

    private final long flushTimeoutMillis;
    private final long idleFlushMillis;
    private final int maxRecordBytes;
    private final boolean stackTraceJoining;
    private final List<SelectedRuleSet> userRuleSets;
    private MapState<String, StreamBuffer> buffers;
    private StateKeys keysInState;
    /** Buffers touched by the batch being processed, by buffer key. */
    private Map<String, BatchBuffer> batchBuffers;

    private RuleFailureLog ruleFailures;

    /**
     * @param flushTimeout processing time after a buffer's last batch at which it is flushed
     * @param idleFlush how long a stream must have read nothing before a segment's caught-up time to be complete
     */
    public MultilineBuffers(
            Duration flushTimeout,
            Duration idleFlush,
            int maxRecordBytes,
            boolean stackTraceJoining,
            List<SelectedRuleSet> userRuleSets) {
        this.flushTimeoutMillis = flushTimeout.toMillis();
        this.idleFlushMillis = idleFlush.toMillis();
        this.maxRecordBytes = maxRecordBytes;
        this.stackTraceJoining = stackTraceJoining;
        this.userRuleSets = userRuleSets;
    }

    public void open(RuntimeContext state, MetricGroup metrics) {
        buffers = state.getMapState(
                new MapStateDescriptor<>("stream-buffers", Types.STRING, TypeInformation.of(StreamBuffer.class)));
        keysInState = new StateKeys(buffers);
        batchBuffers = new LinkedHashMap<>();
        ruleFailures = new RuleFailureLog(metrics.counter("multilineRuleFailures"));
    }

    /**
     * The joiner of one container file: the rule sets {@link SelectedRuleSet#forContainer} picks for it (user rule
     * sets, the pod's annotation) when it is an application log and stack trace joining is on; else none, so only
     * runtime partial lines are joined.
     *
     * @param name null when the file name does not follow the kubelet's pattern
     * @param pod the pod's metadata, or null
     */
    public MultilineJoiner joinerFor(StageContext ctx, boolean application, ContainerLogName name, PodMetadata pod) {
        List<RuleSet> sets = List.of();
        String where = "node " + ctx.node();
        if (application && stackTraceJoining) {
            if (name == null) {
                sets = SelectedRuleSet.forContainer(List.of(), null, null, null, null);
            } else {
                String choice = pod == null ? null : pod.annotation(PodMetadata.MULTILINE_ANNOTATION);
                sets = SelectedRuleSet.forContainer(
                        userRuleSets, name.namespace(), name.podName(), name.containerName(), choice);
                where += ", pod " + name.namespace() + "/" + name.podName() + ", container " + name.containerName();
            }
        }
        String failureContext = where;
        return new MultilineJoiner(sets, maxRecordBytes, e -> ruleFailures.gaveUp(failureContext, e));
    }

    /** A stream's buffer for the batch being processed: from the batch, else from state, else a new one. */
    public StreamBuffer forBatch(StageContext ctx, String bufferKey, String path, String fileId, int category)
            throws Exception {
        BatchBuffer inBatch = batchBuffers.get(bufferKey);
        if (inBatch == null) {
            StreamBuffer buffer = bufferKeys(ctx).contains(bufferKey) ? buffers.get(bufferKey) : null;
            boolean existed = buffer != null;
            if (buffer == null) {
                buffer = new StreamBuffer();
                buffer.fileId = fileId;
                buffer.path = path;
                buffer.category = category;
            }
            inBatch = new BatchBuffer(buffer, existed);
            batchBuffers.put(bufferKey, inBatch);
        }
        return inBatch.buffer();
    }

    /** Flushes every stream of one file identity that has something pending, in this batch or in state. */
    public void flushFile(StageContext ctx, String fileId, MultilineJoiner joiner, MultilineJoiner.Output out)
            throws Exception {
        String prefix = fileId + "|";
        for (String key : bufferKeys(ctx)) {
            if (key.startsWith(prefix) && !batchBuffers.containsKey(key)) {
                batchBuffers.put(key, new BatchBuffer(buffers.get(key), true));
            }
        }
        for (Map.Entry<String, BatchBuffer> e : batchBuffers.entrySet()) {
            if (e.getKey().startsWith(prefix) && !e.getValue().buffer().isEmpty()) {
                joiner.flushAll(e.getValue().buffer(), out);
            }
        }
    }

    /**
     * The batch is through: each buffer it touched is written to state once, with a new flush deadline and
     * {@code lastReadMillis}, the read time of the batch's last line (no earlier than that of the buffer's last line,
     * so the idle flush may come later than it could, never earlier).
     */
    public void endBatch(StageContext ctx, long lastReadMillis) throws Exception {
        for (Map.Entry<String, BatchBuffer> e : batchBuffers.entrySet()) {
            StreamBuffer buffer = e.getValue().buffer();
            buffer.lastReadMillis = Math.max(buffer.lastReadMillis, lastReadMillis);
            save(ctx, e.getKey(), buffer, e.getValue().existed());
        }
        batchBuffers.clear();
    }

    /**
     * A segment of this node stated its collector's caught-up time ({@code dev.kubelogs.spool.Segment}): every line
     * read before it is through. A buffer whose stream read nothing for the idle flush before that time is complete,
     * since its stream's next line was written at least that long after its last; it is flushed now instead of at its
     * deadline. Buffers restored from state written before their read time was kept wait for their deadline.
     */
    public void flushIdle(StageContext ctx, long caughtUpMillis, Flushed out) throws Exception {
        long readBy = caughtUpMillis - idleFlushMillis;
        Map<String, StreamBuffer> idle = null;
        for (String key : bufferKeys(ctx)) {
            StreamBuffer buffer = buffers.get(key);
            if (buffer != null && buffer.lastReadMillis > 0 && buffer.lastReadMillis <= readBy) {
                if (idle == null) {
                    idle = new LinkedHashMap<>();
                }
                idle.put(key, buffer);
            }
        }
        if (idle != null) {
            for (Map.Entry<String, StreamBuffer> e : idle.entrySet()) {
                flush(ctx, e.getKey(), e.getValue(), out);
            }
        }
    }

    private void save(StageContext ctx, String key, StreamBuffer buffer, boolean existed) throws Exception {
        if (buffer.isEmpty()) {
            if (existed) {
                buffers.remove(key);
                bufferKeys(ctx).remove(key);
            }
            return;
        }
        buffer.deadline = ctx.now() + flushTimeoutMillis;
        buffers.put(key, buffer);
        bufferKeys(ctx).add(key);
        ctx.scheduleAt(buffer.deadline);
        ctx.scheduleEndOfInput();
    }

    /** The timer: flushes the buffers whose deadline passed and schedules the next deadline of the others. */
    public void flushDue(StageContext ctx, Flushed out) throws Exception {
        long now = ctx.now();
        List<String> due = new ArrayList<>();
        for (Map.Entry<String, StreamBuffer> e : buffers.entries()) {
            long deadline = ctx.sinceStart(e.getValue().deadline, flushTimeoutMillis);
            if (deadline <= now) {
                due.add(e.getKey());
            } else {
                ctx.scheduleAt(deadline);
            }
        }
        for (String key : due) {
            flush(ctx, key, out);
        }
    }

    /** End of input: every buffer is flushed. */
    public void flushAll(StageContext ctx, Flushed out) throws Exception {
        List<String> keys = new ArrayList<>();
        for (String key : buffers.keys()) {
            keys.add(key);
        }
        for (String key : keys) {
            flush(ctx, key, out);
        }
    }

    private void flush(StageContext ctx, String key, Flushed out) throws Exception {
        flush(ctx, key, buffers.get(key), out);
    }

    /** Flushes {@code buffer}, read from the state under {@code key}, and removes it from the state. */
    private void flush(StageContext ctx, String key, StreamBuffer buffer, Flushed out) throws Exception {
        buffers.remove(key);
        bufferKeys(ctx).remove(key);
        if (buffer == null) {
            return;
        }
        new MultilineJoiner(List.of(), maxRecordBytes).flushAll(buffer, out.of(buffer));
    }

    private Set<String> bufferKeys(StageContext ctx) throws Exception {
        return keysInState.of(ctx.key());
    }

    /**
     * A stream's buffer while a batch is processed: kept in memory and written to state once when the batch is
     * through, not after every line — a 30-frame stack trace was 30 state writes of a growing record.
     */
    private record BatchBuffer(StreamBuffer buffer, boolean existed) {}
}
