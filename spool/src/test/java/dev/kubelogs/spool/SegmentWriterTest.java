package dev.kubelogs.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the writer writes the reader gives back, and the writer refuses misuse. */
class SegmentWriterTest {

    static final FileRef CONTAINER = new FileRef(
            "/var/log/containers/orders-7d9c6b7f9d-x2m4q_shop_orders-" + "a".repeat(64) + ".log",
            66305,
            1234567,
            0,
            SourceKind.CONTAINER);
    static final FileRef MESSAGES = new FileRef("/var/log/messages", 66305, 42, 3, SourceKind.HOST_FILE);
    static final FileRef JOURNAL = new FileRef("journal", 0, 0x7fffabcdL, 0, SourceKind.JOURNAL);

    static SegmentHeader header(long seq) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("az", "us-west-2a");
        attrs.put("ec2_instance_id", "i-0123456789abcdef0");
        return new SegmentHeader("prod", "ip-192-168-12-34.us-west-2.compute.internal", seq, 1_700_000_000_000L, attrs);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripPreservesEverything() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(out, header(7));
        int c = w.declareFile(CONTAINER, 100);
        int m = w.declareFile(MESSAGES, 0);
        int j = w.declareFile(JOURNAL, 5000);
        byte[] big = new byte[200_000];
        new Random(1).nextBytes(big);
        byte[] mid = new byte[40_000];
        Arrays.fill(mid, (byte) 'x');
        byte[] invalidUtf8 = {(byte) 0xff, (byte) 0xfe, 'a', (byte) 0xc3};

        w.line(
                c,
                utf8("{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00.1Z\"}"),
                0,
                utf8("{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00.1Z\"}").length,
                0);
        w.readTime(1_700_000_000_500L);
        w.line(m, utf8("Jan  1 00:00:00 host sshd[1]: ok"), 0, utf8("Jan  1 00:00:00 host sshd[1]: ok").length, 0);
        w.line(c, big, 0, big.length, LineFlags.PARTIAL);
        w.line(c, utf8("tail"), 0, 4, 0);
        w.readTime(1_700_000_000_500L); // unchanged: no record
        w.line(j, utf8("{\"MESSAGE\":\"x\"}"), 0, utf8("{\"MESSAGE\":\"x\"}").length, 0);
        w.podMetadata(utf8("{\"event\":\"upsert\",\"name\":\"ü\"}"));
        w.readTime(1_700_000_001_000L);
        w.line(m, mid, 10, 30_000, 0);
        w.line(m, new byte[0], 0, 0, 0);
        w.line(m, invalidUtf8, 0, invalidUtf8.length, LineFlags.NO_NEWLINE);
        w.line(j, utf8("{\"MESSAGE\":\"y\"}"), 0, utf8("{\"MESSAGE\":\"y\"}").length, LineFlags.PARTIAL);
        assertThat(w.recordCount()).isEqualTo(10);
        Map<FileRef, Long> ends = w.finish();
        byte[] bytes = out.toByteArray();
        assertThat(w.bytesWritten()).isEqualTo(bytes.length);

        Segment seg = SegmentReader.parse(bytes);
        assertThat(seg.header()).isEqualTo(header(7));
        assertThat(seg.header().nodeAttributes().keySet()).containsExactly("az", "ec2_instance_id");
        assertThat(seg.endOffsets()).isEqualTo(ends);
        assertThat(seg.endOffsets().keySet()).containsExactly(CONTAINER, MESSAGES, JOURNAL);

