package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirsTest {

    @Test
    void deletesATreeWithItsFiles(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("work");
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/file"), "x");
        Files.writeString(dir.resolve("top"), "y");

        Dirs.deleteRecursively(dir);

        assertThat(dir).doesNotExist();
        assertThat(tmp).exists();
    }

    @Test
    void aMissingDirectoryIsNothingToDo(@TempDir Path tmp) throws Exception {
        Dirs.deleteRecursively(tmp.resolve("absent"));

        assertThat(tmp.resolve("absent")).doesNotExist();
    }
}
