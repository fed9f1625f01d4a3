package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.LogTree;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tailer on a real log tree, driven pass by pass as the tail thread drives it, with a recording sink: where files
 * start at a first start and at a restart, and files rotated or deleted while the collector was down. The read loop
 * itself is {@link TailReaderTest}'s.
 */
class FileTailerTest {
    private static final int MAX_LINE = 32;

    @TempDir
    Path tmp;

    private LogTree tree;
    private Path file;
    private CreateWatcher watcher;
    private final CollectorMetrics metrics = new CollectorMetrics();
    private final RecordingSink sink = new RecordingSink();

    @BeforeEach
    void tree() throws IOException {
        tree = new LogTree(tmp.resolve("log"));
        file = tree.target(tree.container("ns", "pod", "c", 1));
    }

    @AfterEach
    void closeWatcher() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private FileTailer tailer() {
        Discovery discovery =
                new Discovery(tree.root, tmp.resolve("docker"), List.of("containers/*.log"), List.of(), List.of());
        watcher = CreateWatcher.start(discovery, metrics, () -> {}, "test-watch");
        return new FileTailer(discovery, watcher, MAX_LINE, Duration.ofSeconds(10), metrics);
    }

    /** A first run reads the line "sent" and stops; its state as committed. */
    private CollectorState readSentAndStop() throws IOException {
        LogTree.append(file, "sent\n");
        FileTailer first = tailer();
        first.initialize(null, true, true);
        drain(first, sink);
        CollectorState committed = new CollectorState();
        committed.files = first.snapshot();
        first.closeAll();
        watcher.close();
        return committed;
    }

    private static void drain(FileTailer t, FileTailer.Sink sink) throws IOException {
        while (t.readPass(sink)) {
            // read until nothing is left
        }
    }

    @Test
    void aFirstStartWithoutReadHeadSkipsWhatIsThereAndReadsWhatFollows() throws IOException {
        LogTree.append(file, "old\n");
        FileTailer t = tailer();
        t.initialize(null, true, false);
        LogTree.append(file, "new\n");
        drain(t, sink);
        assertThat(sink.lines).containsExactly(new RecordingSink.Line("new", 0, 4));
        assertThat(t.snapshot()).singleElement().extracting(f -> f.offset).isEqualTo(8L);
    }

    @Test
    void aFirstStartWithReadHeadReadsFromTheHeadAndLeavesAnIncompleteLine() throws IOException {
        LogTree.append(file, "a\nb\nincompl");
        FileTailer t = tailer();
        t.initialize(null, true, true);
        drain(t, sink);
        assertThat(sink.texts()).containsExactly("a", "b");
        assertThat(t.snapshot()).singleElement().extracting(f -> f.offset).isEqualTo(4L);
    }

    @Test
    void aRestartResumesAtTheCommittedOffset() throws IOException {
        CollectorState committed = readSentAndStop();
        LogTree.append(file, "while down\n");

        RecordingSink after = new RecordingSink();
        FileTailer second = tailer();
        second.initialize(committed, false, true);
        drain(second, after);
        assertThat(after.lines).containsExactly(new RecordingSink.Line("while down", 0, 5));
    }

    @Test
    void aFileDeletedWhileTheCollectorWasDownIsCountedNotSilentlyForgotten() throws IOException {
        CollectorState committed = readSentAndStop();
        LogTree.append(file, "written while down, then rotated away\n");
        Files.delete(file);

        FileTailer second = tailer();
        second.initialize(committed, false, true);
        drain(second, new RecordingSink());

        assertThat(metrics.filesGoneWhileDown.get()).isEqualTo(1.0);
    }

