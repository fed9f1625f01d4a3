package dev.kubelogs.collector.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.CapturedLog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node without a journal directory is reported once per disappearance, not at every look. */
class JournalPresenceTest {
    @TempDir
    Path root;

    private final CollectorMetrics metrics = new CollectorMetrics();

    private JournalPresence presence(Path dir, boolean hostLogs) {
        return new JournalPresence(new JournalSettings(dir, "journalctl", false, hostLogs), metrics, 30_000);
    }

    @Test
    void aPresentJournalIsNotReported() throws Exception {
        Path dir = Files.createDirectories(root.resolve("journal"));
        try (CapturedLog log = new CapturedLog(JournalPresence.class)) {
            assertThat(presence(dir, false).check()).isTrue();
            assertThat(log.warnings()).isEmpty();
        }
        assertThat(metrics.errors("journal_missing")).isZero();
    }

    @Test
    void aMissingJournalIsCountedAndLoggedOnceWhileItStaysMissing() {
        Path dir = root.resolve("journal");
        JournalPresence presence = presence(dir, true);
        try (CapturedLog log = new CapturedLog(JournalPresence.class)) {
            assertThat(presence.check()).isFalse();
            assertThat(presence.check()).isFalse();
            assertThat(presence.check()).isFalse();

            assertThat(log.warnings())
                    .singleElement()
                    .asString()
                    .contains("no journal at " + dir)
                    .contains("kubelet.service")
                    .contains(" and the host logs")
                    .contains("every 30 s");
        }
        assertThat(metrics.errors("journal_missing")).isEqualTo(1);
    }

    @Test
    void withoutHostLogsTheMessageNamesOnlyTheDataplaneUnits() {
        try (CapturedLog log = new CapturedLog(JournalPresence.class)) {
            presence(root.resolve("journal"), false).check();
            assertThat(log.warnings()).singleElement().asString().doesNotContain("host logs");
        }
    }

    @Test
    void aJournalThatComesBackAndGoesAgainIsReportedAgain() throws Exception {
        Path dir = root.resolve("journal");
        JournalPresence presence = presence(dir, false);

        assertThat(presence.check()).isFalse();
        Files.createDirectories(dir);
        assertThat(presence.present()).isTrue();
        assertThat(presence.check()).isTrue();
        assertThat(metrics.errors("journal_missing")).isEqualTo(1);

        Files.delete(dir);
        assertThat(presence.check()).isFalse();
        assertThat(presence.check()).isFalse();
        assertThat(metrics.errors("journal_missing")).isEqualTo(2);
    }

    @Test
    void presentReportsNothing() {
        JournalPresence presence = presence(root.resolve("journal"), false);

        assertThat(presence.present()).isFalse();
        assertThat(presence.present()).isFalse();
        assertThat(metrics.errors("journal_missing")).isZero();
        assertThat(presence.check()).as("the first check still reports").isFalse();
        assertThat(metrics.errors("journal_missing")).isEqualTo(1);
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsMissingToo() throws Exception {
        Path file = Files.writeString(root.resolve("journal"), "not a directory");

        assertThat(presence(file, false).check()).isFalse();
        assertThat(metrics.errors("journal_missing")).isEqualTo(1);
    }
}
