package dev.kubelogs.job.source;

import dev.kubelogs.spool.CorruptSegmentException;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.PodEntry;
import dev.kubelogs.spool.Segment;
import dev.kubelogs.spool.SegmentEntry;
import dev.kubelogs.spool.SegmentReader;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.MutableRecordAndPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one closed spool segment as a batch of {@link SpoolRecord}s. A segment is validated whole
 * (structure, trailer, CRC) before anything is emitted, so a corrupt one yields a single CORRUPT
 * record naming its path instead of half its lines. The checkpointed position is the number of
 * segment entries already emitted (the SEGMENT record counting as entry 0), not of records: a LINES
 * record carries many entries. A restored reader re-parses the segment and skips them.
 */
public final class SegmentBulkFormat implements BulkFormat<SpoolRecord, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SegmentBulkFormat.class);

    /** Segments are a few MiB; anything far larger is not one of ours. */
    static final long MAX_SEGMENT_BYTES = 256L << 20;

    @Override
    public Reader<SpoolRecord> createReader(Configuration config, FileSourceSplit split) {
        return new SegmentRecordReader(split, 0L);
    }

    @Override
    public Reader<SpoolRecord> restoreReader(Configuration config, FileSourceSplit split) {
        long skip = split.getReaderPosition()
                .map(CheckpointedPosition::getRecordsAfterOffset)
                .orElse(0L);
        return new SegmentRecordReader(split, skip);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<SpoolRecord> getProducedType() {
        return SpoolSource.recordType();
    }

    /**
     * What a segment yields from entry {@code skip} on, in segment order: entry 0 is the SEGMENT record, then the
     * segment's entries, then SEGMENT_END. Consecutive lines of one file become one LINES batch. The checkpointed
     * position counts entries, not records, so a position taken by a reader that emitted one record per line
     * (0.1.0) resumes at the same line.
     */
    public static Emission toRecords(Segment segment, long skip) {
        List<SegmentEntry> entries = segment.entries();
        int end = entries.size() + 1; // index of SEGMENT_END
        List<SpoolRecord> records = new ArrayList<>();
        List<Integer> after = new ArrayList<>();
        if (skip <= 0) {
            records.add(SpoolRecord.segmentStart(segment.header()));
            after.add(1);
        }
        int index = (int) Math.max(1, skip);
        while (index < end) {
            SegmentEntry entry = entries.get(index - 1);
            if (entry instanceof PodEntry) {
                records.add(SpoolRecord.pod(segment.header(), index, (PodEntry) entry));
                index++;
            } else {
                int first = index;
                List<LineEntry> batch = batchFrom(entries, index - 1);
                records.add(SpoolRecord.lines(segment.header(), first, batch));
                index += batch.size();
            }
            after.add(index);
        }
        if (skip <= end) {
            records.add(SpoolRecord.segmentEnd(segment.header(), end, segment.caughtUpMillis()));
            after.add(end + 1);
        }
        return new Emission(
                records, after.stream().mapToLong(Integer::longValue).toArray());
    }

    /** Consecutive line entries of one file from {@code from}, bounded in count and bytes (at least one). */
    private static List<LineEntry> batchFrom(List<SegmentEntry> entries, int from) {
        LineEntry first = (LineEntry) entries.get(from);
        List<LineEntry> batch = new ArrayList<>();
        batch.add(first);
        long bytes = first.bytes().length;
        for (int i = from + 1; i < entries.size() && batch.size() < SpoolRecord.MAX_BATCH_LINES; i++) {
            if (!(entries.get(i) instanceof LineEntry)) {
                break;
            }
            LineEntry next = (LineEntry) entries.get(i);
            bytes += next.bytes().length;
            if (!next.file().equals(first.file()) || bytes > SpoolRecord.MAX_BATCH_BYTES) {
                break;
            }
            batch.add(next);
        }
        return batch;
    }

    /** Records to emit and, for each, how many segment entries are consumed once it is out. */
    public record Emission(List<SpoolRecord> records, long[] positionsAfter) {}

    private static final class SegmentRecordReader implements BulkFormat.Reader<SpoolRecord> {
        private final FileSourceSplit split;
        private final long skip;
        private boolean done;

        SegmentRecordReader(FileSourceSplit split, long skip) {
            this.split = split;
            this.skip = skip;
        }

        @Override
        public RecordIterator<SpoolRecord> readBatch() throws IOException {
            if (done) {
                return null;
            }
            done = true;
            Emission emission = readSegment(split.path(), split.fileSize(), skip);
            long previous = SpoolSplitEnumerator.SegmentRef.previousSeq(split.splitId());
            for (SpoolRecord r : emission.records()) {
                r.previousSeq = previous;
            }
            return new PositionedIterator(emission);
        }

        @Override
        public void close() {}
    }

    /** Hands out an emission's records with their positions. */
    private static final class PositionedIterator implements BulkFormat.RecordIterator<SpoolRecord> {
        private final Emission emission;
        private final MutableRecordAndPosition<SpoolRecord> current = new MutableRecordAndPosition<>();
        private int next;

        PositionedIterator(Emission emission) {
            this.emission = emission;
        }

        @Override
        public RecordAndPosition<SpoolRecord> next() {
            if (next >= emission.records().size()) {
                return null;
            }
            current.set(emission.records().get(next), CheckpointedPosition.NO_OFFSET, emission.positionsAfter()[next]);
            next++;
            return current;
        }

        @Override
        public void releaseBatch() {}
    }

    /** Reads and validates a segment; an unreadable or corrupt one becomes one CORRUPT record. */
    static Emission readSegment(Path path, long size, long skip) throws IOException {
        String node = path.getParent().getName();
        String cluster = path.getParent().getParent().getName();
        long seq = SpoolPaths.parseSegmentSeq(path.getName()).orElse(-1L);
        if (size > MAX_SEGMENT_BYTES) {
            return corrupt(
                    skip, cluster, node, seq, path, "segment of " + size + " bytes exceeds " + MAX_SEGMENT_BYTES);
        }
        byte[] bytes;
        try {
            bytes = readWithRetries(path);
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            return corrupt(skip, cluster, node, seq, path, "segment vanished before it was read: " + e.getMessage());
        } catch (java.nio.file.AccessDeniedException e) {
            return corrupt(skip, cluster, node, seq, path, "segment cannot be read (access denied): " + e.getMessage());
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("Access Denied")
                    || String.valueOf(e.getMessage()).contains("403")) {
                return corrupt(
                        skip, cluster, node, seq, path, "segment cannot be read (access denied): " + e.getMessage());
            }
            // anything else may pass (network, throttling): fail the task and let the restart strategy back off
            throw e;
        }
        try {
            return toRecords(SegmentReader.parse(bytes), skip);
        } catch (CorruptSegmentException e) {
            return corrupt(skip, cluster, node, seq, path, e.getMessage());
        }
    }

    /** Reads a whole segment, trying a transient failure twice more before giving up. */
    private static byte[] readWithRetries(Path path) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (FSDataInputStream in = path.getFileSystem().open(path)) {
                return in.readAllBytes();
            } catch (java.io.FileNotFoundException
                    | java.nio.file.NoSuchFileException
                    | java.nio.file.AccessDeniedException e) {
                throw e;
            } catch (IOException e) {
                last = e;
                LOG.warn("Reading spool segment {} failed (attempt {} of 3): {}", path, attempt + 1, e.toString());
                try {
                    Thread.sleep(500L << attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }

    /** The one record an unreadable segment yields (none when a restored reader had emitted it already). */
    private static Emission corrupt(long skip, String cluster, String node, long seq, Path path, String reason) {
        if (skip >= 1) {
            return new Emission(List.of(), new long[0]);
        }
        LOG.error("Skipping unreadable spool segment {}: {}", path, reason);
        return new Emission(List.of(SpoolRecord.corrupt(cluster, node, seq, path.toString(), reason)), new long[] {1});
    }
}
