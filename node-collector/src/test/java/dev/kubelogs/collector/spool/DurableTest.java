package dev.kubelogs.collector.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableTest {
    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private long filesIn(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void writeAtomicallyCreatesTheFileAndLeavesNoTempFile() throws Exception {
        Path target = dir.resolve("state.json");

        Durable.writeAtomically(target, utf8("{\"v\":1}"));

        assertThat(target).hasContent("{\"v\":1}");
        assertThat(filesIn(dir)).isEqualTo(1);
    }

    @Test
    void writeAtomicallyReplacesALongerFileWhole() throws Exception {
        Path target = dir.resolve("state.json");
        Durable.writeAtomically(target, utf8("a much longer first version"));

        Durable.writeAtomically(target, utf8("short"));

        assertThat(target).hasContent("short");
        assertThat(filesIn(dir)).isEqualTo(1);
    }

    @Test
    void aTempFileLeftByACrashIsOverwritten() throws Exception {
        Path target = dir.resolve("state.json");
        Files.writeString(dir.resolve(".state.json.tmp"), "half-written leftover from before a crash, longer");

        Durable.writeAtomically(target, utf8("new"));

        assertThat(target).hasContent("new");
        assertThat(dir.resolve(".state.json.tmp")).doesNotExist();
    }

    @Test
    void aRelativeTargetIsWrittenInItsDirectory() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("rel.bin"));

        Durable.writeAtomically(relative, new byte[] {0, 1, 2});

        assertThat(Files.readAllBytes(dir.resolve("rel.bin"))).containsExactly(0, 1, 2);
    }

    @Test
    void moveAtomicallyReplacesTheTarget() throws Exception {
        Path from = Files.writeString(dir.resolve("segment.tmp"), "new");
        Path to = Files.writeString(dir.resolve("segment"), "old");

        Durable.moveAtomically(from, to);

        assertThat(to).hasContent("new");
        assertThat(from).doesNotExist();
    }

    @Test
    void writingIntoAMissingDirectoryFails() {
        assertThatThrownBy(() -> Durable.writeAtomically(dir.resolve("missing/state.json"), utf8("x")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void fsyncDirectoryNeedsAnExistingDirectory() throws Exception {
        Durable.fsyncDirectory(dir);
        assertThatThrownBy(() -> Durable.fsyncDirectory(dir.resolve("missing"))).isInstanceOf(IOException.class);
    }
}
