package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which of the files beside a truncated one is the copy of its generation. */
class GenerationCopyTest {
    private static final String GENERATION = "Dec  4 03:10:01 host first line\nsecond line\nthird line\n";

    @TempDir
    Path dir;

    private TrackedFile file;
    private GenerationCopy copy;

    @AfterEach
    void close() {
        if (copy != null) {
            copy.close();
        }
        if (file != null) {
            file.close();
        }
    }

    /** {@code messages} read up to {@code offset} of {@link #GENERATION}, then truncated in place. */
    private TrackedFile readThenTruncated(long offset) throws IOException {
        Path live = Files.writeString(dir.resolve("messages"), GENERATION);
        FileChannel ch = FileChannel.open(live, StandardOpenOption.READ);
        file = new TrackedFile(
                "/var/log/messages", FileIdentity.stat(live).id(), SourceKind.HOST_FILE, live, ch, 0, offset);
        byte[] read = GENERATION.getBytes(StandardCharsets.UTF_8);
        file.headRead(read, (int) offset);
        try (FileChannel w = FileChannel.open(live, StandardOpenOption.WRITE)) {
            w.truncate(0);
        }
        return file;
    }

    private Path sibling(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void theLongestReadableSiblingThatBeginsWithTheGenerationAndHoldsWhatWasReadIsTheCopy() throws IOException {
        TrackedFile f = readThenTruncated(32);
        sibling("messages.1", "Dec  3 03:10:01 host an older generation, long enough\n");
        sibling("messages.2", GENERATION.substring(0, 20));
        Path shorterCopy = sibling("messages.3", GENERATION.substring(0, 44));
        Path theCopy = sibling("messages-20261204", GENERATION + "written before the copy\n");
        Path older = sibling("messages-20261203", GENERATION + "written before the copy, and more\n");
        Files.setLastModifiedTime(
                older,
                FileTime.fromMillis(f.generationSeenMillis
                        - GenerationCopy.CLOCK_SLACK_MILLIS
                        - Duration.ofHours(1).toMillis()));
        sibling("messages.4.gz", "compressed");

        GenerationCopy.Search search = GenerationCopy.find(f);
        copy = search.copy();

        assertThat(copy.path).isEqualTo(theCopy);
        assertThat(copy.end).isEqualTo(Files.size(theCopy));
        assertThat(copy.channel.isOpen()).isTrue();
        assertThat(search.looked())
                .contains(
                        "messages.1: other content",
                        "messages.2: shorter (20) than what was read",
                        shorterCopy.getFileName() + ": a shorter copy",
                        "messages.4.gz: compressed")
                .doesNotContain("messages-20261203");
    }

    @Test
    void onlyCompressedOrOtherSiblingsAreNoCopy() throws IOException {
        TrackedFile f = readThenTruncated(32);
        sibling("messages.1", "something else entirely, and long\n");
        sibling("messages.1.gz", GENERATION);

        GenerationCopy.Search search = GenerationCopy.find(f);

        assertThat(search.copy()).isNull();
        assertThat(search.looked()).contains("messages.1: other content", "messages.1.gz: compressed");
    }

    @Test
    void withoutFirstBytesReadNoCopyCanBeToldApart() throws IOException {
        TrackedFile f = readThenTruncated(0);
        sibling("messages.1", GENERATION);

        assertThat(GenerationCopy.find(f).copy()).isNull();
    }

    @Test
    void nothingBesideTheFileIsSaidSo() throws IOException {
        TrackedFile f = readThenTruncated(32);

        GenerationCopy.Search search = GenerationCopy.find(f);

        assertThat(search.copy()).isNull();
        assertThat(search.looked()).isEqualTo("no rotated file beside it");
    }
}
