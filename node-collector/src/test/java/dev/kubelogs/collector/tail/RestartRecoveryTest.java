package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart after host files were rotated, compressed or deleted while the collector was down, on a real log tree:
 * what can still be read resumes where it was committed or from its head, and what cannot is counted.
 */
class RestartRecoveryTest {
    private static final String LOGICAL = "/var/log/messages";
    private static final long T0 = 1_780_000_000_000L;

    @TempDir
    Path tmp;

    private WatchedLogTree watched;
    private CollectorMetrics metrics;
    private TrackedFiles files;
    private StartPositions positions;
    private RestartRecovery recovery;
    private Path root;

    @BeforeEach
    void recovery() throws IOException {
        watched = new WatchedLogTree(tmp);
        metrics = watched.metrics;
        root = watched.tree.root;
        files = new TrackedFiles(watched.watcher);
        positions = new StartPositions(1024, metrics);
        FileOpener opener = watched.opener(positions, files, metrics);
        recovery = new RestartRecovery(positions, opener, files, metrics);
    }

    @AfterEach
    void close() {
        files.closeAll();
        watched.close();
    }

    /** The state of the last run: {@code file} (now maybe elsewhere) committed at {@code offset}. */
    private void committed(Path realPathThen, FileIdentity id, long offset) {
        CollectorState.FileState fs = new CollectorState.FileState();
        fs.path = LOGICAL;
        fs.realPath = realPathThen == null ? null : realPathThen.toString();
        fs.device = id.device();
        fs.inode = id.inode();
        fs.kind = SourceKind.HOST_FILE.name();
        fs.offset = offset;
        CollectorState state = new CollectorState();
        state.files.add(fs);
        positions.reset(state, false);
    }

    private static Path write(Path p, String content, long mtime) throws IOException {
        Files.writeString(p, content);
        Files.setLastModifiedTime(p, FileTime.fromMillis(mtime));
        return p;
    }

    @Test
    void aCommittedFileRotatedWhileDownIsReadOnFromItsCommittedOffset() throws IOException {
        Path live = write(root.resolve("messages"), "line1\nline2\nline3\n", T0);
        FileIdentity id = FileIdentity.stat(live).id();
        committed(live, id, 6);
        Path rotated = Files.move(live, root.resolve("messages.1"));
        write(live, "new generation\n", T0 + 5_000);

        recovery.resumeRotated();

        assertThat(files.rotated()).singleElement().satisfies(f -> {
            assertThat(f.realPath).isEqualTo(rotated);
            assertThat(f.offset).isEqualTo(6);
            assertThat(f.logicalPath()).isEqualTo(LOGICAL);
        });
        assertThat(positions.unmatched()).isEmpty();
        assertThat(metrics.filesGoneWhileDown.getLongValue()).isZero();
        assertThat(metrics.filesRotatedWhileDown.getLongValue()).isZero();
    }

    @Test
    void filesRotatedInAndOutAfterItAreReadFromTheirHeadAndCompressedOnesCounted() throws IOException {
        Path live = write(root.resolve("messages"), "line1\nline2\n", T0);
        FileIdentity id = FileIdentity.stat(live).id();
        committed(live, id, 6);
        // while down: messages -> messages.2, a whole generation written and rotated to messages.1, one compressed
        Path committedNow = Files.move(live, root.resolve("messages.2"));
        Path inAndOut = write(root.resolve("messages.1"), "unseen generation\n", T0 + 1_000);
        write(root.resolve("messages-20260101.gz"), "gzip bytes", T0 + 2_000);
        write(root.resolve("messages.0.old"), "older than the commit", T0 - 60_000);
        write(live, "current\n", T0 + 3_000);

        recovery.resumeRotated();

        assertThat(files.rotated())
                .extracting(f -> f.realPath, f -> f.offset)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(committedNow, 6L),
                        org.assertj.core.groups.Tuple.tuple(inAndOut, 0L));
        assertThat(metrics.filesRotatedWhileDown.getLongValue()).isEqualTo(1);
        assertThat(metrics.filesCompressedWhileDown.getLongValue()).isEqualTo(1);
        assertThat(metrics.filesGoneWhileDown.getLongValue()).isZero();
    }

    @Test
    void aCommittedFileDeletedWhileDownIsCountedAndForgotten() throws IOException {
        Path live = write(root.resolve("messages"), "line1\n", T0);
        FileIdentity real = FileIdentity.stat(live).id();
        // an inode no file of the directory has
        FileIdentity gone = new FileIdentity(real.device(), Long.MAX_VALUE - 7);
        committed(root.resolve("messages.1"), gone, 6);

        recovery.resumeRotated();

        assertThat(files.rotated()).isEmpty();
        assertThat(positions.unmatched()).isEmpty();
        assertThat(metrics.filesGoneWhileDown.getLongValue()).isEqualTo(1);
    }

    @Test
    void aCommittedFileWithoutARealPathCannotBeFound() throws IOException {
        committed(null, new FileIdentity(1, 2), 6);

        recovery.resumeRotated();

        assertThat(files.rotated()).isEmpty();
        assertThat(metrics.filesGoneWhileDown.getLongValue()).isEqualTo(1);
    }
}