        List<SegmentEntry> e = seg.entries();
        assertThat(e).hasSize(10);
        int firstLen = utf8("{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00.1Z\"}").length;
        assertLine(e.get(0), CONTAINER, 100, 0, 1_700_000_000_000L); // before the first TIME: createdAt
        assertLine(e.get(1), MESSAGES, 0, 0, 1_700_000_000_500L);
        assertLine(e.get(2), CONTAINER, 100 + firstLen + 1, LineFlags.PARTIAL, 1_700_000_000_500L);
        assertThat(((LineEntry) e.get(2)).bytes()).isEqualTo(big);
        assertLine(e.get(3), CONTAINER, 100 + firstLen + 1 + big.length, 0, 1_700_000_000_500L);
        assertLine(e.get(4), JOURNAL, 5000, 0, 1_700_000_000_500L);
        assertThat(e.get(5)).isInstanceOf(PodEntry.class);
        assertThat(new String(((PodEntry) e.get(5)).json(), StandardCharsets.UTF_8))
                .isEqualTo("{\"event\":\"upsert\",\"name\":\"ü\"}");
        assertThat(e.get(5).readTimeMillis()).isEqualTo(1_700_000_000_500L);
        long msgLine1 = "Jan  1 00:00:00 host sshd[1]: ok".length() + 1;
        assertLine(e.get(6), MESSAGES, msgLine1, 0, 1_700_000_001_000L);
        assertThat(((LineEntry) e.get(6)).bytes()).isEqualTo(Arrays.copyOfRange(mid, 10, 30_010));
        assertLine(e.get(7), MESSAGES, msgLine1 + 30_001, 0, 1_700_000_001_000L);
        assertThat(((LineEntry) e.get(7)).bytes()).isEmpty();
        assertLine(e.get(8), MESSAGES, msgLine1 + 30_002, LineFlags.NO_NEWLINE, 1_700_000_001_000L);
        assertThat(((LineEntry) e.get(8)).bytes()).isEqualTo(invalidUtf8);
        assertLine(e.get(9), JOURNAL, 5001, LineFlags.PARTIAL, 1_700_000_001_000L);

