package dev.kubelogs.collector.tail;

import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32;

/** One open file being tailed. Owned by the tail thread. */
public final class TrackedFile {
    static final int HEAD_BYTES = 1024;

    final String logicalPath;
    final FileIdentity id;
    final SourceKind kind;
    /** Where the file was when we opened it (the symlink target). */
    final Path realPath;

    final FileChannel channel;

    int generation;
    long offset;
    private FileRef ref;

    /** The segment epoch in which {@link #segmentFileId} is valid. */
    public long segmentEpoch = -1;

    public int segmentFileId = -1;

    boolean rotated;
    long lastSize = -1;
    long lastChangeNanos;
    long lastLocateNanos;
    int headLen;
    long headCrc;
    String lastProblem;

    TrackedFile(
            String logicalPath,
            FileIdentity id,
            SourceKind kind,
            Path realPath,
            FileChannel channel,
            int generation,
            long offset) {
        this.logicalPath = logicalPath;
        this.id = id;
        this.kind = kind;
        this.realPath = realPath;
        this.channel = channel;
        this.generation = generation;
        this.offset = offset;
        this.lastChangeNanos = System.nanoTime();
        rebuildRef();
    }

    private void rebuildRef() {
        ref = new FileRef(logicalPath, id.device(), id.inode(), generation, kind);
        segmentEpoch = -1;
        segmentFileId = -1;
    }

    /** The file restarted (copytruncate, or other content at the same inode): new generation, offset 0. */
    void newGeneration() {
        generation++;
        offset = 0;
        headLen = 0;
        headCrc = 0;
        rebuildRef();
    }

    public FileRef ref() {
        return ref;
    }

    public long offset() {
        return offset;
    }

    public String logicalPath() {
        return logicalPath;
    }

    public SourceKind kind() {
        return kind;
    }

    public boolean rotated() {
        return rotated;
    }

    /** CRC32 of the first {@code len} bytes, or -1 if the file is shorter. */
    static long crcOfHead(FileChannel ch, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        long pos = 0;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                return -1;
            }
            pos += n;
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, len);
        return crc.getValue();
    }

    /** Records the fingerprint of the first bytes once more of them have been consumed. */
    void updateHead() throws IOException {
        if (headLen < HEAD_BYTES && offset > headLen) {
            int len = (int) Math.min(HEAD_BYTES, offset);
            long crc = crcOfHead(channel, len);
            if (crc >= 0) {
                headLen = len;
                headCrc = crc;
            }
        }
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a read-only channel: nothing to lose
        }
    }

    @Override
    public String toString() {
        return logicalPath + " (" + ref.identity() + (rotated ? ", rotated, was " + realPath : "") + ")";
    }
}
