package dev.kubelogs.collector.journal;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.spool.SegmentSpool;
import dev.kubelogs.collector.tail.CollectorState;
import dev.kubelogs.collector.tail.FileTailer;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SegmentWriter;
import java.io.IOException;

/**
 * Moves the journal reader's entries into the spool's open segment, and keeps the journal's position (entry count
 * and cursor) that the next committed state records. Tail thread only.
 */
public final class JournalDrain implements AutoCloseable {
    private final JournalReader reader;
    private final FileRef ref;
    private final SegmentSpool spool;
    private final CollectorMetrics metrics;
    private long offset;
    private String cursor;
    /** The journal's file id in the open segment, valid while {@link #epoch} is the spool's epoch. */
    private int fileId = -1;

    private long epoch = -1;
    private boolean stoppedAtMax;

    /**
     * @param ref the journal's name in segments
     * @param committed the journal's committed position, or null if none was committed yet
     */
    public JournalDrain(
            JournalReader reader,
            FileRef ref,
            CollectorState.JournalState committed,
            SegmentSpool spool,
            CollectorMetrics metrics) {
        this.reader = reader;
        this.ref = ref;
        this.spool = spool;
        this.metrics = metrics;
        position(committed);
    }

    private void position(CollectorState.JournalState committed) {
        offset = committed == null ? 0 : committed.offset;
        cursor = committed == null ? null : committed.cursor;
    }

    /** Spools up to {@code max} entries read so far; true if there was any. Stops early when the spool is full. */
    public boolean drain(int max, long readTimeMillis, FileTailer.Sink sink) throws IOException {
        int n = 0;
        JournalReader.Entry e;
        while (n < max && (e = reader.poll()) != null) {
            n++;
            if (!write(e, readTimeMillis, sink)) {
                break;
            }
        }
        stoppedAtMax = n == max;
        return n > 0;
    }

    /** Whether the last {@link #drain} stopped at its maximum: more entries may be waiting already. */
    public boolean stoppedAtMax() {
        return stoppedAtMax;
    }

    /** Stops following and spools every entry up to the journal's current end (for sealing). */
    public void drainToEnd(long readTimeMillis, FileTailer.Sink sink) throws IOException {
        reader.drainToEnd(e -> write(e, readTimeMillis, sink));
    }

    /** Spools one entry; false when reading should pause (the spool is full). */
    private boolean write(JournalReader.Entry e, long readTimeMillis, FileTailer.Sink sink) throws IOException {
        SegmentWriter w = spool.writer(readTimeMillis);
        if (epoch != spool.epoch()) {
            fileId = w.declareFile(ref, offset);
            epoch = spool.epoch();
        }
        w.readTime(readTimeMillis);
        w.line(fileId, e.json(), 0, e.json().length, 0);
        offset++;
        cursor = e.cursor();
        metrics.records(CollectorMetrics.JOURNAL).inc();
        metrics.bytes(CollectorMetrics.JOURNAL).inc(e.json().length + 1);
        return sink.afterLine();
    }

    /** Records the position after the last spooled entry in a state about to be committed. */
    public void addTo(CollectorState s) {
        s.journal = new CollectorState.JournalState();
        s.journal.cursor = cursor;
        s.journal.offset = offset;
        s.journal.inode = ref.inode();
    }

    /** After the open segment was dropped: read again from the committed position. */
    public void rewind(CollectorState.JournalState committed) {
        position(committed);
        reader.restartAt(cursor);
    }

    @Override
    public void close() {
        reader.close();
    }
}