        assertThat(ends.get(CONTAINER)).isEqualTo(100 + firstLen + 1 + big.length + 5);
        assertThat(ends.get(MESSAGES)).isEqualTo(msgLine1 + 30_002 + invalidUtf8.length);
        assertThat(ends.get(JOURNAL)).isEqualTo(5002);
    }

    static void assertLine(SegmentEntry entry, FileRef file, long offset, int flags, long time) {
        assertThat(entry).isInstanceOf(LineEntry.class);
        LineEntry l = (LineEntry) entry;
        assertThat(l.file()).isEqualTo(file);
        assertThat(l.offset()).as("offset of line in %s", file.path()).isEqualTo(offset);
        assertThat(l.flags()).isEqualTo(flags);
        assertThat(l.readTimeMillis()).isEqualTo(time);
    }

    @Test
    void caughtUpTimeIsTheTimeRecordBeforeEnd() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(out, header(4));
        int c = w.declareFile(CONTAINER, 0);
        w.readTime(1_700_000_009_000L);
        w.line(c, utf8("a"), 0, 1, 0);
        w.finish(1_700_000_008_500L); // behind the last line's read time: a pass that read a backlog
        Segment s = SegmentReader.parse(out.toByteArray());
        assertThat(s.statesCaughtUp()).isTrue();
        assertThat(s.caughtUpMillis()).isEqualTo(1_700_000_008_500L);
        assertThat(s.entries())
                .singleElement()
                .extracting(SegmentEntry::readTimeMillis)
                .isEqualTo(1_700_000_009_000L);

        out.reset();
        new SegmentWriter(out, header(5)).finish(0);
        assertThat(SegmentReader.parse(out.toByteArray()).caughtUpMillis()).isZero();
    }

    @Test
    void aSegmentWithoutTheCaughtUpTimeDoesNotStateOne() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(out, header(4));
        int c = w.declareFile(CONTAINER, 0);
        w.readTime(1_700_000_009_000L); // a TIME record followed by a LINE is a read time, not a caught-up time
        w.line(c, utf8("a"), 0, 1, 0);
        w.finish();
        Segment s = SegmentReader.parse(out.toByteArray());
        assertThat(s.statesCaughtUp()).isFalse();
        assertThat(s.caughtUpMillis()).isEqualTo(-1);
        assertThatThrownBy(() -> new SegmentWriter(new ByteArrayOutputStream(), header(1)).finish(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptySegmentAndFileWithoutLines() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(out, new SegmentHeader("c", "n", 0, 0, Map.of()));
        w.declareFile(MESSAGES, 77);
        Map<FileRef, Long> ends = w.finish();
        assertThat(ends).containsEntry(MESSAGES, 77L);
        Segment s = SegmentReader.parse(out.toByteArray());
        assertThat(s.entries()).isEmpty();
        assertThat(s.endOffsets()).containsExactly(Map.entry(MESSAGES, 77L));

        out.reset();
        new SegmentWriter(out, new SegmentHeader("c", "n", 1, 0, null)).finish();
        assertThat(SegmentReader.parse(out.toByteArray()).endOffsets()).isEmpty();
    }

    @Test
    void writerRejectsMisuse() throws Exception {
        SegmentWriter w = new SegmentWriter(new ByteArrayOutputStream(), header(1));
        int id = w.declareFile(CONTAINER, 0);
        assertThatThrownBy(() -> w.declareFile(
                        new FileRef("/other/path", CONTAINER.device(), CONTAINER.inode(), 0, SourceKind.CONTAINER), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already declared");
        assertThatThrownBy(() -> w.line(id + 1, new byte[1], 0, 1, 0)).hasMessageContaining("undeclared fileId");
        assertThatThrownBy(() -> w.line(id, new byte[1], 0, 1, 3)).hasMessageContaining("invalid line flags");
        assertThatThrownBy(() -> w.line(id, new byte[1], 0, 1, 4)).hasMessageContaining("invalid line flags");
        assertThatThrownBy(() -> w.line(id, new byte[1], 1, 1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        // a new generation of the same inode is a different identity
        w.declareFile(new FileRef(CONTAINER.path(), CONTAINER.device(), CONTAINER.inode(), 1, SourceKind.CONTAINER), 0);
        w.finish();
        assertThatThrownBy(() -> w.line(id, new byte[1], 0, 1, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void manyFilesAndLinesAcrossBufferBoundaries() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(out, header(99));
        Random r = new Random(5);
        List<FileRef> refs = new ArrayList<>();
        long[] expected = new long[50];
        for (int i = 0; i < 50; i++) {
            FileRef f = new FileRef("/var/log/containers/p" + i + ".log", 1, 1000 + i, 0, SourceKind.CONTAINER);
            refs.add(f);
            expected[i] = i * 10L;
            assertThat(w.declareFile(f, expected[i])).isEqualTo(i);
        }
        List<long[]> lines = new ArrayList<>();
        for (int n = 0; n < 20_000; n++) {
            int f = r.nextInt(50);
            int len = r.nextInt(300);
            byte[] b = new byte[len];
            r.nextBytes(b);
            int flags = r.nextInt(10) == 0 ? LineFlags.PARTIAL : 0;
            w.readTime(1000 + n / 100);
            lines.add(new long[] {f, expected[f], len, flags});
            w.line(f, b, 0, len, flags);
            expected[f] += flags == 0 ? len + 1 : len;
        }
        w.finish();
        Segment s = SegmentReader.parse(out.toByteArray());
        assertThat(s.entries()).hasSize(20_000);
        for (int n = 0; n < lines.size(); n++) {
            LineEntry l = (LineEntry) s.entries().get(n);
            assertThat(l.file()).isEqualTo(refs.get((int) lines.get(n)[0]));
            assertThat(l.offset()).isEqualTo(lines.get(n)[1]);
            assertThat(l.bytes()).hasSize((int) lines.get(n)[2]);
            assertThat(l.readTimeMillis()).isEqualTo(1000 + n / 100);
        }
        for (int i = 0; i < 50; i++) {
            assertThat(s.endOffsets().get(refs.get(i))).isEqualTo(expected[i]);
        }
    }
}
