package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoWorkDirTest {
    @TempDir
    Path tmp;

    private final CommandLine cmd = new CommandLine(new DemoCommand());

    @Test
    void aNewDirectoryIsMadeAndMarked() throws Exception {
        Path work = DemoWorkDir.prepare(tmp.resolve("a/b"), null, cmd);
        assertThat(work.resolve(DemoWorkDir.MARKER)).isRegularFile();
    }

    @Test
    void aDirectoryAnEarlierDemoMadeIsEmptied() throws Exception {
        Path work = DemoWorkDir.prepare(tmp.resolve("w"), null, cmd);
        Files.createDirectories(work.resolve("spool/demo"));
        Files.writeString(work.resolve("spool/demo/1.seg"), "x");
        DemoWorkDir.prepare(tmp.resolve("w"), null, cmd);
        assertThat(work)
                .isDirectoryNotContaining(p -> !p.getFileName().toString().equals(DemoWorkDir.MARKER));
    }

    @Test
    void resumeKeepsADirectoryAnEarlierDemoMadeAndRefusesAnyOther() throws Exception {
        Path work = DemoWorkDir.prepare(tmp.resolve("w"), null, cmd);
        Files.writeString(work.resolve("1.seg"), "kept");
        assertThat(DemoWorkDir.reuse(tmp.resolve("w"), cmd)).isEqualTo(work);
        assertThat(work.resolve("1.seg")).hasContent("kept");
        Path other = Files.createDirectories(tmp.resolve("other"));
        assertThatThrownBy(() -> DemoWorkDir.reuse(other, cmd))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--resume");
    }

    @Test
    void aDirectoryWithForeignFilesIsRefusedAndLeftAsItWas() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("w"));
        Files.writeString(work.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> DemoWorkDir.prepare(work, null, cmd))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--work-dir")
                .hasMessageContaining("did not make");
        assertThat(work.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void aWorkDirHoldingTheLogsIsRefusedEvenWhenAnEarlierDemoMadeIt() throws Exception {
        Path work = DemoWorkDir.prepare(tmp.resolve("w"), null, cmd);
        Path logs = Files.createDirectories(work.resolve("log/containers"));
        Files.writeString(logs.resolve("a.log"), "line\n");
        assertThatThrownBy(() -> DemoWorkDir.prepare(work, work.resolve("log"), cmd))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--work-dir")
                .hasMessageContaining("--logs");
        assertThat(logs.resolve("a.log")).hasContent("line\n");
    }

    @Test
    void aWorkDirInsideTheLogsIsRefused() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("log"));
        assertThatThrownBy(() -> DemoWorkDir.prepare(logs.resolve("work"), logs, cmd))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("overlap");
        assertThat(logs.resolve("work")).doesNotExist();
    }

    @Test
    void missingLogsAreRefused() {
        assertThatThrownBy(() -> DemoWorkDir.prepare(tmp.resolve("w"), tmp.resolve("nope"), cmd))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--logs")
                .hasMessageContaining("no such directory");
        assertThat(tmp.resolve("w")).doesNotExist();
    }

    @Test
    void aLinkInsideAMarkedWorkDirIsRemovedNotFollowed() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Path work = DemoWorkDir.prepare(tmp.resolve("w"), null, cmd);
        Files.createSymbolicLink(work.resolve("link"), outside);
        DemoWorkDir.prepare(tmp.resolve("w"), null, cmd);
        assertThat(outside.resolve("keep.txt")).hasContent("keep");
        assertThat(work.resolve("link")).doesNotExist();
    }
}
