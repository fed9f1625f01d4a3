package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatedSiblingsTest {
    private static final long COMMITTED_LAST_WRITTEN = 1_800_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void rotatedNamesOfKubeletDockerAndLogrotate() {
        assertThat(RotatedSiblings.isRotatedName("0.log.20261203-141000", "0.log"))
                .isTrue();
        assertThat(RotatedSiblings.isRotatedName("0.log.20261203-141000.gz", "0.log"))
                .isTrue();
        assertThat(RotatedSiblings.isRotatedName("abc-json.log.1", "abc-json.log"))
                .isTrue();
        assertThat(RotatedSiblings.isRotatedName("messages-20261203", "messages"))
                .isTrue();
        assertThat(RotatedSiblings.isRotatedName("0.log", "0.log"))
                .as("the live file itself")
                .isFalse();
        assertThat(RotatedSiblings.isRotatedName("0.log.", "0.log")).isFalse();
        assertThat(RotatedSiblings.isRotatedName("10.log.20261203-141000", "0.log"))
                .isFalse();
        assertThat(RotatedSiblings.isRotatedName("0.logger", "0.log")).isFalse();
        assertThat(RotatedSiblings.isRotatedName("messages_old", "messages")).isFalse();
    }

    @Test
    void onlyRegularFilesModifiedSinceTheGivenMomentOldestFirstWithTheCompressedApart() throws IOException {
        file("0.log", 30_000);
        Path second = file("0.log.20270115-080020", 20_000);
        Path first = file("0.log.20270115-080010", 10_000);
        Path sameTick = file("0.log.20270115-080000", 0); // e.g. the committed file itself
        file("0.log.20270115-075900", -60_000);
        Path gz = file("0.log.20270115-080005.gz", 5_000);
        file("1.log.20270115-080010", 10_000);
        Files.createSymbolicLink(dir.resolve("0.log.20270115-080030"), second);
        Files.createDirectory(dir.resolve("0.log.d"));

        RotatedSiblings.Found found = RotatedSiblings.modifiedSince(dir, "0.log", COMMITTED_LAST_WRITTEN);

        assertThat(found.readable()).containsExactly(sameTick, first, second);
        assertThat(found.compressed()).containsExactly(gz);
    }

    private Path file(String name, long modifiedAfterCommitted) throws IOException {
        Path p = Files.writeString(dir.resolve(name), name + "\n");
        Files.setLastModifiedTime(p, FileTime.fromMillis(COMMITTED_LAST_WRITTEN + modifiedAfterCommitted));
        return p;
    }
}