    @Test
    void filesRotatedInAndOutAfterTheLastCommitAreReadFromTheirHeadAtTheRestart() throws IOException {
        CollectorState committed = readSentAndStop();
        // while no state was committed (the collector down, or paused at its spool limit), kubelet rotated twice
        long committedFileLastWritten = 1_800_000_000_000L;
        LogTree.append(file, "rest of the committed file\n");
        Path committedRotated = rotate(file, "0.log.20270115-080000", committedFileLastWritten);
        LogTree.append(file, "in the file rotated in and out\n");
        rotate(file, "0.log.20270115-080010", committedFileLastWritten + 10_000);
        LogTree.append(file, "in the live file\n");
        // an older rotated file (read before the commit and let go long ago), and a newer one kubelet compressed
        Path older = file.resolveSibling("0.log.20270115-075900");
        LogTree.append(older, "read long ago\n");
        Files.setLastModifiedTime(older, FileTime.fromMillis(committedFileLastWritten - 60_000));
        // rotated before the committed file within the same tick of the file system's clock, read and let go before
        // the commit: the retired list knows where it stopped
        Path sameTick = file.resolveSibling("0.log.20270115-075959");
        LogTree.append(sameTick, "read before the commit\n");
        Files.setLastModifiedTime(sameTick, FileTime.fromMillis(committedFileLastWritten));
        committed.retired.add(retired(sameTick));
        Path compressed = file.resolveSibling("0.log.20270115-080005.gz");
        LogTree.append(compressed, "not text\n");
        Files.setLastModifiedTime(compressed, FileTime.fromMillis(committedFileLastWritten + 5_000));

        RecordingSink after = new RecordingSink();
        FileTailer second = tailer();
        second.initialize(committed, false, true);
        drain(second, after);

        assertThat(after.texts())
                .containsExactlyInAnyOrder(
                        "rest of the committed file", "in the file rotated in and out", "in the live file");
        assertThat(metrics.filesRotatedWhileDown.get()).isEqualTo(1.0);
        assertThat(metrics.filesCompressedWhileDown.get()).isEqualTo(1.0);
        assertThat(committedRotated).exists();
    }

    @Test
    void whatALaggingTailerHadNotReadOfACopytruncatedFileIsReadFromTheCopyBeforeTheNewContent() throws IOException {
        LogTree.append(file, "read\n");
        FileTailer t = tailer();
        t.initialize(null, true, true);
        drain(t, sink);
        LogTree.append(file, "not read yet\n");
        Files.copy(file, file.resolveSibling(file.getFileName() + ".1"));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        LogTree.append(file, "new\n");
        drain(t, sink);

        assertThat(sink.lines)
                .containsExactly(
                        new RecordingSink.Line("read", 0, 0),
                        new RecordingSink.Line("not read yet", 0, 5),
                        new RecordingSink.Line("new", 0, 0));
        assertThat(sink.generations).containsExactly(0, 0, 1);
        assertThat(t.snapshot()).singleElement().satisfies(f -> {
            assertThat(f.generation).isEqualTo(1);
            assertThat(f.offset).isEqualTo(4);
        });
        assertThat(metrics.truncatedTailsRecovered.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedBytesRecovered.get()).isEqualTo(13.0);
        t.closeAll();
    }

    /**
     * logrotate's copytruncate while the collector was down: at the restart the committed file is shorter than its
     * offset, or begins with other bytes; the unread rest of its generation is read from the copy, as when running.
     */
    @Test
    void aFileCopytruncatedWhileTheCollectorWasDownHasItsUnreadTailReadFromTheCopyAtTheRestart() throws IOException {
        CollectorState committed = readSentAndStop();
        LogTree.append(file, "while down\n");
        Files.copy(file, file.resolveSibling(file.getFileName() + ".1"));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        LogTree.append(file, "other, longer content\n");

        RecordingSink after = new RecordingSink();
        FileTailer second = tailer();
        second.initialize(committed, false, true);
        drain(second, after);

        assertThat(after.texts()).containsExactly("while down", "other, longer content");
        assertThat(after.generations).containsExactly(0, 1);
        assertThat(metrics.truncations.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedTailsRecovered.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedBytesRecovered.get()).isEqualTo(11.0);
        second.closeAll();
    }

    @Test
    void aFileTruncatedWhileTheCollectorWasDownWithoutACopyCountsItsTailLost() throws IOException {
        CollectorState committed = readSentAndStop();
        LogTree.append(file, "while down\n");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        LogTree.append(file, "new\n");

        RecordingSink after = new RecordingSink();
        FileTailer second = tailer();
        second.initialize(committed, false, true);
        drain(second, after);

        assertThat(after.texts()).containsExactly("new");
        assertThat(after.generations).containsExactly(1);
        assertThat(metrics.truncatedTailsLost.get()).isEqualTo(1.0);
        second.closeAll();
    }

    /** A file let go at its end, as the committed state lists it. */
    private static CollectorState.Retired retired(Path file) throws IOException {
        FileIdentity id = FileIdentity.stat(file).id();
        CollectorState.Retired r = new CollectorState.Retired();
        r.device = id.device();
        r.inode = id.inode();
        r.offset = Files.size(file);
        r.releasedAtMillis = System.currentTimeMillis();
        return r;
    }

    /** Renames {@code live} away as a rename rotation does, dated {@code lastWrittenMillis}. */
    private static Path rotate(Path live, String rotatedName, long lastWrittenMillis) throws IOException {
        Path rotated = live.resolveSibling(rotatedName);
        Files.move(live, rotated);
        Files.setLastModifiedTime(rotated, FileTime.fromMillis(lastWrittenMillis));
        return rotated;
    }
}
