package dev.kubelogs.collector.commit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.spool.SegmentSpool;
import dev.kubelogs.collector.tail.CollectorState;
import dev.kubelogs.collector.tail.StateStore;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SegmentWriter;
import dev.kubelogs.spool.SourceKind;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit protocol on real files: each test stops the protocol at one step (as a crash would), starts a new
 * committer on the same directories, and checks what it resumes from.
 */
class SpoolCommitterTest {
    private static final FileRef FILE = new FileRef("/var/log/containers/a.log", 1, 11, 0, SourceKind.CONTAINER);
    private static final FileRef JOURNAL = new FileRef("journal", 0, 77, 0, SourceKind.JOURNAL);

    @TempDir
    Path tmp;

    private SegmentSpool spool;
    private StateStore store;
    /** What the inputs have read: the offset of {@link #FILE} after the last line written. */
    private long fileOffset;

    private final AtomicInteger published = new AtomicInteger();

    @BeforeEach
    void openSpool() throws IOException {
        spool = new SegmentSpool(tmp.resolve("spool"), "c", "n", Map.of());
        store = new StateStore(tmp.resolve("state"), "c", "n");
    }

    private SpoolCommitter committer(Duration retention) {
        return new SpoolCommitter(
                spool,
                store,
                "c",
                "n",
                retention,
                new CollectorMetrics(),
                s -> {
                    s.files.add(filePosition());
                    s.pods.put("ns/p", "uid-1 h1");
                },
                published::incrementAndGet);
    }

    /** {@link #FILE} at {@link #fileOffset}, as the tailer's snapshot gives it. */
    private CollectorState.FileState filePosition() {
        CollectorState.FileState f = new CollectorState.FileState();
        f.path = FILE.path();
        f.device = FILE.device();
        f.inode = FILE.inode();
        f.kind = FILE.kind().name();
        f.offset = fileOffset;
        return f;
    }

    private SpoolCommitter committer() {
        return committer(Duration.ofDays(1));
    }

    /** Writes one line of {@link #FILE} into the open segment, as the tailer does. */
    private void writeLine(String line) throws IOException {
        SegmentWriter w = spool.writer(System.currentTimeMillis());
        int id = w.declareFile(FILE, fileOffset);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        w.line(id, bytes, 0, bytes.length, 0);
        fileOffset += bytes.length + 1;
    }

    /** A new process on the same directories. */
    private SpoolCommitter restart() throws IOException {
        spool = new SegmentSpool(tmp.resolve("spool"), "c", "n", Map.of());
        store = new StateStore(tmp.resolve("state"), "c", "n");
        return committer();
    }

    @Test
    void aRolledSegmentIsDurableAndItsPositionsCommitted() throws IOException {
        SpoolCommitter c = committer();
        assertThat(c.recover()).as("first start").isNull();
        writeLine("hello");
        c.roll();

        assertThat(Files.exists(spool.segmentPath(0))).isTrue();
        assertThat(c.committed().committedSeq).isZero();
        assertThat(c.committed().files)
                .singleElement()
                .extracting(f -> f.offset)
                .isEqualTo(6L);
        assertThat(c.committed().pods).containsEntry("ns/p", "uid-1 h1");
        assertThat(c.spoolBytes()).isEqualTo(Files.size(spool.segmentPath(0)));
        assertThat(published).hasValue(1);

        CollectorState resumed = restart().recover();
        assertThat(resumed.committedSeq).isZero();
        assertThat(resumed.files).singleElement().extracting(f -> f.offset).isEqualTo(6L);
        assertThat(spool.nextSeq()).isEqualTo(1);
    }

    @Test
    void rollWithoutAnOpenSegmentCommitsNothing() throws IOException {
        SpoolCommitter c = committer();
        c.recover();
        c.roll();
        assertThat(c.committed()).isNull();
        assertThat(published).hasValue(0);
    }

