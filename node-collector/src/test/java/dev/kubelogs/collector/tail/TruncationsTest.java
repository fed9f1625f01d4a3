package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a truncation does to the file's generation and the counters, with and without a copy beside it. */
class TruncationsTest {
    private static final String GENERATION = "first line\nsecond line\n";

    @TempDir
    Path dir;

    private final CollectorMetrics metrics = new CollectorMetrics();
    private final Truncations truncations = new Truncations(metrics);
    private TrackedFile file;

    @AfterEach
    void close() {
        if (file != null) {
            file.close();
        }
    }

    /** {@code messages} read up to its first line, then truncated in place. */
    private TrackedFile readFirstLineThenTruncated() throws IOException {
        Path live = Files.writeString(dir.resolve("messages"), GENERATION);
        FileChannel ch = FileChannel.open(live, StandardOpenOption.READ);
        file = new TrackedFile(
                "/var/log/messages", FileIdentity.stat(live).id(), SourceKind.HOST_FILE, live, ch, 3, 11);
        byte[] read = GENERATION.getBytes(StandardCharsets.UTF_8);
        file.headRead(read, 11);
        try (FileChannel w = FileChannel.open(live, StandardOpenOption.WRITE)) {
            w.truncate(0);
        }
        return file;
    }

    @Test
    void withACopyTheGenerationGoesOnFromItAndEndsWhereItEnds() throws IOException {
        TrackedFile f = readFirstLineThenTruncated();
        Files.writeString(dir.resolve("messages.1"), GENERATION + "third line\n");

        truncations.truncated(f, 23, "size 0 < offset 11");

        assertThat(f.copy).isNotNull();
        assertThat(f.copy.end).isEqualTo(34);
        assertThat(f.generation).as("the rest is the same generation").isEqualTo(3);
        assertThat(f.offset).isEqualTo(11);
        assertThat(metrics.truncations.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedTailsRecovered.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedBytesLost.get()).isZero();

        FileChannel copyChannel = f.copy.channel;
        f.offset = 34;
        truncations.readFromCopy(23);
        truncations.copyRead(f);

        assertThat(f.copy).isNull();
        assertThat(copyChannel.isOpen()).isFalse();
        assertThat(f.generation).isEqualTo(4);
        assertThat(f.offset).isZero();
        assertThat(f.headLen)
                .as("the next generation's first bytes are not read yet")
                .isZero();
        assertThat(metrics.truncatedBytesRecovered.get()).isEqualTo(23.0);
    }

    @Test
    void withoutACopyTheNextGenerationBeginsAndWhatWasSeenUnreadIsCountedLost() throws IOException {
        TrackedFile f = readFirstLineThenTruncated();

        truncations.truncated(f, 23, "size 0 < offset 11");

        assertThat(f.copy).isNull();
        assertThat(f.generation).isEqualTo(4);
        assertThat(f.offset).isZero();
        assertThat(metrics.truncatedTailsLost.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedBytesLost.get()).isEqualTo(12.0);
        assertThat(metrics.truncatedTailsRecovered.get()).isZero();
    }

    @Test
    void aCopyEndingWhereTheReadEndedLeavesNothingToRecoverOrLose() throws IOException {
        TrackedFile f = readFirstLineThenTruncated();
        Files.writeString(dir.resolve("messages.1"), GENERATION.substring(0, 11));

        truncations.truncated(f, 11, "size 0 < offset 11");

        assertThat(f.copy).isNull();
        assertThat(f.generation).isEqualTo(4);
        assertThat(metrics.truncations.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedTailsRecovered.get()).isZero();
        assertThat(metrics.truncatedTailsLost.get()).isZero();
    }

    @Test
    void bytesSeenInTheFileButMissingFromItsCopyAndACopyEndingEarlyAreCountedLost() throws IOException {
        TrackedFile f = readFirstLineThenTruncated();
        Files.writeString(dir.resolve("messages.1"), GENERATION);

        // written after the copy and before the truncation: seen, in no copy
        truncations.truncated(f, 30, "size 0 < offset 11");

        assertThat(metrics.truncatedBytesLost.get()).isEqualTo(7.0);
        truncations.copyEndedEarly(f, 20, "it is shorter than when it was found");
        assertThat(f.copy.end).isEqualTo(20);
        assertThat(metrics.truncatedBytesLost.get()).isEqualTo(10.0);
    }
}
