package dev.kubelogs.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The reader validates: a segment damaged anywhere is a CorruptSegmentException, never wrong entries. */
class SegmentReaderTest {

    /** A valid segment plus the byte position where its END record starts. */
    record Built(byte[] bytes, int endStart) {}

    static Built valid() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(out, SegmentWriterTest.header(3));
        int c = w.declareFile(SegmentWriterTest.CONTAINER, 10);
        int j = w.declareFile(SegmentWriterTest.JOURNAL, 0);
        w.readTime(5);
        w.line(c, "abc".getBytes(StandardCharsets.UTF_8), 0, 3, 0);
        w.line(j, "{}".getBytes(StandardCharsets.UTF_8), 0, 2, 0);
        w.podMetadata("{\"event\":\"delete\"}".getBytes(StandardCharsets.UTF_8));
        int endStart = (int) w.bytesWritten();
        w.finish();
        return new Built(out.toByteArray(), endStart);
    }

    /** Replaces everything from the END record on with {@code end} (without crc) and appends a correct crc. */
    static byte[] withEnd(Built b, byte[] end) {
        byte[] body = Arrays.copyOf(b.bytes(), b.endStart() + end.length);
        System.arraycopy(end, 0, body, b.endStart(), end.length);
        return withCrc(body);
    }

    static byte[] withCrc(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        byte[] r = Arrays.copyOf(body, body.length + 4);
        int v = (int) crc.getValue();
        r[body.length] = (byte) (v >>> 24);
        r[body.length + 1] = (byte) (v >>> 16);
        r[body.length + 2] = (byte) (v >>> 8);
        r[body.length + 3] = (byte) v;
        return r;
    }

    static void assertCorrupt(byte[] bytes, String messagePart) {
        assertThatThrownBy(() -> SegmentReader.parse(bytes))
                .isInstanceOf(CorruptSegmentException.class)
                .hasMessageContaining(messagePart);
    }

    @Test
    void validSegmentParses() throws Exception {
        Built b = valid();
        assertThat(SegmentReader.parse(b.bytes()).entries()).hasSize(3);
        // our END re-encoding helper produces the very same bytes
        byte[] end = {0x7F, 3, 2, 0, 14, 1, 1};
        assertThat(withEnd(b, end)).isEqualTo(b.bytes());
    }

    @Test
    void everyTruncationIsCorrupt() throws Exception {
        byte[] bytes = valid().bytes();
        for (int len = 0; len < bytes.length; len++) {
            byte[] prefix = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> SegmentReader.parse(prefix))
                    .as("prefix of %d bytes", len)
                    .isInstanceOf(CorruptSegmentException.class)
                    .satisfiesAnyOf(
                            t -> assertThat(t).hasMessageContaining("truncated"),
                            t -> assertThat(t).hasMessageContaining("too short"));
        }
        assertCorrupt(null, "null");
    }

    @Test
    void everySingleBitFlipIsCorrupt() throws Exception {
        byte[] bytes = valid().bytes();
        for (int i = 0; i < bytes.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] copy = bytes.clone();
                copy[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> SegmentReader.parse(copy))
                        .as("flip of bit %d in byte %d", bit, i)
                        .isInstanceOf(CorruptSegmentException.class);
            }
        }
    }

    @Test
    void badCrc() throws Exception {
        byte[] bytes = valid().bytes();
        bytes[bytes.length - 1] ^= 0x55;
        assertCorrupt(bytes, "crc mismatch");
        byte[] body = valid().bytes();
        // flip a byte inside the LINE payload "abc": structure stays valid, only the crc catches it
        int at = indexOf(body, "abc".getBytes(StandardCharsets.UTF_8));
        body[at] = 'X';
        assertCorrupt(body, "crc mismatch");
    }

    @Test
    void badMagicAndVersion() throws Exception {
        byte[] bytes = valid().bytes();
        bytes[0] = 'X';
        assertCorrupt(bytes, "bad magic");
        byte[] v = valid().bytes();
        v[4] = 2;
        assertCorrupt(v, "unsupported segment version 2");
    }

    @Test
    void badTag() throws Exception {
        Built b = valid();
        byte[] body = Arrays.copyOf(b.bytes(), b.endStart() + 1);
        body[b.endStart()] = 0x05;
        assertCorrupt(withCrc(body), "unknown record tag 0x05");
    }

    @Test
    void trailingBytes() throws Exception {
        byte[] bytes = valid().bytes();
        assertCorrupt(Arrays.copyOf(bytes, bytes.length + 1), "1 trailing bytes");
        Built b = valid();
        // a second END after a valid one, with a valid crc at the very end
        assertCorrupt(withEnd(b, new byte[] {0x7F, 3, 2, 0, 14, 1, 1, 0, 0, 0, 0, 0x7F}), "trailing bytes");
    }

    @Test
    void wrongCounts() throws Exception {
        Built b = valid();
        assertCorrupt(withEnd(b, new byte[] {0x7F, 4, 2, 0, 14, 1, 1}), "END recordCount 4 but the segment holds 3");
        assertCorrupt(withEnd(b, new byte[] {0x7F, 2, 2, 0, 14, 1, 1}), "END recordCount 2");
        assertCorrupt(withEnd(b, new byte[] {0x7F, 3, 1, 0, 14}), "END fileCount 1 but the segment declares 2");
        assertCorrupt(withEnd(b, new byte[] {0x7F, 3, 3, 0, 14, 1, 1, 2, 0}), "END fileCount 3");
    }

    @Test
    void wrongEndOffsets() throws Exception {
        Built b = valid();
        assertCorrupt(withEnd(b, new byte[] {0x7F, 3, 2, 0, 13, 1, 1}), "END endOffset 13 for fileId 0");
        assertCorrupt(withEnd(b, new byte[] {0x7F, 3, 2, 0, 14, 1, 2}), "but its records end at 1");
        assertCorrupt(withEnd(b, new byte[] {0x7F, 3, 2, 0, 14, 0, 14}), "END names fileId 0 twice");
        assertCorrupt(withEnd(b, new byte[] {0x7F, 3, 2, 0, 14, 9, 1}), "END names undeclared fileId 9");
    }

    @Test
    void badRecords() throws Exception {
        Built b = valid();
        // LINE of an undeclared file
        assertCorrupt(withEnd(b, new byte[] {0x03, 7, 0, 1, 'x', 0x7F, 4, 2, 0, 14, 1, 1}), "undeclared fileId 7");
        // invalid flags
        assertCorrupt(withEnd(b, new byte[] {0x03, 0, 3, 1, 'x', 0x7F, 4, 2, 0, 16, 1, 1}), "invalid LINE flags 3");
        assertCorrupt(
                withEnd(b, new byte[] {0x03, 0, (byte) 0x80, 1, 'x', 0x7F, 4, 2, 0, 16, 1, 1}),
                "invalid LINE flags 128");
        // POD with invalid UTF-8
        assertCorrupt(withEnd(b, new byte[] {0x04, 2, (byte) 0xC3, 'x', 0x7F, 4, 2, 0, 14, 1, 1}), "not valid UTF-8");
        // FILE with an unknown kind, and a duplicate fileId / identity
        assertCorrupt(withEnd(b, fileRecord(5, "/x", 1, 2, 0, 9, 0)), "unknown source kind 9");
        assertCorrupt(withEnd(b, fileRecord(0, "/x", 1, 2, 0, 2, 0)), "fileId 0 declared twice");
        FileRef c = SegmentWriterTest.CONTAINER;
        assertCorrupt(
                withEnd(b, fileRecord(5, "/x", c.device(), c.inode(), 0, 1, 0)),
                "identity " + c.identity() + " declared twice");
        // an over-long varint
        assertCorrupt(
                withEnd(b, new byte[] {
                    0x02,
                    (byte) 0xFF,
                    (byte) 0xFF,
                    (byte) 0xFF,
                    (byte) 0xFF,
                    (byte) 0xFF,
                    (byte) 0xFF,
                    (byte) 0xFF,
                    (byte) 0xFF,
                    (byte) 0xFF,
                    0x01
                }),
                "not a valid varint");
        // a varint too large for an int (LINE fileId)
        assertCorrupt(
                withEnd(b, new byte[] {0x03, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}),
                "larger than an int");
        // a LINE length beyond the end
        assertCorrupt(withEnd(b, new byte[] {0x03, 0, 0, 100, 'x'}), "truncated");
    }

    static byte[] fileRecord(int fileId, String path, long dev, long ino, int gen, int kind, int start)
            throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bo);
        d.writeByte(0x01);
        d.writeByte(fileId);
        d.writeUTF(path);
        d.writeLong(dev);
        d.writeLong(ino);
        d.writeByte(gen);
        d.writeByte(kind);
        d.writeByte(start);
        d.write(new byte[] {0x7F, 3, 3, 0, 14, 1, 1, (byte) fileId, (byte) start});
        return bo.toByteArray();
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
