package dev.kubelogs.collector.spool;

import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SegmentWriter;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local spool directory of one node: {@code <root>/<cluster>/<node>/}. Holds at most one open segment,
 * written to {@code .<seq>.seg.tmp} and made durable by {@link #sync()} (fsync) and {@link #publish()} (rename + dir fsync).
 * Single-threaded: owned by the collector's tail thread.
 */
public final class SegmentSpool {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentSpool.class);

    private final Path dir;
    private final String cluster;
    private final String node;
    private final Map<String, String> attributes;
    private long nextSeq;

    private long openSeq = -1;
    private long epoch;
    private FileChannel channel;
    private SegmentWriter writer;
    private long openedAtNanos;
    private boolean synced;
    private Map<FileRef, Long> endOffsets;

    public SegmentSpool(Path spoolRoot, String cluster, String node, Map<String, String> attributes)
            throws IOException {
        this.dir = SpoolPaths.nodeDirectory(spoolRoot, cluster, node);
        this.cluster = cluster;
        this.node = node;
        this.attributes = attributes;
        Files.createDirectories(dir);
    }

    public Path directory() {
        return dir;
    }

    /** Deletes leftover temp segments (never durable, never visible) and returns how many. */
    public int deleteTempFiles() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> ds =
                Files.newDirectoryStream(dir, ".*" + SpoolPaths.SEGMENT_SUFFIX + SpoolPaths.TEMP_SUFFIX)) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
                LOG.info(
                        "deleted unfinished segment {} left by an earlier run (its lines are re-read from the committed offsets)",
                        p);
                n++;
            }
        }
        return n;
    }

    /** Seqs of the durable segments in this node directory, ascending. */
    public List<Long> listSegments() throws IOException {
        List<Long> seqs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SpoolPaths.SEGMENT_SUFFIX)) {
            for (Path p : ds) {
                OptionalLong s = SpoolPaths.parseSegmentSeq(p.getFileName().toString());
                if (s.isPresent()) {
                    seqs.add(s.getAsLong());
                }
            }
        }
        seqs.sort(null);
        return seqs;
    }

    public Path segmentPath(long seq) {
        return dir.resolve(SpoolPaths.segmentFileName(seq));
    }

    public void setNextSeq(long seq) {
        if (writer != null) {
            throw new IllegalStateException("a segment is open");
        }
        this.nextSeq = seq;
    }

    public long nextSeq() {
        return nextSeq;
    }

    public boolean isOpen() {
        return writer != null;
    }

    /** Increments every time a segment is opened; file ids of the writer are valid only within one epoch. */
    public long epoch() {
        return epoch;
    }

    public long openSeq() {
        return openSeq;
    }

    /** The open segment's writer, opening a new segment first if none is open. */
    public SegmentWriter writer(long nowMillis) throws IOException {
        if (writer == null) {
            long seq = nextSeq;
            Path tmp = dir.resolve(SpoolPaths.tempFileName(seq));
            channel = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            FileChannel ch = channel;
            OutputStream out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer bb = ByteBuffer.wrap(b, off, len);
                    while (bb.hasRemaining()) {
                        ch.write(bb);
                    }
                }
            };
            writer = new SegmentWriter(out, new SegmentHeader(cluster, node, seq, nowMillis, attributes));
            openSeq = seq;
            openedAtNanos = System.nanoTime();
            synced = false;
            epoch++;
        }
        return writer;
    }

    public long openedAtNanos() {
        return openedAtNanos;
    }

    /** Writes the trailer and fsyncs the temp file; the segment is not visible yet. Returns the end offsets. */
    public Map<FileRef, Long> sync() throws IOException {
        return sync(-1);
    }

    /**
     * Like {@link #sync()}, the trailer stating the tail's caught-up time ({@link SegmentWriter#finish(long)}) when
     * {@code caughtUpMillis} is not negative.
     */
    public Map<FileRef, Long> sync(long caughtUpMillis) throws IOException {
        if (writer == null || synced) {
            throw new IllegalStateException("no open unsynced segment");
        }
        endOffsets = caughtUpMillis < 0 ? writer.finish() : writer.finish(caughtUpMillis);
        channel.force(true);
        channel.close();
        synced = true;
        return endOffsets;
    }

    public long openBytes() {
        return writer == null ? 0 : writer.bytesWritten();
    }

    /** Renames the synced temp file to its final name and fsyncs the directory. Returns the published seq. */
    public long publish() throws IOException {
        if (!synced) {
            throw new IllegalStateException("segment not synced");
        }
        long seq = openSeq;
        Path tmp = dir.resolve(SpoolPaths.tempFileName(seq));
        Durable.moveAtomically(tmp, segmentPath(seq));
        Durable.fsyncDirectory(dir);
        writer = null;
        channel = null;
        openSeq = -1;
        nextSeq = seq + 1;
        return seq;
    }

    /** Throws away an open segment after a write error (its lines will be re-read from the committed offsets). */
    public void abandon() {
        if (writer == null) {
            return;
        }
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
            Files.deleteIfExists(dir.resolve(SpoolPaths.tempFileName(openSeq)));
        } catch (IOException e) {
            LOG.warn("could not delete abandoned temp segment {}: {}", openSeq, e.toString());
        }
        writer = null;
        channel = null;
        openSeq = -1;
    }

    /** Writes the {@code sealed} marker (content: the last seq) durably. */
    public void writeSealed(long lastSeq) throws IOException {
        Durable.writeAtomically(
                dir.resolve(SpoolPaths.SEALED), Long.toString(lastSeq).getBytes(StandardCharsets.US_ASCII));
    }

    /** Removes a {@code sealed} marker left by an earlier run; returns true if there was one. */
    public boolean removeSealed() throws IOException {
        try {
            Files.delete(dir.resolve(SpoolPaths.SEALED));
            Durable.fsyncDirectory(dir);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}
