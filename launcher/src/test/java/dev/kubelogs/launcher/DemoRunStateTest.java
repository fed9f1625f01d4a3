package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoRunStateTest {
    @TempDir
    Path tmp;

    private final CommandLine cmd = new CommandLine(new DemoCommand());

    @Test
    void savedCountsAndTheDeliveredFlagComeBack() throws Exception {
        DemoRunState.save(tmp, Map.of(SampleNode.Destination.values()[0], 42L), false);
        DemoRunState.Saved saved = DemoRunState.load(tmp, cmd);
        assertThat(saved.written()).containsExactly(Map.entry(SampleNode.Destination.values()[0], 42L));
        assertThat(saved.delivered()).isFalse();
        DemoRunState.save(tmp, saved.written(), true);
        assertThat(DemoRunState.load(tmp, cmd).delivered()).isTrue();
    }

    @Test
    void resumingARunThatNeverSealedItsSpoolIsAClearError() {
        assertThatThrownBy(() -> DemoRunState.load(tmp, cmd))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--resume")
                .hasMessageContaining("without --resume");
    }

    @Test
    void theNewestCompletedCheckpointIsChosen() throws Exception {
        assertThat(DemoRunState.latestCheckpoint(tmp.resolve("checkpoints"))).isEmpty();
        Path older = checkpoint("job-a/chk-7", 1_000);
        Path newer = checkpoint("job-b/chk-2", 2_000);
        Files.createDirectories(tmp.resolve("checkpoints/job-b/chk-3")); // in progress: no _metadata yet
        assertThat(DemoRunState.latestCheckpoint(tmp.resolve("checkpoints"))).contains(newer);
        assertThat(older).isNotEqualTo(newer);
    }

    private Path checkpoint(String dir, long modifiedMillis) throws Exception {
        Path chk = Files.createDirectories(tmp.resolve("checkpoints").resolve(dir));
        Path metadata = Files.writeString(chk.resolve("_metadata"), "x");
        Files.setLastModifiedTime(metadata, FileTime.fromMillis(modifiedMillis));
        return chk;
    }
}