    @Test
    void crashBeforeTheSegmentWasPublishedResumesFromTheLastCommit() throws IOException {
        SpoolCommitter c = committer();
        c.recover();
        writeLine("one");
        c.roll();
        long committedOffset = fileOffset;
        writeLine("two");
        spool.sync();
        CollectorState pending = new CollectorState();
        pending.committedSeq = 1;
        store.writePending(pending);
        // crash: the segment is still a temp file

        CollectorState resumed = restart().recover();
        assertThat(resumed.committedSeq).isZero();
        assertThat(resumed.files).singleElement().extracting(f -> f.offset).isEqualTo(committedOffset);
        assertThat(store.loadPending().state())
                .as("the pending state is dropped")
                .isNull();
        assertThat(spool.listSegments()).containsExactly(0L);
        assertThat(Files.exists(spool.directory().resolve(SpoolPaths.tempFileName(1))))
                .isFalse();
        assertThat(spool.nextSeq()).isEqualTo(1);
    }

    @Test
    void crashAfterPublishingAdoptsThePendingState() throws IOException {
        SpoolCommitter c = committer();
        c.recover();
        writeLine("one");
        c.roll();
        writeLine("two");
        spool.sync();
        CollectorState pending = new CollectorState();
        pending.cluster = "c";
        pending.node = "n";
        pending.committedSeq = 1;
        pending.files.add(filePosition());
        store.writePending(pending);
        spool.publish();
        // crash: the state was not committed

        CollectorState resumed = restart().recover();
        assertThat(resumed.committedSeq).isEqualTo(1);
        assertThat(resumed.files).singleElement().extracting(s -> s.offset).isEqualTo(fileOffset);
        assertThat(store.loadCommitted().state().committedSeq)
                .as("adopted durably")
                .isEqualTo(1);
        assertThat(spool.nextSeq()).isEqualTo(2);
    }

    @Test
    void aLostStateIsRebuiltFromTheSegmentTrailers() throws IOException {
        SpoolCommitter c = committer();
        c.recover();
        writeLine("one");
        SegmentWriter w = spool.writer(System.currentTimeMillis());
        int journal = w.declareFile(JOURNAL, 40);
        w.line(journal, "{}".getBytes(StandardCharsets.UTF_8), 0, 2, 0);
        c.roll();
        writeLine("two");
        c.roll();
        Files.delete(store.directory().resolve("state.json"));

        CollectorState resumed = restart().recover();
        assertThat(resumed.committedSeq).isEqualTo(1);
        assertThat(resumed.files).singleElement().satisfies(f -> {
            assertThat(f.inode).isEqualTo(FILE.inode());
            assertThat(f.offset).isEqualTo(fileOffset);
        });
        assertThat(resumed.journal.offset)
                .as("the journal's entry count from the trailer")
                .isEqualTo(41);
        assertThat(resumed.journal.inode).isEqualTo(JOURNAL.inode());
        assertThat(store.loadCommitted().state().committedSeq).isEqualTo(1);
    }

    @Test
    void aCorruptSegmentNewerThanTheStateIsMovedAsideAndItsLinesReRead() throws IOException {
        SpoolCommitter c = committer();
        c.recover();
        writeLine("one");
        c.roll();
        long committedOffset = fileOffset;
        writeLine("two");
        c.roll();
        Files.write(spool.segmentPath(1), new byte[] {1, 2, 3});
        CollectorState older = store.loadCommitted().state();
        older.committedSeq = 0;
        older.files.get(0).offset = committedOffset;
        store.commit(older);

        CollectorState resumed = restart().recover();
        assertThat(resumed.committedSeq).isZero();
        assertThat(resumed.files).singleElement().extracting(f -> f.offset).isEqualTo(committedOffset);
        assertThat(spool.listSegments()).containsExactly(0L);
        assertThat(Files.exists(spool.directory().resolve("." + SpoolPaths.segmentFileName(1) + ".corrupt")))
                .isTrue();
    }

    @Test
    void recoveryRemovesTheSealedMarkerOfAnEarlierRun() throws IOException {
        spool.writeSealed(-1);
        committer().recover();
        assertThat(Files.exists(spool.directory().resolve(SpoolPaths.SEALED))).isFalse();
    }

    @Test
    void rescanMeasuresTheSpoolAndDeletesSegmentsOlderThanTheRetention() throws IOException {
        SpoolCommitter c = committer(Duration.ofHours(1));
        c.recover();
        writeLine("old");
        c.roll();
        writeLine("new");
        c.roll();
        Files.setLastModifiedTime(
                spool.segmentPath(0), FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        c.rescan();
        assertThat(spool.listSegments()).containsExactly(1L);
        assertThat(c.spoolBytes()).isEqualTo(Files.size(spool.segmentPath(1)));
    }
}
