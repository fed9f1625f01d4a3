package dev.kubelogs.collector.commit;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.spool.SegmentSpool;
import dev.kubelogs.collector.tail.CollectorState;
import dev.kubelogs.collector.tail.StateStore;
import dev.kubelogs.spool.CorruptSegmentException;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.Segment;
import dev.kubelogs.spool.SegmentReader;
import dev.kubelogs.spool.SourceKind;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's commit protocol between the spool's segments and the state of its inputs.
 *
 * <p>{@link #roll}: the open segment is fsync'd, the state it covers (offsets, journal cursor, announced pods)
 * written to {@code pending.json} and fsync'd, the segment renamed to its final name and the directory fsync'd,
 * then the state committed ({@code pending.json} renamed over {@code state.json}). {@link #recover} after a crash
 * adopts the pending state iff its segment exists, and reconciles with the trailers of segments newer than the
 * state, so a crash at any moment neither loses nor re-sends a line. {@link #rescan} measures the spool and applies its retention.
 *
 * <p>Not thread-safe: the tail thread owns it; {@link #committed()} may be read from any thread.
 */
public final class SpoolCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolCommitter.class);

    private final SegmentSpool spool;
    private final StateStore store;
    private final String cluster;
    private final String node;
    private final Duration retention;
    private final CollectorMetrics metrics;
    /** Fills a new state with the inputs' positions as of the last line written to the open segment. */
    private final Consumer<CollectorState> positions;

    private final Runnable published;

    private volatile CollectorState committed;
    private long spoolBytes;
    private long newestSegmentBytes;
    private int spoolSegments;

    /**
     * @param positions fills the inputs' current positions (files, retired files, pods, journal) into a state
     * @param published called after each segment became durable (wakes the uploader)
     */
    public SpoolCommitter(
            SegmentSpool spool,
            StateStore store,
            String cluster,
            String node,
            Duration retention,
            CollectorMetrics metrics,
            Consumer<CollectorState> positions,
            Runnable published) {
        this.spool = spool;
        this.store = store;
        this.cluster = cluster;
        this.node = node;
        this.retention = retention;
        this.metrics = metrics;
        this.positions = positions;
        this.published = published;
    }

    /** The last committed state, or null before the first commit of a first start. */
    public CollectorState committed() {
        return committed;
    }

    /** Bytes in the spool's segments as of the last rescan plus the segments written since. */
    public long spoolBytes() {
        return spoolBytes;
    }

    /**
     * Of {@link #spoolBytes}, what the job can consume: all but the newest segment's, which the job never deletes
     * (the numbering continues from it), so it cannot count towards the spool's limit.
     */
    public long deletableSpoolBytes() {
        return spoolBytes - newestSegmentBytes;
    }

    /**
     * Loads the committed state, adopts a pending state whose segment is durable, reconciles with trailers of any
     * newer segments, deletes unfinished temp segments and sets the next seq. Returns the state to resume from, or
     * null on a first start (nothing known).
     */
    public CollectorState recover() throws IOException {
        spool.deleteTempFiles();
        if (spool.removeSealed()) {
            LOG.info("removed the 'sealed' marker of an earlier run: this node's collector is writing again");
        }
        StateStore.Loaded loaded = store.loadCommitted();
        if (loaded.problem() != null) {
            metrics.error("state_corrupt");
            LOG.error("{}; recovering positions from the spool's segment trailers", loaded.problem());
        }
        CollectorState state = loaded.state();
        StateStore.Loaded pending = store.loadPending();
        if (pending.problem() != null) {
            metrics.error("state_corrupt");
            LOG.error("{}", pending.problem());
        }
        List<Long> seqs = spool.listSegments();
        Set<Long> present = new HashSet<>(seqs);
        if (pending.state() != null) {
            long p = pending.state().committedSeq;
            if (present.contains(p) && (state == null || p > state.committedSeq)) {
                LOG.info(
                        "segment {} became durable before the last run committed its state: adopting its pending "
                                + "state",
                        p);
                state = pending.state();
                store.commit(state);
            } else {
                store.deletePending();
            }
        }
        long committedSeq = state == null ? -1 : state.committedSeq;
        boolean reconciled = false;
        for (long seq : seqs) {
            if (seq <= committedSeq) {
                continue;
            }
            if (state == null) {
                state = new CollectorState();
                state.cluster = cluster;
                state.node = node;
            }
            reconcile(state, seq);
            reconciled = true;
        }
        if (reconciled) {
            store.commit(state);
        }
        long maxOnDisk = seqs.isEmpty() ? -1 : seqs.get(seqs.size() - 1);
        spool.setNextSeq(Math.max(committedSeq, maxOnDisk) + 1);
        committed = state;
        if (state != null) {
            metrics.committedSeq.set(state.committedSeq);
            LOG.info(
                    "resuming after segment {}: {} files known, next segment {}",
                    state.committedSeq,
                    state.files.size(),
                    spool.nextSeq());
        }
        rescan();
        return state;
    }

    /** Applies a durable segment's trailer to the state (used when the state is older than the spool). */
    private void reconcile(CollectorState state, long seq) throws IOException {
        Path p = spool.segmentPath(seq);
        Segment seg;
        try {
            seg = SegmentReader.parse(Files.readAllBytes(p));
        } catch (CorruptSegmentException e) {
            metrics.error("corrupt_segment");
            Path aside = p.resolveSibling("." + p.getFileName() + ".corrupt");
            Files.move(p, aside);
            LOG.error(
                    "segment {} is corrupt ({}); moved aside to {}; its lines are re-read from the previous "
                            + "positions",
                    p,
                    e.getMessage(),
                    aside.getFileName());
            return;
        }
        for (Map.Entry<FileRef, Long> e : seg.endOffsets().entrySet()) {
            FileRef f = e.getKey();
            if (f.kind() == SourceKind.JOURNAL) {
                if (state.journal == null) {
                    state.journal = new CollectorState.JournalState();
                }
                state.journal.offset = e.getValue();
                state.journal.inode = f.inode();
                LOG.warn(
                        "the journal cursor of segment {} is not in the state; journal entries after the last "
                                + "committed cursor may be sent again",
                        seq);
                continue;
            }
            state.files.removeIf(fs -> fs.device == f.device() && fs.inode == f.inode());
            CollectorState.FileState fs = new CollectorState.FileState();
            fs.path = f.path();
            fs.device = f.device();
            fs.inode = f.inode();
            fs.generation = f.generation();
            fs.kind = f.kind().name();
            fs.offset = e.getValue();
            state.files.add(fs);
        }
        state.committedSeq = seq;
        LOG.info(
                "reconciled positions with the trailer of durable segment {} ({} files)",
                seq,
                seg.endOffsets().size());
    }

    /** Closes the open segment durably and commits the state that it covers; nothing when none is open. */
    public void roll() throws IOException {
        roll(-1);
    }

    /**
     * Like {@link #roll()}, the segment stating the tail's caught-up time when {@code caughtUpMillis} is not negative
     * ({@link SegmentSpool#sync(long)}).
     */
    public void roll(long caughtUpMillis) throws IOException {
        if (!spool.isOpen()) {
            return;
        }
        long seq = spool.openSeq();
        spool.sync(caughtUpMillis);
        CollectorState s = snapshot(seq);
        store.writePending(s);
        long bytes = spool.openBytes();
        spool.publish();
        store.commitPending();
        committed = s;
        metrics.segmentsWritten.inc();
        metrics.segmentBytesWritten.inc(bytes);
        metrics.committedSeq.set(seq);
        published.run();
        spoolBytes += bytes;
        newestSegmentBytes = bytes;
        spoolSegments++;
        metrics.spoolBytes.set(spoolBytes);
        metrics.spoolSegments.set(spoolSegments);
    }

    private CollectorState snapshot(long seq) {
        CollectorState s = new CollectorState();
        s.cluster = cluster;
        s.node = node;
        s.committedSeq = seq;
        positions.accept(s);
        return s;
    }

    /** Measures the spool's segments and deletes those older than the retention (consumed or not). */
    public void rescan() throws IOException {
        long bytes = 0;
        int count = 0;
        long newestSeq = -1;
        long newestBytes = 0;
        long cutoff = System.currentTimeMillis() - retention.toMillis();
        Path dir = spool.directory();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SpoolPaths.SEGMENT_SUFFIX)) {
            for (Path p : ds) {
                if (SpoolPaths.parseSegmentSeq(p.getFileName().toString()).isEmpty()) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue; // consumed and deleted by the job meanwhile
                }
                if (a.lastModifiedTime().toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                    metrics.segmentsExpired.inc();
                    LOG.warn(
                            "deleted segment {} older than the spool retention {} although it was not confirmed as "
                                    + "consumed",
                            p.getFileName(),
                            retention);
                    continue;
                }
                bytes += a.size();
                count++;
                long seq =
                        SpoolPaths.parseSegmentSeq(p.getFileName().toString()).getAsLong();
                if (seq > newestSeq) {
                    newestSeq = seq;
                    newestBytes = a.size();
                }
            }
        }
        newestSegmentBytes = newestBytes;
        spoolBytes = bytes;
        spoolSegments = count;
        metrics.spoolBytes.set(bytes);
        metrics.spoolSegments.set(count);
    }
}
