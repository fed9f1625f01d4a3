package dev.kubelogs.spool;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Encodes one segment into an OutputStream. Binary layout (big-endian; varint/varlong = unsigned LEB128;
 * UTF = {@link java.io.DataOutput#writeUTF}):
 * <pre>
 * magic "KLSG", version u8 = 1
 * header: cluster UTF, node UTF, seq i64, createdAtMillis i64, attrCount varint, attrCount x (key UTF, value UTF)
 * records, each: tag u8, then
 *   0x01 FILE : fileId varint, path UTF, device i64, inode i64, generation varint, kind u8, startOffset varlong
 *   0x02 TIME : readTimeMillis varlong (applies to following LINE/POD records until the next TIME; directly
 *               before END: the writer's caught-up time, see {@link #finish(long)})
 *   0x03 LINE : fileId varint, flags u8, length varint, bytes[length]
 *   0x04 POD  : length varint, bytes[length] (UTF-8 JSON)
 *   0x7F END  : recordCount varint, fileCount varint, fileCount x (fileId varint, endOffset varlong),
 *               crc32 i32 over every byte from the magic up to the crc. Nothing may follow.
 * </pre>
 * LINE and POD records before the first TIME record carry the header's createdAtMillis as their read time.
 *
 * <p>The writer buffers internally (64 KiB) and writes through to {@code out} in large chunks; it never closes
 * {@code out}. Per line it allocates nothing. Not thread-safe.
 */
public final class SegmentWriter {
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_LINE_HEADER = 1 + 5 + 1 + 5;

    private final OutputStream out;
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private long flushedBytes;

    private FileRef[] files = new FileRef[8];
    private long[] offsets = new long[8];
    private boolean[] journal = new boolean[8];
    private int fileCount;
    private final Map<SegmentFormat.Identity, Integer> identities = new HashMap<>();

    private long currentTime;
    private boolean timeWritten;
    private int recordCount;
    private boolean finished;

    public SegmentWriter(OutputStream out, SegmentHeader header) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        Objects.requireNonNull(header, "header");
        ByteArrayOutputStream scratch = new ByteArrayOutputStream(256);
        DataOutputStream d = new DataOutputStream(scratch);
        d.write(SegmentFormat.MAGIC);
        d.writeByte(SegmentFormat.VERSION);
        d.writeUTF(header.cluster());
        d.writeUTF(header.node());
        d.writeLong(header.seq());
        d.writeLong(header.createdAtMillis());
        d.flush();
        put(scratch.toByteArray(), 0, scratch.size());
        ensure(5);
        putVarLong(header.nodeAttributes().size());
        for (Map.Entry<String, String> e : header.nodeAttributes().entrySet()) {
            putUtf(e.getKey());
            putUtf(e.getValue());
        }
        this.currentTime = header.createdAtMillis();
    }

    /**
     * Declares a file whose lines follow; its running offset starts at {@code startOffset}.
     *
     * @return the fileId to pass to {@link #line}
     * @throws IllegalArgumentException if a file with the same (device, inode, generation) was already declared
     */
    public int declareFile(FileRef file, long startOffset) throws IOException {
        checkOpen();
        Objects.requireNonNull(file, "file");
        if (startOffset < 0) {
            throw new IllegalArgumentException("startOffset must be >= 0: " + startOffset);
        }
        SegmentFormat.Identity id = SegmentFormat.Identity.of(file);
        if (identities.containsKey(id)) {
            throw new IllegalArgumentException("file identity " + file.identity()
                    + " already declared in this segment as " + files[identities.get(id)].path());
        }
        int fileId = fileCount;
        if (fileId == files.length) {
            int n = files.length * 2;
            files = Arrays.copyOf(files, n);
            offsets = Arrays.copyOf(offsets, n);
            journal = Arrays.copyOf(journal, n);
        }
        files[fileId] = file;
        offsets[fileId] = startOffset;
        journal[fileId] = file.kind() == SourceKind.JOURNAL;
        fileCount++;
        identities.put(id, fileId);

        ensure(1 + 5);
        buf[pos++] = (byte) SegmentFormat.TAG_FILE;
        putVarLong(fileId);
        putUtf(file.path());
        ensure(8 + 8 + 5 + 1 + 10);
        putLong(file.device());
        putLong(file.inode());
        putVarLong(file.generation());
        buf[pos++] = (byte) file.kind().code();
        putVarLong(startOffset);
        return fileId;
    }

    /** Sets the read time for the following LINE/POD records; writes a TIME record only if it changed. */
    public void readTime(long millis) throws IOException {
        checkOpen();
        if (millis < 0) {
            throw new IllegalArgumentException("readTimeMillis must be >= 0: " + millis);
        }
        if (timeWritten && millis == currentTime) {
            return;
        }
        ensure(1 + 10);
        buf[pos++] = (byte) SegmentFormat.TAG_TIME;
        putVarLong(millis);
        currentTime = millis;
        timeWritten = true;
    }

    /** Appends one line (without its '\n') of a declared file. */
    public void line(int fileId, byte[] bytes, int off, int len, int flags) throws IOException {
        checkOpen();
        if (fileId < 0 || fileId >= fileCount) {
            throw new IllegalArgumentException("undeclared fileId " + fileId);
        }
        if (!LineFlags.isValid(flags)) {
            throw new IllegalArgumentException("invalid line flags " + flags);
        }
        Objects.checkFromIndexSize(off, len, bytes.length);
        ensure(MAX_LINE_HEADER);
        buf[pos++] = (byte) SegmentFormat.TAG_LINE;
        putVarLong(fileId);
        buf[pos++] = (byte) flags;
        putVarLong(len);
        put(bytes, off, len);
        if (journal[fileId]) {
            offsets[fileId] += 1;
        } else {
            offsets[fileId] += ((flags & (LineFlags.PARTIAL | LineFlags.NO_NEWLINE)) == 0) ? len + 1L : len;
        }
        recordCount++;
    }

    /** Appends a pod metadata record (UTF-8 JSON). */
    public void podMetadata(byte[] json) throws IOException {
        checkOpen();
        Objects.requireNonNull(json, "json");
        ensure(1 + 5);
        buf[pos++] = (byte) SegmentFormat.TAG_POD;
        putVarLong(json.length);
        put(json, 0, json.length);
        recordCount++;
    }

    /** Bytes encoded so far (buffered or written through). */
    public long bytesWritten() {
        return flushedBytes + pos;
    }

    /** LINE + POD records so far. */
    public int recordCount() {
        return recordCount;
    }

    /** Current running offset of a declared file (the offset the next LINE of it will get). */
    public long offsetOf(int fileId) {
        if (fileId < 0 || fileId >= fileCount) {
            throw new IllegalArgumentException("undeclared fileId " + fileId);
        }
        return offsets[fileId];
    }

    /** Number of files declared so far. */
    public int fileCount() {
        return fileCount;
    }

    /**
     * Like {@link #finish()}, after a TIME record that states the writer's caught-up time: every line that its
     * tailed files held before {@code caughtUpMillis} is in this segment or an earlier one. A reader may then take a
     * stream that wrote nothing for a while before that time as quiet. Readers that do not know this ignore the
     * record (a TIME that no LINE or POD follows).
     */
    public Map<FileRef, Long> finish(long caughtUpMillis) throws IOException {
        checkOpen();
        if (caughtUpMillis < 0) {
            throw new IllegalArgumentException("caughtUpMillis must be >= 0: " + caughtUpMillis);
        }
        ensure(1 + 10);
        buf[pos++] = (byte) SegmentFormat.TAG_TIME;
        putVarLong(caughtUpMillis);
        return finish();
    }

    /** Writes END and the CRC, flushes {@code out} (does not close it); returns the end offset per file in declaration order. */
    public Map<FileRef, Long> finish() throws IOException {
        checkOpen();
        ensure(1 + 5 + 5);
        buf[pos++] = (byte) SegmentFormat.TAG_END;
        putVarLong(recordCount);
        putVarLong(fileCount);
        Map<FileRef, Long> ends = new LinkedHashMap<>();
        for (int i = 0; i < fileCount; i++) {
            ensure(5 + 10);
            putVarLong(i);
            putVarLong(offsets[i]);
            ends.put(files[i], offsets[i]);
        }
        drain();
        int value = (int) crc.getValue();
        buf[0] = (byte) (value >>> 24);
        buf[1] = (byte) (value >>> 16);
        buf[2] = (byte) (value >>> 8);
        buf[3] = (byte) value;
        out.write(buf, 0, 4);
        flushedBytes += 4;
        out.flush();
        finished = true;
        return Collections.unmodifiableMap(ends);
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("segment already finished");
        }
    }

    private void ensure(int n) throws IOException {
        if (BUFFER_SIZE - pos < n) {
            drain();
        }
    }

    private void drain() throws IOException {
        if (pos > 0) {
            crc.update(buf, 0, pos);
            out.write(buf, 0, pos);
            flushedBytes += pos;
            pos = 0;
        }
    }

    private void put(byte[] b, int off, int len) throws IOException {
        if (len <= BUFFER_SIZE - pos) {
            System.arraycopy(b, off, buf, pos, len);
            pos += len;
            return;
        }
        drain();
        if (len <= BUFFER_SIZE / 2) {
            System.arraycopy(b, off, buf, 0, len);
            pos = len;
        } else {
            crc.update(b, off, len);
            out.write(b, off, len);
            flushedBytes += len;
        }
    }

    private void putVarLong(long v) {
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private void putLong(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
    }

    /** DataOutput.writeUTF encoding (modified UTF-8 with a u16 length). */
    private void putUtf(String s) throws IOException {
        int strlen = s.length();
        long utflen = 0;
        for (int i = 0; i < strlen; i++) {
            char c = s.charAt(i);
            utflen += (c >= 0x0001 && c <= 0x007F) ? 1 : (c > 0x07FF ? 3 : 2);
        }
        if (utflen > 65535) {
            throw new IllegalArgumentException("string too long for a segment (" + utflen + " encoded bytes > 65535): "
                    + s.substring(0, Math.min(80, strlen)) + "...");
        }
        ensure(2);
        buf[pos++] = (byte) (utflen >>> 8);
        buf[pos++] = (byte) utflen;
        for (int i = 0; i < strlen; i++) {
            ensure(3);
            char c = s.charAt(i);
            if (c >= 0x0001 && c <= 0x007F) {
                buf[pos++] = (byte) c;
            } else if (c > 0x07FF) {
                buf[pos++] = (byte) (0xE0 | ((c >> 12) & 0x0F));
                buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            } else {
                buf[pos++] = (byte) (0xC0 | ((c >> 6) & 0x1F));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }
}
