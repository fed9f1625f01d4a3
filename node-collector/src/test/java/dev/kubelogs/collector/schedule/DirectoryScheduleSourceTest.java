package dev.kubelogs.collector.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory spool's schedule: the file at the spool root, as the job replaces it (temp file + rename). */
class DirectoryScheduleSourceTest {
    @TempDir
    Path spool;

    @Test
    void noFileIsNoSchedule() throws IOException {
        assertThat(new DirectoryScheduleSource(spool).read()).isNull();
    }

    @Test
    void readsTheFileAtTheSpoolRootAsTheJobReplacesIt() throws IOException {
        DirectoryScheduleSource source = new DirectoryScheduleSource(spool);
        replace(DiscoveryScheduleTest.EXAMPLE);
        assertThat(DiscoverySchedule.parse(source.read()).nextMillis()).isEqualTo(1796596298426L);
        replace(DiscoveryScheduleTest.EXAMPLE.replace("1796596298426", "1796596308426"));
        assertThat(DiscoverySchedule.parse(source.read()).nextMillis()).isEqualTo(1796596308426L);
        assertThat(source.where())
                .isEqualTo(spool.resolve("discovery-schedule.json").toString());
    }

    @Test
    void theNodeDirectoriesBesideItAreNotRead() throws IOException {
        Files.createDirectories(spool.resolve("c/n"));
        Files.writeString(spool.resolve("c/n/discovery-schedule.json"), DiscoveryScheduleTest.EXAMPLE);
        assertThat(new DirectoryScheduleSource(spool).read()).isNull();
    }

    private void replace(String json) throws IOException {
        Path tmp = Files.createTempFile(spool, ".discovery-schedule", ".tmp");
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        Files.move(tmp, spool.resolve(DiscoverySchedule.FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
    }
}
