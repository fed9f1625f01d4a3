package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackedFileTest {
    private static final String LOGICAL = "/var/log/containers/a.log";

    @TempDir
    Path tmp;

    private TrackedFile tracked;

    @AfterEach
    void close() {
        if (tracked != null) {
            tracked.close();
        }
    }

    private TrackedFile open(Path file, int generation, long offset) throws IOException {
        FileIdentity id = FileIdentity.stat(file).id();
        tracked = new TrackedFile(
                LOGICAL,
                id,
                SourceKind.CONTAINER,
                file,
                FileChannel.open(file, StandardOpenOption.READ),
                generation,
                offset);
        return tracked;
    }

    private Path file(String content) throws IOException {
        return Files.writeString(tmp.resolve("0.log"), content, StandardCharsets.UTF_8);
    }

    private static long crc(byte[] b, int len) {
        CRC32 c = new CRC32();
        c.update(b, 0, len);
        return c.getValue();
    }

    @Test
    void itsReferenceNamesPathIdentityGenerationAndKind() throws IOException {
        Path p = file("x\n");
        FileIdentity id = FileIdentity.stat(p).id();
        TrackedFile f = open(p, 2, 1);

        assertThat(f.ref().path()).isEqualTo(LOGICAL);
        assertThat(f.ref().identity()).isEqualTo(id.device() + ":" + id.inode() + ":2");
        assertThat(f.ref().kind()).isEqualTo(SourceKind.CONTAINER);
        assertThat(f.offset()).isEqualTo(1);
        assertThat(f.rotated()).isFalse();
    }

    @Test
    void aNewGenerationStartsAtOffsetZeroWithoutTheOldFingerprintOrSegmentSlot() throws IOException {
        TrackedFile f = open(file("hello\n"), 0, 6);
        f.headRead("hello\n".getBytes(StandardCharsets.UTF_8), 6);
        f.byteBeforeOffset = '\n';
        f.segmentEpoch = 4;
        f.segmentFileId = 9;

        f.newGeneration();

        assertThat(f.generation).isEqualTo(1);
        assertThat(f.ref().generation()).isEqualTo(1);
        assertThat(f.offset()).isZero();
        assertThat(f.headLen).isZero();
        assertThat(f.headCrc).isZero();
        assertThat(f.byteBeforeOffset).isEqualTo(TrackedFile.UNKNOWN_BYTE);
        assertThat(f.segmentEpoch).isEqualTo(-1);
        assertThat(f.segmentFileId).isEqualTo(-1);
    }

    @Test
    void theHeadIsFingerprintedFromWhatWasConsumedUpToOneKibibyte() throws IOException {
        TrackedFile f = open(file("x"), 0, 0);
        byte[] b = new byte[4096];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }

        f.headRead(b, 10);
        assertThat(f.headLen).isEqualTo(10);
        assertThat(f.headCrc).isEqualTo(crc(b, 10));

        f.headRead(b, 5); // less than known: kept
        assertThat(f.headLen).isEqualTo(10);

        f.headRead(b, 4096);
        assertThat(f.headLen).isEqualTo(TrackedFile.HEAD_BYTES);
        assertThat(f.headCrc).isEqualTo(crc(b, TrackedFile.HEAD_BYTES));
    }

    @Test
    void theSameHeadIsUnchangedAndOtherContentAtTheInodeIsNot() throws IOException {
        Path p = file("first line\nsecond\n");
        TrackedFile f = open(p, 0, 18);
        f.headRead(Files.readAllBytes(p), 18);
        byte[] scratch = new byte[TrackedFile.HEAD_BYTES];

        assertThat(f.headUnchanged(scratch)).isTrue();

        // same length, other bytes, same inode (written in place)
        Files.writeString(p, "FIRST line\nsecond\n", StandardCharsets.UTF_8);
        assertThat(f.headUnchanged(scratch)).isFalse();
    }

    @Test
    void aFingerprintNotTakenAtTheFirstReadIsCompletedFromTheFile() throws IOException {
        Path p = file("0123456789abcdef\n");
        TrackedFile f = open(p, 0, 17); // a restart: read up to 17, nothing fingerprinted
        byte[] scratch = new byte[TrackedFile.HEAD_BYTES];

        assertThat(f.headUnchanged(scratch)).isTrue();

        assertThat(f.headLen).isEqualTo(17);
        assertThat(f.headCrc).isEqualTo(crc(Files.readAllBytes(p), 17));
    }

    @Test
    void aShortFingerprintIsExtendedOnlyIfWhatItCoversIsUnchanged() throws IOException {
        Path p = file("abcdef\nmore\n");
        TrackedFile f = open(p, 0, 12);
        f.headRead("abcdef\n".getBytes(StandardCharsets.UTF_8), 7);
        byte[] scratch = new byte[TrackedFile.HEAD_BYTES];

        Files.writeString(p, "zzzzzz\nmore\n", StandardCharsets.UTF_8);
        assertThat(f.headUnchanged(scratch)).isFalse();
        assertThat(f.headLen).isEqualTo(7);

        Files.writeString(p, "abcdef\nmore\n", StandardCharsets.UTF_8);
        assertThat(f.headUnchanged(scratch)).isTrue();
        assertThat(f.headLen).isEqualTo(12);
    }

    @Test
    void aFileShorterThanWhatWasReadHasChanged() throws IOException {
        Path p = file("abcdef\nmore\n");
        TrackedFile f = open(p, 0, 12);
        Files.writeString(p, "abc", StandardCharsets.UTF_8);

        assertThat(f.headUnchanged(new byte[TrackedFile.HEAD_BYTES])).isFalse();
        assertThat(TrackedFile.crcOfHead(f.channel, 12)).isEqualTo(-1);
    }

    @Test
    void updateHeadFingerprintsWhatWasConsumedAsTheOffsetGrows() throws IOException {
        byte[] content = new byte[2000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + i % 26);
        }
        Path p = Files.write(tmp.resolve("0.log"), content);
        TrackedFile f = open(p, 0, 100);

        f.updateHead();
        assertThat(f.headLen).isEqualTo(100);
        assertThat(f.headCrc).isEqualTo(crc(content, 100));

        f.offset = 2000;
        f.updateHead();
        assertThat(f.headLen).isEqualTo(TrackedFile.HEAD_BYTES);
        assertThat(f.headCrc).isEqualTo(crc(content, TrackedFile.HEAD_BYTES));
    }

    @Test
    void theFileItselfIsReadWhileNoCopyIs() throws IOException {
        Path p = file("twelve bytes");
        TrackedFile f = open(p, 0, 0);

        assertThat(f.readChannel()).isSameAs(f.channel);
        assertThat(f.readableSize()).isEqualTo(12);
        Files.writeString(p, "more", StandardOpenOption.APPEND);
        assertThat(f.readableSize()).isEqualTo(16);
    }

    @Test
    void closingClosesTheChannel() throws IOException {
        TrackedFile f = open(file("x"), 0, 0);
        f.close();
        assertThat(f.channel.isOpen()).isFalse();
        tracked = null;
    }

    @Test
    void itIsLocatedAtTheNameEachRotationGaveItAndNotAtANameAnotherFileTookOver() throws IOException {
        Path p = file("x\n");
        TrackedFile f = open(p, 0, 0);
        assertThat(f.locate()).isEqualTo(p);

        Path first = tmp.resolve("0.log.20261206-101500");
        Files.move(p, first);
        Files.writeString(p, "successor\n");
        assertThat(f.locate()).as("renamed by its rotation").isEqualTo(first);
        assertThat(f.locate()).as("still there").isEqualTo(first);

        Path second = tmp.resolve("0.log.20261206-101500.old");
        Files.move(first, second);
        assertThat(f.locate()).as("renamed again").isEqualTo(second);

        Files.delete(second);
        Files.writeString(second, "another file at its last name\n");
        assertThat(f.locate()).as("gone: another file has its last name").isNull();
    }
}
