package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.collector.journal.JournalReader;
import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.collector.testing.SpoolContents;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** journald collection from real journal files made by systemd-journal-remote from export-format text. */
class JournalCollectionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BOOT = "0123456789abcdef0123456789abcdef";
    static Path journalRemote;

    @TempDir
    Path tmp;
    long clock = 1_714_557_600_000_000L;

    @BeforeAll
    static void tools() throws Exception {
        boolean journalctl;
        try {
            Process p = new ProcessBuilder("journalctl", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            journalctl = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            journalctl = false;
        }
        assumeThat(journalctl).as("journalctl is not installed: the journald tests need it (Debian package systemd)").isTrue();
        for (String c : List.of("/lib/systemd/systemd-journal-remote", "/usr/lib/systemd/systemd-journal-remote")) {
            if (Files.isExecutable(Path.of(c))) {
                journalRemote = Path.of(c);
            }
        }
        assertThat(journalRemote).as("systemd-journal-remote is missing: apt-get install -y systemd-journal-remote").isNotNull();
    }

    /** One export-format entry. */
    String entry(String message, String... fields) {
        StringBuilder sb = new StringBuilder();
        clock += 1000;
        sb.append("__REALTIME_TIMESTAMP=").append(clock).append('\n');
        sb.append("__MONOTONIC_TIMESTAMP=").append(clock - 1_714_557_000_000_000L).append('\n');
        sb.append("_BOOT_ID=").append(BOOT).append('\n');
        sb.append("_HOSTNAME=ip-10-0-0-1\n");
        sb.append("MESSAGE=").append(message).append('\n');
        for (String f : fields) {
            sb.append(f).append('\n');
        }
        return sb.append('\n').toString();
    }

    /** A batch: for each i, one entry of each kind; returns the messages that the Container Insights filter keeps. */
    List<String> batch(StringBuilder export, int from, int to) {
        List<String> kept = new ArrayList<>();
        for (int i = from; i < to; i++) {
            export.append(entry("kernel " + i, "_TRANSPORT=kernel", "PRIORITY=6", "SYSLOG_FACILITY=0"));
            kept.add("kernel " + i);
            export.append(entry("daemon " + i, "_TRANSPORT=syslog", "PRIORITY=3", "SYSLOG_FACILITY=3", "SYSLOG_IDENTIFIER=foo"));
            kept.add("daemon " + i);
            export.append(entry("debug " + i, "_TRANSPORT=journal", "PRIORITY=7", "_SYSTEMD_UNIT=foo.service"));
            export.append(entry("sshd " + i, "_TRANSPORT=syslog", "PRIORITY=5", "SYSLOG_FACILITY=10", "SYSLOG_IDENTIFIER=sshd"));
            kept.add("sshd " + i);
            export.append(entry("kubelet " + i, "_TRANSPORT=stdout", "PRIORITY=7", "_SYSTEMD_UNIT=kubelet.service"));
            kept.add("kubelet " + i);
            export.append(entry("cron " + i, "_TRANSPORT=syslog", "PRIORITY=6", "SYSLOG_FACILITY=9"));
        }
        return kept;
    }

    void writeJournal(Path dir, String export) throws Exception {
        Files.createDirectories(dir);
        Path in = tmp.resolve("export-" + System.nanoTime() + ".txt");
        Files.writeString(in, export, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(journalRemote.toString(), "--output=" + dir.resolve("remote.journal"), in.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("systemd-journal-remote: %s", out).isZero();
    }

    CollectorConfig.Builder config(Path journalDir) throws IOException {
        return CollectorConfig.builder()
                .logRoot(new LogTree(tmp.resolve("log")).root)
                .spoolDir(tmp.resolve("spool"))
                .stateDir(tmp.resolve("state"))
                .cluster("c")
                .node("n")
                .hostLogs(HostLogsMode.JOURNALD)
                .journalDir(journalDir)
                .journalReadFromTail(false)
                .maxSegmentAge(Duration.ofMillis(100))
                .pollInterval(Duration.ofMillis(50));
    }

    static List<String> messages(SpoolContents s) throws IOException {
        List<String> out = new ArrayList<>();
        for (LineEntry l : s.lines) {
            assertThat(l.file().kind()).isEqualTo(SourceKind.JOURNAL);
            JsonNode n = JSON.readTree(l.bytes());
            assertThat(n.path("__CURSOR").asText()).isNotEmpty();
            out.add(n.path("MESSAGE").asText());
        }
        return out;
    }

    @Test
    void readsFiltersAndResumesAfterTheCommittedCursor() throws Exception {
        Path jdir = tmp.resolve("journal");
        StringBuilder export = new StringBuilder();
        List<String> kept = batch(export, 0, 20);
        writeJournal(jdir, export.toString());

        NodeCollector c1 = new NodeCollector(config(jdir).build());
        c1.start();
        Await.until("first batch", Duration.ofSeconds(20), () -> c1.stats().linesRead() == kept.size(), () -> c1.stats().toString());
        // followed while running
        StringBuilder more = new StringBuilder();
        kept.addAll(batch(more, 20, 25));
        writeJournal(jdir, more.toString());
        Await.until("followed entries", Duration.ofSeconds(20), () -> c1.stats().linesRead() == kept.size(), () -> c1.stats().toString());
        c1.close();
        assertThat(c1.metrics().journalSkipped.get()).isEqualTo(25 * 2);

        // written while the collector is down
        StringBuilder down = new StringBuilder();
        kept.addAll(batch(down, 25, 30));
        writeJournal(jdir, down.toString());

        NodeCollector c2 = new NodeCollector(config(jdir).journalReadFromTail(true).build());
        c2.start();
        Await.until("entries written while down", Duration.ofSeconds(20), () -> c2.stats().linesRead() == 5 * 4,
                () -> c2.stats().toString());
        c2.drainAndSeal();

        SpoolContents s = SpoolContents.read(c2.nodeSpoolDirectory());
        assertThat(messages(s)).containsExactlyElementsOf(kept);
        List<Long> offsets = s.lines.stream().map(LineEntry::offset).toList();
        for (int i = 0; i < offsets.size(); i++) {
            assertThat(offsets.get(i)).isEqualTo(i);
        }
        assertThat(s.lines.get(0).file().path()).isEqualTo("journal");
        assertThat(s.lines.get(0).file().inode()).isEqualTo(JournalReader.inodeFor(jdir));
    }

    @Test
    void readTailOnFirstStartSkipsWhatIsAlreadyInTheJournal() throws Exception {
        Path jdir = tmp.resolve("journal");
        StringBuilder export = new StringBuilder();
        batch(export, 0, 10);
        writeJournal(jdir, export.toString());
        NodeCollector c = new NodeCollector(config(jdir).journalReadFromTail(true).build());
        c.start();
        // journalctl is positioned once it runs; entries appended after that are read
        Await.until("journalctl running", Duration.ofSeconds(20), () -> processRunning("journalctl"));
        StringBuilder more = new StringBuilder();
        List<String> kept = batch(more, 10, 12);
        writeJournal(jdir, more.toString());
        Await.until("new entries", Duration.ofSeconds(20), () -> c.stats().linesRead() == kept.size(), () -> c.stats().toString());
        c.drainAndSeal();
        assertThat(messages(SpoolContents.read(c.nodeSpoolDirectory()))).containsExactlyElementsOf(kept);
    }

    static boolean processRunning(String name) {
        return ProcessHandle.current().descendants()
                .anyMatch(p -> p.info().command().map(cmd -> cmd.endsWith("/" + name)).orElse(false));
    }

    @Test
    void missingJournalctlIsReportedAndFilesKeepFlowing() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log2"));
        LogTree.append(tree.root.resolve("messages"), "still collected\n");
        NodeCollector c = new NodeCollector(config(tmp.resolve("journal")).logRoot(tree.root).hostLogs(HostLogsMode.JOURNALD)
                .hostFiles(List.of()).includeGlobs(List.of("messages")).readFromHead(true)
                .journalctl(tmp.resolve("no-such-journalctl").toString()).build());
        c.start();
        Await.until("journal error counted", Duration.ofSeconds(10), () -> c.metrics().errors("journal") >= 1);
        Await.until("host file line", Duration.ofSeconds(10), () -> c.stats().linesRead() == 1);
        c.close();
    }
}
