package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a file starts, given the committed state, the released files and whether a first start reads from the tail. */
class StartPositionsTest {
    private static final int MAX_LINE = 16;

    @TempDir
    Path tmp;

    private final CollectorMetrics metrics = new CollectorMetrics();
    private final StartPositions positions = new StartPositions(MAX_LINE, metrics);
    private final List<FileChannel> open = new ArrayList<>();
    private int files;

    @AfterEach
    void close() throws IOException {
        for (FileChannel ch : open) {
            ch.close();
        }
    }

    private Path file(String content) throws IOException {
        Path p = tmp.resolve("f" + files++ + ".log");
        LogTree.append(p, content);
        return p;
    }

    private StartPositions.Start startOf(Path p, boolean openedOnCreation) throws IOException {
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
        open.add(ch);
        return positions.startOf(FileIdentity.stat(p).id(), ch, ch.size(), openedOnCreation);
    }

    /** The committed position of {@code p}, read up to {@code offset} with the head fingerprint of what was read. */
    private static CollectorState.FileState committed(Path p, int generation, long offset) throws IOException {
        FileIdentity id = FileIdentity.stat(p).id();
        CollectorState.FileState fs = new CollectorState.FileState();
        fs.path = "/var/log/" + p.getFileName();
        fs.realPath = p.toString();
        fs.device = id.device();
        fs.inode = id.inode();
        fs.generation = generation;
        fs.kind = SourceKind.CONTAINER.name();
        fs.offset = offset;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            fs.headLen = (int) offset;
            fs.headCrc = TrackedFile.crcOfHead(ch, (int) offset);
        }
        return fs;
    }

    private static CollectorState state(CollectorState.FileState... files) {
        CollectorState s = new CollectorState();
        s.files = new ArrayList<>(List.of(files));
        return s;
    }

    @Test
    void aCommittedFileResumesAtItsOffsetOnce() throws IOException {
        Path p = file("read\nnot yet\n");
        CollectorState.FileState fs = committed(p, 3, 5);
        positions.reset(state(fs), false);
        assertThat(positions.unmatched()).hasSize(1);

        StartPositions.Start start = startOf(p, false);

        assertThat(start.generation()).isEqualTo(3);
        assertThat(start.offset()).isEqualTo(5);
        assertThat(start.headLen()).isEqualTo(5);
        assertThat(start.headCrc()).isEqualTo(fs.headCrc);
        assertThat(positions.unmatched()).as("used up").isEmpty();
        assertThat(startOf(p, false).offset()).isZero();
    }

    @Test
    void aCommittedFileNowShorterThanItsOffsetIsReportedTruncatedAtItsCommittedPosition() throws IOException {
        Path p = file("read\nmore\n");
        CollectorState.FileState fs = committed(p, 3, 10);
        fs.generationSeenMillis = 1_800_000_000_000L;
        Files.writeString(p, "new\n");
        fs.headLen = 0; // no fingerprint: the size alone tells
        positions.reset(state(fs), false);

        StartPositions.Start start = startOf(p, false);

        // the committed generation and position: its copy is looked for before the next generation begins
        assertThat(start.truncated()).isTrue();
        assertThat(start.generation()).isEqualTo(3);
        assertThat(start.offset()).isEqualTo(10);
        assertThat(start.generationSeenMillis()).isEqualTo(1_800_000_000_000L);
        assertThat(start.how()).contains("truncated since the last run");
    }

    @Test
    void otherContentAtACommittedInodeIsReportedTruncated() throws IOException {
        Path p = file("read\nmore\n");
        CollectorState.FileState fs = committed(p, 0, 5);
        Files.writeString(p, "other content, longer than before\n");
        positions.reset(state(fs), false);

        StartPositions.Start start = startOf(p, false);

        assertThat(start.truncated()).isTrue();
        assertThat(start.generation()).isZero();
        assertThat(start.offset()).isEqualTo(5);
        assertThat(start.how()).contains("first bytes changed");
    }

    @Test
    void aReleasedFileThatShowsUpAgainResumesWhereItWasLetGoAndAReusedInodeStartsANewGeneration() throws IOException {
        Path same = file("let go here\n");
        Path reused = file("let go here\n");
        CollectorState s = state();
        s.retired.add(retired(same, 2));
        s.retired.add(retired(reused, 2));
        Files.writeString(reused, "something else\n");
        positions.reset(s, false);

        StartPositions.Start again = startOf(same, false);
        StartPositions.Start other = startOf(reused, false);

        assertThat(again.generation()).isEqualTo(2);
        assertThat(again.offset()).isEqualTo(Files.size(same));
        assertThat(other.generation()).isEqualTo(3);
        assertThat(other.offset()).isZero();
    }

    @Test
    void releasedFilesAreRememberedForSevenDays() throws IOException {
        Path p = file("let go here\n");
        CollectorState s = state();
        CollectorState.Retired old = retired(p, 2);
        old.releasedAtMillis = System.currentTimeMillis() - Duration.ofDays(8).toMillis();
        s.retired.add(old);
        positions.reset(s, false);

        assertThat(positions.retired()).isEmpty();
        assertThat(startOf(p, false).generation()).isZero();
    }

    @Test
    void letGoFilesAreListedWithWhereTheyStoppedAndTheirHead() throws IOException {
        Path p = file("one\ntwo\n");
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
        TrackedFile f = new TrackedFile("/var/log/f.log", FileIdentity.stat(p).id(), SourceKind.CONTAINER, p, ch, 1, 8);
        positions.reset(null, false);

        positions.retire(f);
        f.close();

        assertThat(positions.retired()).singleElement().satisfies(r -> {
            assertThat(r.inode).isEqualTo(f.id.inode());
            assertThat(r.generation).isEqualTo(1);
            assertThat(r.offset).isEqualTo(8);
            assertThat(r.headLen).isEqualTo(8);
        });
        positions.reset(null, false);
        assertThat(positions.retired()).as("a reset forgets them").isEmpty();
    }

    @Test
    void aFirstStartFromTheTailSkipsToAfterTheLastNewlineForTheFirstDiscoveryOnly() throws IOException {
        Path p = file("old\nolder\nhalf a li");
        positions.reset(null, true);

        assertThat(startOf(p, true).offset())
                .as("opened on creation: new since the start")
                .isZero();
        assertThat(startOf(p, false).offset()).isEqualTo(10);
        positions.firstDiscoveryDone();
        assertThat(startOf(p, false).offset()).isZero();
    }

    @Test
    void fromTheTailAFileWithoutNewlineIsReadWholeWhenShortAndSkippedWhenLongerThanALine() throws IOException {
        Path shortOne = file("no newline");
        Path longOne = file("x\n" + "y".repeat(MAX_LINE + 4));
        Path empty = file("");
        positions.reset(null, true);

        assertThat(startOf(shortOne, false).offset()).isZero();
        assertThat(startOf(longOne, false).offset()).isEqualTo(Files.size(longOne));
        assertThat(startOf(empty, false).offset()).isZero();
    }

    private static CollectorState.Retired retired(Path p, int generation) throws IOException {
        CollectorState.FileState fs = committed(p, generation, Files.size(p));
        CollectorState.Retired r = new CollectorState.Retired();
        r.device = fs.device;
        r.inode = fs.inode;
        r.generation = generation;
        r.offset = fs.offset;
        r.headLen = fs.headLen;
        r.headCrc = fs.headCrc;
        r.releasedAtMillis = System.currentTimeMillis();
        return r;
    }
}
