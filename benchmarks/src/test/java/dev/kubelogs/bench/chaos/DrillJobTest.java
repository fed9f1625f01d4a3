package dev.kubelogs.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillJobTest {
    @TempDir
    Path tmp;

    @Test
    void theJobReadsTheDrillsSpoolAndWritesToItsEndpoint() {
        assertThat(DrillJob.args(Path.of("/w/spool"), URI.create("http://127.0.0.1:4566"), 2))
                .containsExactly(
                        "--spool",
                        "/w/spool",
                        "--cloudwatch-endpoint",
                        "http://127.0.0.1:4566",
                        "--region",
                        "us-west-2",
                        "--metadata-wait",
                        "0s",
                        "--discovery-interval",
                        "1s",
                        "--parallelism",
                        "2");
    }

    @Test
    void theNewestCompleteSavepointOfTheJobIsTheOneToRestore() throws Exception {
        String job = "c429fcfc9c38ba3f4531856429592f0e";
        savepoint("savepoint-c429fc-000000000001", 1_000);
        Path newest = savepoint("savepoint-c429fc-000000000002", 2_000);
        Files.createDirectories(tmp.resolve("savepoint-c429fc-000000000003")); // still being written: no _metadata
        savepoint("savepoint-90bb8a-000000000004", 3_000); // another job's

        assertThat(DrillJob.newestSavepoint(tmp, job)).isEqualTo(newest.toUri().toString());
        assertThat(DrillJob.newestSavepoint(tmp, "ffffff00000000000000000000000000"))
                .isNull();
    }

    private Path savepoint(String name, long modified) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path metadata = Files.writeString(dir.resolve("_metadata"), "x");
        Files.setLastModifiedTime(metadata, FileTime.fromMillis(1_800_000_000_000L + modified));
        return dir;
    }
}
