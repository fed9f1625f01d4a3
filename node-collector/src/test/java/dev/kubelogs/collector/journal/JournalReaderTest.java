package dev.kubelogs.collector.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.collector.CollectorConfig;
import dev.kubelogs.collector.HostLogsMode;
import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.TestJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalReaderTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeAll
    static void tools() {
        TestJournal.assumeTools();
    }

    private JournalSettings config(HostLogsMode hostLogs, Path journalDir) {
        return CollectorConfig.builder()
                .logRoot(tmp)
                .spoolDir(tmp)
                .stateDir(tmp)
                .cluster("c")
                .node("n")
                .hostLogs(hostLogs)
                .journalDir(journalDir)
                .build()
                .journal();
    }

    private static String message(JournalReader.Entry e) {
        try {
            return JSON.readTree(e.json()).path("MESSAGE").asText();
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void aJournalThatAppearsLaterIsReadFromItsHeadEvenWithReadTail() throws Exception {
        Path jdir = tmp.resolve("journal");
        CollectorMetrics metrics = new CollectorMetrics();
        List<String> read = new ArrayList<>();
        try (JournalReader reader =
                new JournalReader(config(HostLogsMode.FILES, jdir), metrics, null, true, () -> {}, 50)) {
            reader.start();
            Await.until(
                    "missing journal reported", Duration.ofSeconds(10), () -> metrics.errors("journal_missing") == 1);
            TestJournal journal = new TestJournal(tmp.resolve("export"));
            journal.write(
                    jdir,
                    journal.entry("first", "_SYSTEMD_UNIT=kubelet.service")
                            + journal.entry("second", "_SYSTEMD_UNIT=kubelet.service"));
            Await.until(
                    "entries of the new journal",
                    Duration.ofSeconds(20),
                    () -> {
                        JournalReader.Entry e;
                        while ((e = reader.poll()) != null) {
                            read.add(message(e));
                        }
                        return read.size() >= 2;
                    },
                    read::toString);
        }
        assertThat(read).containsExactly("first", "second");
        assertThat(metrics.errors("journal_missing")).isEqualTo(1);
    }

    @Test
    void theJournalsRecordsNameWhetherTheHostStreamsComeFromIt() {
        assertThat(JournalReader.sourcePath(HostLogsMode.NONE)).isEqualTo("journal:dataplane");
        assertThat(JournalReader.sourcePath(HostLogsMode.FILES)).isEqualTo("journal:dataplane");
        assertThat(JournalReader.sourcePath(HostLogsMode.JOURNALD)).isEqualTo("journal");
    }
}
