package dev.kubelogs.collector.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.Segment;
import dev.kubelogs.spool.SegmentReader;
import dev.kubelogs.spool.SegmentWriter;
import dev.kubelogs.spool.SourceKind;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's spool directory: a segment is invisible until synced and published, and numbered without gaps. */
class SegmentSpoolTest {
    private static final FileRef FILE = new FileRef("/var/log/messages", 1, 2, 0, SourceKind.HOST_FILE);

    @TempDir
    Path tmp;

    SegmentSpool spool;

    @BeforeEach
    void open() throws IOException {
        spool = new SegmentSpool(tmp, "c", "n", Map.of("az", "a"));
    }

    private void writeLine(String text) throws IOException {
        SegmentWriter w = spool.writer(1_000L);
        int id = w.declareFile(FILE, 0);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        w.line(id, bytes, 0, bytes.length, 0);
    }

    @Test
    void aSegmentBecomesVisibleOnlyWhenPublishedWithItsHeaderAndLines() throws IOException {
        assertThat(spool.directory()).isEqualTo(SpoolPaths.nodeDirectory(tmp, "c", "n"));
        writeLine("hello");
        assertThat(spool.isOpen()).isTrue();
        assertThat(spool.openSeq()).isZero();
        assertThat(spool.listSegments()).as("open, not visible").isEmpty();
        assertThat(spool.sync()).containsEntry(FILE, 6L);
        assertThat(spool.listSegments()).as("synced, still not visible").isEmpty();

        assertThat(spool.publish()).isZero();
        assertThat(spool.listSegments()).containsExactly(0L);
        assertThat(spool.isOpen()).isFalse();
        assertThat(spool.nextSeq()).isEqualTo(1);
        Segment seg = SegmentReader.parse(Files.readAllBytes(spool.segmentPath(0)));
        assertThat(seg.header().cluster()).isEqualTo("c");
        assertThat(seg.header().nodeAttributes()).containsEntry("az", "a");
        assertThat(seg.entries())
                .singleElement()
                .isInstanceOfSatisfying(
                        LineEntry.class,
                        l -> assertThat(new String(l.bytes(), StandardCharsets.UTF_8))
                                .isEqualTo("hello"));
    }

    @Test
    void publishingNeedsASyncFirst() throws IOException {
        writeLine("x");
        assertThatThrownBy(spool::publish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anAbandonedSegmentLeavesNothingAndItsSeqIsReused() throws IOException {
        writeLine("lost");
        long epoch = spool.epoch();
        spool.abandon();
        assertThat(spool.isOpen()).isFalse();
        assertThat(Files.exists(spool.directory().resolve(SpoolPaths.tempFileName(0))))
                .isFalse();
        writeLine("again");
        assertThat(spool.openSeq()).isZero();
        assertThat(spool.epoch()).as("file ids of the old writer are void").isGreaterThan(epoch);
    }

    @Test
    void leftoverTempSegmentsOfAnEarlierRunAreDeleted() throws IOException {
        writeLine("unfinished");
        SegmentSpool restarted = new SegmentSpool(tmp, "c", "n", Map.of());
        assertThat(restarted.deleteTempFiles()).isEqualTo(1);
        assertThat(restarted.deleteTempFiles()).isZero();
    }

    @Test
    void theNextSeqCannotMoveUnderAnOpenSegment() throws IOException {
        spool.setNextSeq(41);
        writeLine("x");
        assertThat(spool.openSeq()).isEqualTo(41);
        assertThatThrownBy(() -> spool.setNextSeq(7)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theSealedMarkerNamesTheLastSeqAndIsRemovedOnce() throws IOException {
        spool.writeSealed(12);
        assertThat(Files.readString(spool.directory().resolve(SpoolPaths.SEALED))
                        .trim())
                .isEqualTo("12");
        assertThat(spool.removeSealed()).isTrue();
        assertThat(spool.removeSealed()).isFalse();
    }
}
