package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.Segment;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SegmentReader;
import dev.kubelogs.spool.SegmentWriter;
import dev.kubelogs.spool.SourceKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a segment becomes records: line batches per file run, and positions that count entries. */
class SegmentBulkFormatTest {
    private static final FileRef APP =
            new FileRef("/var/log/containers/a_b_c-" + "0".repeat(64) + ".log", 1, 10, 0, SourceKind.CONTAINER);
    private static final FileRef HOST = new FileRef("/var/log/messages", 1, 11, 0, SourceKind.HOST_FILE);

    /** 3 app lines, 2 host lines, a pod record, 2 app lines, then 1,500 app lines. */
    private static Segment segment() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(bytes, new SegmentHeader("prod", "n1", 7, 1_700_000_000_000L, Map.of()));
        int app = w.declareFile(APP, 0);
        int host = w.declareFile(HOST, 0);
        w.readTime(1_700_000_000_000L);
        int n = 0;
        for (int i = 0; i < 3; i++) {
            line(w, app, "app " + n++);
        }
        for (int i = 0; i < 2; i++) {
            line(w, host, "host " + n++);
        }
        w.podMetadata("{\"event\":\"upsert\",\"namespace\":\"b\",\"name\":\"a\"}".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 1502; i++) {
            line(w, app, "app " + n++);
        }
        w.finish();
        return SegmentReader.parse(bytes.toByteArray());
    }

    private static void line(SegmentWriter w, int file, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        w.line(file, b, 0, b.length, 0);
    }

    @Test
    void consecutiveLinesOfOneFileTravelAsOneBatchBoundedInCount() throws Exception {
        SegmentBulkFormat.Emission e = SegmentBulkFormat.toRecords(segment(), 0);
        List<String> shape = new ArrayList<>();
        for (SpoolRecord r : e.records()) {
            shape.add(
                    r.type == SpoolRecord.LINES
                            ? "L" + r.lineCount() + "@" + r.indexInSegment
                            : r.type + "@" + r.indexInSegment);
        }
        // SEGMENT, app×3, host×2, POD, app×1024 (the batch limit), app×478, SEGMENT_END
        assertThat(shape).containsExactly("1@0", "L3@1", "L2@4", "3@6", "L1024@7", "L478@1031", "5@1509");
        assertThat(e.positionsAfter()).containsExactly(1, 4, 6, 7, 1031, 1509, 1510);
        SpoolRecord host = e.records().get(2);
        assertThat(host.path).isEqualTo("/var/log/messages");
        assertThat(new String(host.lineBytes(1), StandardCharsets.UTF_8)).isEqualTo("host 4");
        assertThat(host.lineOffset(1)).isEqualTo("host 3".length() + 1);
    }

    @Test
    void theSegmentEndCarriesTheCollectorsCaughtUpTimeWhenTheSegmentStatesOne() throws Exception {
        SpoolRecord without = last(SegmentBulkFormat.toRecords(segment(), 0));
        assertThat(without.type).isEqualTo(SpoolRecord.SEGMENT_END);
        assertThat(without.statesCaughtUp()).isFalse();
        assertThat(without.readTimeMillis).as("the header's time").isEqualTo(1_700_000_000_000L);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(bytes, new SegmentHeader("prod", "n1", 8, 1_700_000_000_000L, Map.of()));
        int app = w.declareFile(APP, 0);
        w.readTime(1_700_000_004_000L);
        line(w, app, "app");
        w.finish(1_700_000_003_900L);
        SpoolRecord with = last(SegmentBulkFormat.toRecords(SegmentReader.parse(bytes.toByteArray()), 0));
        assertThat(with.statesCaughtUp()).isTrue();
        assertThat(with.readTimeMillis).isEqualTo(1_700_000_003_900L);
        assertThat(last(SegmentBulkFormat.toRecords(SegmentReader.parse(bytes.toByteArray()), 2))
                        .statesCaughtUp())
                .as("also for a reader restored inside the segment")
                .isTrue();
    }

    private static SpoolRecord last(SegmentBulkFormat.Emission e) {
        return e.records().get(e.records().size() - 1);
    }

    @Test
    void aRestoredReaderResumesAtTheNextLineFromAnyPositionIncludingOnesInsideABatch() throws Exception {
        Segment segment = segment();
        // one item per segment entry: the SEGMENT record, 5 lines, the pod, 1,502 lines, SEGMENT_END
        List<String> all = lines(SegmentBulkFormat.toRecords(segment, 0));
        assertThat(all).hasSize(1510);
        // every position a reader may have checkpointed: after a batch, or after a single line (0.1.0's readers)
        for (int skip = 0; skip <= 1510; skip++) {
            List<String> rest = lines(SegmentBulkFormat.toRecords(segment, skip));
            assertThat(rest).as("skip %d", skip).isEqualTo(all.subList(skip, all.size()));
        }
    }

    /**
     * A path that rotated to a new inode (or was truncated: a new generation) is another file: its lines must not ride
     * in the previous file's batch, whose identity would make the keyed stage take them for a replay and drop them.
     */
    @Test
    void aRotatedOrTruncatedFileUnderTheSamePathStartsANewBatch() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(bytes, new SegmentHeader("prod", "n1", 0, 1L, Map.of()));
        int old = w.declareFile(APP, 0);
        int rotated = w.declareFile(new FileRef(APP.path(), 1, 12, 0, SourceKind.CONTAINER), 0);
        int truncated = w.declareFile(new FileRef(APP.path(), 1, 12, 1, SourceKind.CONTAINER), 0);
        w.readTime(1L);
        line(w, old, "old 0");
        line(w, old, "old 1");
        line(w, rotated, "new 0");
        line(w, truncated, "cut 0");
        w.finish();
        SegmentBulkFormat.Emission e = SegmentBulkFormat.toRecords(SegmentReader.parse(bytes.toByteArray()), 0);
        List<String> batches = new ArrayList<>();
        for (SpoolRecord r : e.records()) {
            if (r.type == SpoolRecord.LINES) {
                batches.add(r.fileIdentity() + "×" + r.lineCount() + "@" + r.lineOffset(0));
            }
        }
        assertThat(batches).containsExactly("1:10:0×2@0", "1:12:0×1@0", "1:12:1×1@0");
    }

    @Test
    void aBatchIsBoundedInBytes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(bytes, new SegmentHeader("prod", "n1", 0, 1L, Map.of()));
        int app = w.declareFile(APP, 0);
        w.readTime(1L);
        byte[] big = new byte[100_000];
        java.util.Arrays.fill(big, (byte) 'x');
        for (int i = 0; i < 7; i++) {
            w.line(app, big, 0, big.length, 0);
        }
        w.finish();
        SegmentBulkFormat.Emission e = SegmentBulkFormat.toRecords(SegmentReader.parse(bytes.toByteArray()), 0);
        List<Integer> counts = new ArrayList<>();
        for (SpoolRecord r : e.records()) {
            if (r.type == SpoolRecord.LINES) {
                counts.add(r.lineCount());
                assertThat(r.data.length).isLessThanOrEqualTo(SpoolRecord.MAX_BATCH_BYTES);
            }
        }
        assertThat(counts).containsExactly(2, 2, 2, 1);
    }

    private static List<String> lines(SegmentBulkFormat.Emission e) {
        List<String> out = new ArrayList<>();
        for (SpoolRecord r : e.records()) {
            if (r.carriesLines()) {
                for (int i = 0; i < r.lineCount(); i++) {
                    out.add(new String(r.lineBytes(i), StandardCharsets.UTF_8));
                }
            } else {
                out.add("#" + r.type + "@" + r.indexInSegment);
            }
        }
        return out;
    }
}
