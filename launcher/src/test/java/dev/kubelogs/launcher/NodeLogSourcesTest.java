package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.collector.HostLogsMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLogSourcesTest {
    private static final String MACHINE = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path logs;

    private Path journalIn(Path dir) throws IOException {
        Files.createDirectories(dir.resolve(MACHINE));
        Files.createFile(dir.resolve(MACHINE).resolve("system.journal"));
        return dir;
    }

    @Test
    void hostFilesAndTheJournalBesideThem() throws IOException {
        Files.writeString(logs.resolve("messages"), "x\n");
        Path journal = journalIn(logs.resolve("journal"));
        NodeLogSources s = NodeLogSources.of(logs, null);
        assertThat(s.journalDir()).isEqualTo(journal);
        assertThat(s.hostLogs()).isEqualTo(HostLogsMode.FILES);
        assertThat(s.summary())
                .containsExactly(
                        "Host logs from files: messages in " + logs,
                        "Dataplane logs: docker, containerd and kubelet.service from the journal at " + journal
                                + "; aws-node and kube-proxy from " + logs.resolve("containers"));
    }

    @Test
    void aTarballOfVarLogTakenFromVarHasItsJournalUnderLog() throws IOException {
        Files.createDirectories(logs.resolve("journal")); // present but empty: not a journal
        Path journal = journalIn(logs.resolve("log/journal"));
        assertThat(NodeLogSources.of(logs, null).journalDir()).isEqualTo(journal);
    }

    @Test
    void withoutHostFilesHostLogsComeFromTheJournalAsTheShippedDaemonSetReadsThem() throws IOException {
        Path journal = journalIn(logs.resolve("journal"));
        NodeLogSources s = NodeLogSources.of(logs, null);
        assertThat(s.hostLogs()).isEqualTo(HostLogsMode.JOURNALD);
        assertThat(s.summary().get(0))
                .isEqualTo(
                        "Host logs from the journal at " + journal + " (no messages, secure or dmesg in " + logs + ")");
    }

    @Test
    void noJournalIsSaidAndAnExplicitDirectoryWithoutOneIsAnError() throws IOException {
        Files.writeString(logs.resolve("secure"), "x\n");
        NodeLogSources s = NodeLogSources.of(logs, null);
        assertThat(s.journalDir()).isNull();
        assertThat(s.summary().get(1))
                .startsWith("Dataplane logs: aws-node and kube-proxy from " + logs.resolve("containers")
                        + " only; no journal at " + logs.resolve("journal"));
        assertThatThrownBy(() -> NodeLogSources.of(logs, logs.resolve("elsewhere")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--journal-dir");
        Path elsewhere = journalIn(logs.resolve("elsewhere"));
        assertThat(NodeLogSources.of(logs, elsewhere).journalDir()).isEqualTo(elsewhere);
    }
}
