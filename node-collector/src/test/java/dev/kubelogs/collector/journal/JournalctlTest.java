package dev.kubelogs.collector.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.Counter;
import dev.kubelogs.collector.testing.TestJournal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalctlTest {
    @TempDir
    Path tmp;

    private Journalctl journalctl(boolean hostLogs, String binary) {
        return new Journalctl(new JournalSettings(tmp.resolve("journal"), binary, false, hostLogs));
    }

    @Test
    void withoutHostLogsJournalctlIsAskedForTheDataplaneUnitsOnly() {
        assertThat(journalctl(false, "journalctl").follow("s=1", false))
                .contains("--merge", "--follow", "--after-cursor=s=1", "--no-tail")
                .endsWith(
                        "_SYSTEMD_UNIT=containerd.service",
                        "_SYSTEMD_UNIT=docker.service",
                        "_SYSTEMD_UNIT=kubelet.service");
        assertThat(journalctl(true, "journalctl").follow(null, false))
                .contains("--no-tail")
                .noneMatch(a -> a.startsWith("_SYSTEMD_UNIT="));
    }

    @Test
    void aFirstStartFromTheTailFollowsWithoutLinesAndReadingToTheEndDoesNotFollow() {
        Journalctl j = journalctl(true, "journalctl");
        assertThat(j.follow(null, true)).contains("--lines=0").doesNotContain("--no-tail");
        assertThat(j.follow("s=1", true))
                .as("a cursor wins")
                .contains("--after-cursor=s=1")
                .doesNotContain("--lines=0");
        assertThat(j.toEnd("s=1"))
                .contains("--merge", "--quiet", "--after-cursor=s=1")
                .doesNotContain("--follow");
    }

    @Test
    void withoutJournalctlTheTailCursorIsUnknown() {
        assertThat(journalctl(true, tmp.resolve("no-such-journalctl").toString())
                        .tailCursor())
                .isNull();
    }

    @Test
    void theTailCursorIsTheNewestEntrysAndEmptyForAnEmptyJournal() throws Exception {
        TestJournal.assumeTools();
        Journalctl j = journalctl(true, "journalctl");
        java.nio.file.Files.createDirectories(tmp.resolve("journal"));
        assertThat(j.tailCursor()).isEmpty();

        TestJournal journal = new TestJournal(tmp.resolve("export"));
        journal.write(
                tmp.resolve("journal"),
                journal.entry("first", "_SYSTEMD_UNIT=kubelet.service")
                        + journal.entry("second", "_SYSTEMD_UNIT=kubelet.service"));
        List<String> cursors = new ArrayList<>();
        Journalctl.Run run = Journalctl.start(j.toEnd(null));
        Journalctl.pump(
                run.process().getInputStream(),
                json -> cursors.add(JournalFilter.fields(json, true).cursor),
                () -> false,
                new Counter());
        run.process().waitFor();

        assertThat(cursors).hasSize(2);
        assertThat(j.tailCursor()).isEqualTo(cursors.get(1));
    }

    /**
     * journald orders an entry's fields by where their data sits in the journal file (a value seen before is an
     * older object): the spooled entry has that order, and a repeated field once per value.
     */
    @Test
    void entriesAreSpooledInTheJournalsFieldOrderWithRepeatedFields() throws Exception {
        TestJournal.assumeTools();
        Journalctl j = journalctl(true, "journalctl");
        TestJournal journal = new TestJournal(tmp.resolve("export"));
        journal.write(
                tmp.resolve("journal"),
                journal.entry("first", "_SYSTEMD_UNIT=kubelet.service")
                        + journal.entry("second", "FOO=a", "FOO=b", "_SYSTEMD_UNIT=kubelet.service"));
        List<String> entries = new ArrayList<>();
        Journalctl.Run run = Journalctl.start(j.toEnd(null));
        Journalctl.pump(
                run.process().getInputStream(),
                json -> entries.add(new String(json, java.nio.charset.StandardCharsets.UTF_8)),
                () -> false,
                new Counter());
        run.process().waitFor();

        assertThat(entries).hasSize(2);
        // _HOSTNAME and _SYSTEMD_UNIT were written with the first entry, MESSAGE=second and FOO are new
        assertThat(entries.get(1).replaceAll("\"__[A-Z_]+\":\"[^\"]*\",|\"_BOOT_ID\":\"[^\"]*\",", ""))
                .isEqualTo(
                        "{\"_HOSTNAME\":\"ip-10-0-0-1\",\"_SYSTEMD_UNIT\":\"kubelet.service\",\"MESSAGE\":\"second\","
                                + "\"FOO\":\"a\",\"FOO\":\"b\"}");
    }
}
