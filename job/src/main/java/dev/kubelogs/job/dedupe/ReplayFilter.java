package dev.kubelogs.job.dedupe;

import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.SourceKind;
import java.time.Duration;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Replay dedupe: per file identity the offset of the first unprocessed byte, so a re-read segment (a replay after
 * a failure) produces nothing new. The position is read once before a batch and written once after it; in between
 * {@link #admit} moves it in memory, allocation-free.
 */
public final class ReplayFilter {
    private final Duration fileStateTtl;
    private MapState<String, Long> nextOffsetByFile;
    private Counter linesIn;
    private Counter replayedLinesSkipped;

    // the batch being filtered
    private String fileId;
    private SourceKind kind;
    private Long stored;
    private long next;

    public ReplayFilter(Duration fileStateTtl) {
        this.fileStateTtl = fileStateTtl;
    }

    public void open(RuntimeContext state, MetricGroup metrics) {
        MapStateDescriptor<String, Long> offsets =
                new MapStateDescriptor<>("next-offset-by-file", Types.STRING, Types.LONG);
        // files that stopped growing are forgotten; replays only ever reach back one checkpoint
        offsets.enableTimeToLive(StateTtlConfig.newBuilder(fileStateTtl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        nextOffsetByFile = state.getMapState(offsets);
        linesIn = metrics.counter("linesIn");
        replayedLinesSkipped = metrics.counter("replayedLinesSkipped");
    }

    /** Starts a batch of the lines of file {@code fileId}: reads the file's replay position. */
    public void begin(SpoolRecord batch, String fileId) throws Exception {
        linesIn.inc(batch.lineCount());
        this.fileId = fileId;
        stored = nextOffsetByFile.get(fileId);
        next = stored == null ? Long.MIN_VALUE : stored;
        kind = batch.kind();
    }

    /** Whether line {@code i} of the batch is new (and then the position moves past it); counts the replayed. */
    public boolean admit(SpoolRecord batch, int i) {
        long offset = batch.lineOffset(i);
        if (offset < next) {
            replayedLinesSkipped.inc();
            return false;
        }
        next = offset + LineFlags.advance(kind, batch.lineLength(i), batch.lineFlags(i));
        return true;
    }

    /** Ends the batch: writes the file's position when it moved. */
    public void end() throws Exception {
        if (stored == null || next != stored) {
            nextOffsetByFile.put(fileId, next);
        }
    }
}
