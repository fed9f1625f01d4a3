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
    static final int UNKNOWN_BYTE = Integer.MIN_VALUE;

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
    long lastHeadCheckNanos;
    /** The byte consumed last, just before {@link #offset}; {@link #UNKNOWN_BYTE} where none was read yet. */
    int byteBeforeOffset = UNKNOWN_BYTE;
    /** Wall-clock time this generation began to be read (opened, or the previous one found truncated). */
    long generationSeenMillis;
    /** The first bytes of this generation: how far they were fingerprinted, and their CRC32. */
    int headLen;

    long headCrc;
    /** While set, the rest of this generation is read from the copy copytruncate left, then the next one begins. */
    GenerationCopy copy;

    String lastProblem;
    /** Where {@link #locate} last found the file: a rotated file keeps the name its rotation gave it. */
    private Path locatedAt;

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
        this.generationSeenMillis = System.currentTimeMillis();
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
        byteBeforeOffset = UNKNOWN_BYTE;
        generationSeenMillis = System.currentTimeMillis();
        rebuildRef();
    }

    /** Where this generation is read from: its copy while one is read, else the file. */
    FileChannel readChannel() {
        return copy != null ? copy.channel : channel;
    }

    /** How far this generation can be read now. */
    long readableSize() throws IOException {
        return copy != null ? copy.end : channel.size();
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

    /**
     * Where the file is now, or null if it is gone: looked for at the name it was last found at, so a rotated file,
     * looked for every second until it is let go, costs one stat while it keeps its rotated name.
     */
    Path locate() {
        locatedAt = id.locate(locatedAt != null ? locatedAt : realPath);
        return locatedAt;
    }

    /** CRC32 of the first {@code len} bytes, or -1 if the file is shorter. */
    static long crcOfHead(FileChannel ch, int len) throws IOException {
        return crcOfHead(ch, new byte[len], len);
    }

    /**
     * Fingerprints this generation's first bytes from a read at offset 0 of which {@code consumed} bytes in {@code b}
     * were consumed: taken when they are first read, so that a copy of them, or other content at the file's head, can
     * be told apart. Never more than was consumed: a copy holds at least that much.
     */
    void headRead(byte[] b, int consumed) {
        if (consumed > headLen && headLen < HEAD_BYTES) {
            headLen = Math.min(HEAD_BYTES, consumed);
            CRC32 crc = new CRC32();
            crc.update(b, 0, headLen);
            headCrc = crc.getValue();
        }
    }

    /**
     * Whether the file's first bytes (read into {@code scratch}) are still this generation's; the file is at least
     * {@link #offset} long. A fingerprint shorter than what was read, up to {@link #HEAD_BYTES}, is extended: one
     * not taken at the first read (a restart, read.tail, a file first read in small pieces) is begun or completed here.
     */
    boolean headUnchanged(byte[] scratch) throws IOException {
        int want = (int) Math.min(HEAD_BYTES, offset);
        if (want <= headLen) {
            // nothing to extend (the common case once 1 KiB was read): only compare
            return crcOfHead(channel, scratch, headLen) == headCrc;
        }
        if (!readHead(channel, scratch, want)) {
            return false; // shorter than what was read: changed
        }
        CRC32 crc = new CRC32();
        crc.update(scratch, 0, headLen);
        if (headLen > 0 && crc.getValue() != headCrc) {
            return false;
        }
        crc.update(scratch, headLen, want - headLen);
        headLen = want;
        headCrc = crc.getValue();
        return true;
    }

    /** CRC32 of the first {@code len} bytes, read into {@code scratch}, or -1 if the file is shorter. */
    static long crcOfHead(FileChannel ch, byte[] scratch, int len) throws IOException {
        if (!readHead(ch, scratch, len)) {
            return -1;
        }
        CRC32 crc = new CRC32();
        crc.update(scratch, 0, len);
        return crc.getValue();
    }

    /** Reads the first {@code len} bytes of {@code ch} into {@code scratch}; false if the file is shorter. */
    private static boolean readHead(FileChannel ch, byte[] scratch, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(scratch, 0, len);
        while (b.hasRemaining()) {
            if (ch.read(b, b.position()) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Records the fingerprint of the first bytes once more of them have been consumed. */
    void updateHead() throws IOException {
        if (copy == null && headLen < HEAD_BYTES && offset > headLen) {
            int len = (int) Math.min(HEAD_BYTES, offset);
            long crc = crcOfHead(channel, len);
            if (crc >= 0) {
                headLen = len;
                headCrc = crc;
            }
        }
    }

    void close() {
        if (copy != null) {
            copy.close();
            copy = null;
        }
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
