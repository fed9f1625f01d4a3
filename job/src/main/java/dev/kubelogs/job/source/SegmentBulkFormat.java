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
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one closed spool segment as a batch of {@link SpoolRecord}s. A segment is validated whole
 * (structure, trailer, CRC) before anything is emitted, so a corrupt one yields a single CORRUPT
 * record naming its path instead of half its lines. The checkpointed position is the number of
 * records already emitted; a restored reader re-parses the segment and skips them.
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
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new SegmentRecordReader(split, skip);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<SpoolRecord> getProducedType() {
        return TypeInformation.of(SpoolRecord.class);
    }

    /** Parses a whole segment into the records the source emits, in segment order. */
    static List<SpoolRecord> toRecords(Segment segment) {
        List<SegmentEntry> entries = segment.entries();
        List<SpoolRecord> records = new ArrayList<>(entries.size() + 2);
        records.add(SpoolRecord.segmentStart(segment.header()));
        int index = 1;
        for (SegmentEntry entry : entries) {
            if (entry instanceof LineEntry) {
                records.add(SpoolRecord.line(segment.header(), index++, (LineEntry) entry));
            } else {
                records.add(SpoolRecord.pod(segment.header(), index++, (PodEntry) entry));
            }
        }
        records.add(SpoolRecord.segmentEnd(segment.header(), index));
        return records;
    }

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
            List<SpoolRecord> records = readSegment(split.path(), split.fileSize());
            long previous = SpoolSplitEnumerator.SegmentRef.previousSeq(split.splitId());
            for (SpoolRecord r : records) {
                r.previousSeq = previous;
            }
            int from = (int) Math.min(skip, records.size());
            return new IteratorResultIterator<>(
                    records.subList(from, records.size()).iterator(), CheckpointedPosition.NO_OFFSET, from);
        }

        @Override
        public void close() {}
    }

    /** Reads and validates a segment; an unreadable or corrupt one becomes one CORRUPT record. */
    static List<SpoolRecord> readSegment(Path path, long size) throws IOException {
        String node = path.getParent().getName();
        String cluster = path.getParent().getParent().getName();
        long seq = SpoolPaths.parseSegmentSeq(path.getName()).orElse(-1L);
        if (size > MAX_SEGMENT_BYTES) {
            return List.of(corrupt(cluster, node, seq, path, "segment of " + size + " bytes exceeds " + MAX_SEGMENT_BYTES));
        }
        byte[] bytes;
        try {
            bytes = readWithRetries(path);
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            return List.of(corrupt(cluster, node, seq, path, "segment vanished before it was read: " + e.getMessage()));
        } catch (java.nio.file.AccessDeniedException e) {
            return List.of(corrupt(cluster, node, seq, path, "segment cannot be read (access denied): " + e.getMessage()));
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("Access Denied") || String.valueOf(e.getMessage()).contains("403")) {
                return List.of(corrupt(cluster, node, seq, path, "segment cannot be read (access denied): " + e.getMessage()));
            }
            // anything else may pass (network, throttling): fail the task and let the restart strategy back off
            throw e;
        }
        try {
            return toRecords(SegmentReader.parse(bytes));
        } catch (CorruptSegmentException e) {
            return List.of(corrupt(cluster, node, seq, path, e.getMessage()));
        }
    }

    /** Reads a whole segment, trying a transient failure twice more before giving up. */
    private static byte[] readWithRetries(Path path) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (FSDataInputStream in = path.getFileSystem().open(path)) {
                return in.readAllBytes();
            } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
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

    private static SpoolRecord corrupt(String cluster, String node, long seq, Path path, String reason) {
        LOG.error("Skipping unreadable spool segment {}: {}", path, reason);
        return SpoolRecord.corrupt(cluster, node, seq, path.toString(), reason);
    }
}
