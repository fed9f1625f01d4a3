package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.collector.journal.JournalReader;
import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.collector.testing.SpoolContents;
import dev.kubelogs.collector.testing.TestJournal;
import dev.kubelogs.spool.JournalSources;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** journald collection from real journal files made by systemd-journal-remote from export-format text. */
class JournalCollectionTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    TestJournal journal;

    @BeforeAll
    static void tools() {
        TestJournal.assumeTools();
    }

    @BeforeEach
    void journal() {
        journal = new TestJournal(tmp.resolve("export"));
    }

    String entry(String message, String... fields) {
        return journal.entry(message, fields);
    }

    /** A batch: for each i, one entry of each kind; returns the messages that the Container Insights filter keeps. */
    List<String> batch(StringBuilder export, int from, int to) {
        List<String> kept = new ArrayList<>();
        for (int i = from; i < to; i++) {
            export.append(entry("kernel " + i, "_TRANSPORT=kernel", "PRIORITY=6", "SYSLOG_FACILITY=0"));
            kept.add("kernel " + i);
            export.append(entry(
                    "daemon " + i, "_TRANSPORT=syslog", "PRIORITY=3", "SYSLOG_FACILITY=3", "SYSLOG_IDENTIFIER=foo"));
            kept.add("daemon " + i);
            export.append(entry("debug " + i, "_TRANSPORT=journal", "PRIORITY=7", "_SYSTEMD_UNIT=foo.service"));
            export.append(entry(
                    "sshd " + i, "_TRANSPORT=syslog", "PRIORITY=5", "SYSLOG_FACILITY=10", "SYSLOG_IDENTIFIER=sshd"));
            kept.add("sshd " + i);
            export.append(entry("kubelet " + i, "_TRANSPORT=stdout", "PRIORITY=7", "_SYSTEMD_UNIT=kubelet.service"));
            kept.add("kubelet " + i);
            export.append(entry("cron " + i, "_TRANSPORT=syslog", "PRIORITY=6", "SYSLOG_FACILITY=9"));
        }
        return kept;
    }

    void writeJournal(Path dir, String export) throws Exception {
        journal.write(dir, export);
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
        Await.until(
                "first batch",
                Duration.ofSeconds(20),
                () -> c1.stats().linesRead() == kept.size(),
                () -> c1.stats().toString());
        // followed while running
        StringBuilder more = new StringBuilder();
        kept.addAll(batch(more, 20, 25));
        writeJournal(jdir, more.toString());
        Await.until(
                "followed entries",
                Duration.ofSeconds(20),
                () -> c1.stats().linesRead() == kept.size(),
                () -> c1.stats().toString());
        c1.close();
        assertThat(c1.metrics().journalSkipped.get()).isEqualTo(25 * 2);

        // written while the collector is down
        StringBuilder down = new StringBuilder();
        kept.addAll(batch(down, 25, 30));
        writeJournal(jdir, down.toString());

        NodeCollector c2 =
                new NodeCollector(config(jdir).journalReadFromTail(true).build());
        c2.start();
        Await.until(
                "entries written while down",
                Duration.ofSeconds(20),
                () -> c2.stats().linesRead() == 5 * 4,
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
        NodeCollector c =
                new NodeCollector(config(jdir).journalReadFromTail(true).build());
        c.start();
        // journalctl is positioned once it runs; entries appended after that are read
        Await.until("journalctl running", Duration.ofSeconds(20), () -> processRunning("journalctl"));
        StringBuilder more = new StringBuilder();
        List<String> kept = batch(more, 10, 12);
        writeJournal(jdir, more.toString());
        Await.until(
                "new entries",
                Duration.ofSeconds(20),
                () -> c.stats().linesRead() == kept.size(),
                () -> c.stats().toString());
        c.drainAndSeal();
        assertThat(messages(SpoolContents.read(c.nodeSpoolDirectory()))).containsExactlyElementsOf(kept);
    }

    static boolean processRunning(String name) {
        return ProcessHandle.current()
                .descendants()
                .anyMatch(p ->
                        p.info().command().map(cmd -> cmd.endsWith("/" + name)).orElse(false));
    }

    @Test
    void missingJournalctlIsReportedAndFilesKeepFlowing() throws Exception {
        Files.createDirectories(tmp.resolve("journal"));
        LogTree tree = new LogTree(tmp.resolve("log2"));
        LogTree.append(tree.root.resolve("messages"), "still collected\n");
        NodeCollector c = new NodeCollector(config(tmp.resolve("journal"))
                .logRoot(tree.root)
                .hostLogs(HostLogsMode.JOURNALD)
                .hostFiles(List.of())
                .includeGlobs(List.of("messages"))
                .readFromHead(true)
                .journalctl(tmp.resolve("no-such-journalctl").toString())
                .build());
        c.start();
        Await.until(
                "journal error counted",
                Duration.ofSeconds(10),
                () -> c.metrics().errors("journal") >= 1);
        Await.until("host file line", Duration.ofSeconds(10), () -> c.stats().linesRead() == 1);
        c.close();
    }

    /** Dataplane-unit entries (kubelet, containerd, docker) among host-category ones; returns the dataplane ones. */
    List<String> dataplaneBatch(StringBuilder export, int from, int to) {
        List<String> dataplane = new ArrayList<>();
        for (int i = from; i < to; i++) {
            export.append(entry(
                    "kubelet " + i,
                    "_TRANSPORT=stdout",
                    "PRIORITY=6",
                    "SYSLOG_FACILITY=3",
                    "_SYSTEMD_UNIT=kubelet.service"));
            dataplane.add("kubelet " + i);
            export.append(entry(
                    "sshd " + i,
                    "_TRANSPORT=syslog",
                    "PRIORITY=5",
                    "SYSLOG_FACILITY=10",
                    "_SYSTEMD_UNIT=sshd.service"));
            export.append(
                    entry("containerd " + i, "_TRANSPORT=stdout", "PRIORITY=6", "_SYSTEMD_UNIT=containerd.service"));
            dataplane.add("containerd " + i);
            export.append(entry("kernel " + i, "_TRANSPORT=kernel", "PRIORITY=6", "SYSLOG_FACILITY=0"));
            if (i % 5 == 0) {
                export.append(entry("docker " + i, "_TRANSPORT=stdout", "PRIORITY=3", "_SYSTEMD_UNIT=docker.service"));
                dataplane.add("docker " + i);
            }
        }
        return dataplane;
    }

    static void appendHostLines(Path root, List<String> written, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            for (String file : List.of("messages", "secure", "dmesg")) {
                String line = file + " line " + i;
                LogTree.append(root.resolve(file), line + "\n");
                written.add(line);
            }
        }
    }

    static List<String> hostFileTexts(SpoolContents s) {
        List<String> out = new ArrayList<>();
        for (LineEntry l : s.lines) {
            if (l.file().kind() == SourceKind.HOST_FILE) {
                out.add(new String(l.bytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void hostLogsFromFilesAndTheDataplaneUnitsFromTheJournalEachOnceThroughARestart() throws Exception {
        Path jdir = tmp.resolve("journal");
        LogTree tree = new LogTree(tmp.resolve("log"));
        List<String> host = new ArrayList<>();
        appendHostLines(tree.root, host, 0, 10);
        StringBuilder export = new StringBuilder();
        List<String> dataplane = dataplaneBatch(export, 0, 10);
        writeJournal(jdir, export.toString());
        CollectorConfig files = tree.collectorConfig(tmp)
                .hostLogs(HostLogsMode.FILES)
                .journalDir(jdir)
                .journalReadFromTail(false)
                .build();

        NodeCollector c1 = new NodeCollector(files);
        c1.start();
        Await.until(
                "files and journal",
                Duration.ofSeconds(20),
                () -> c1.stats().linesRead() == host.size() + dataplane.size(),
                () -> c1.stats().toString());
        c1.close();

        // written while the collector is down: both the file offsets and the journal cursor must pick them up
        appendHostLines(tree.root, host, 10, 15);
        StringBuilder down = new StringBuilder();
        dataplane.addAll(dataplaneBatch(down, 10, 15));
        writeJournal(jdir, down.toString());

        NodeCollector c2 =
                new NodeCollector(files.toBuilder().journalReadFromTail(true).build());
        c2.start();
        Await.until(
                "what was written while down",
                Duration.ofSeconds(20),
                () -> c2.stats().linesRead() == 5 * 3 + 5 * 2 + 1,
                () -> c2.stats().toString());
        c2.drainAndSeal();

        SpoolContents s = SpoolContents.read(c2.nodeSpoolDirectory());
        assertThat(hostFileTexts(s)).containsExactlyInAnyOrderElementsOf(host);
        List<LineEntry> journalLines = s.lines.stream()
                .filter(l -> l.file().kind() == SourceKind.JOURNAL)
                .toList();
        assertThat(journalLines)
                .extracting(l -> JSON.readTree(l.bytes()).path("MESSAGE").asText())
                .containsExactlyElementsOf(dataplane);
        assertThat(journalLines).extracting(l -> l.file().path()).containsOnly(JournalSources.DATAPLANE_ONLY);
        assertThat(journalLines)
                .extracting(LineEntry::offset)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, dataplane.size())
                        .boxed()
                        .toList());
        // the other units never left journalctl (its _SYSTEMD_UNIT matches), so nothing was read only to be dropped
        assertThat(c1.metrics().journalSkipped.get()
                        + c2.metrics().journalSkipped.get())
                .isZero();
    }

    @Test
    void entriesAnEarlierBootWroteAfterTheCommittedCursorAreRead() throws Exception {
        Path jdir = tmp.resolve("journal");
        StringBuilder export = new StringBuilder();
        List<String> dataplane = dataplaneBatch(export, 0, 5);
        writeJournal(jdir, export.toString());
        CollectorConfig config = config(jdir).hostLogs(HostLogsMode.NONE).build();
        NodeCollector c1 = new NodeCollector(config);
        c1.start();
        Await.until(
                "first boot",
                Duration.ofSeconds(20),
                () -> c1.stats().linesRead() == dataplane.size(),
                () -> c1.stats().toString());
        c1.close();

        // the node's last lines before it rebooted, then the new boot's
        StringBuilder more = new StringBuilder();
        dataplane.addAll(dataplaneBatch(more, 5, 8));
        journal.boot = "fedcba9876543210fedcba9876543210";
        dataplane.addAll(dataplaneBatch(more, 8, 10));
        writeJournal(jdir, more.toString());

        NodeCollector c2 = new NodeCollector(config);
        c2.start();
        Await.until(
                "both boots",
                Duration.ofSeconds(20),
                () -> c2.stats().linesRead() == 3 * 2 + 1 + 2 * 2,
                () -> c2.stats().toString());
        c2.drainAndSeal();
        assertThat(messages(SpoolContents.read(c2.nodeSpoolDirectory()))).containsExactlyElementsOf(dataplane);
    }

    @Test
    void aNodeWithoutAJournalSaysSoOnceAndKeepsCollectingFiles() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        LogTree.append(tree.root.resolve("messages"), "still collected\n");
        Path runs = tmp.resolve("journalctl-runs");
        Path journalctl = tmp.resolve("journalctl");
        Files.writeString(journalctl, "#!/bin/sh\necho run >> '" + runs + "'\nexec journalctl \"$@\"\n");
        journalctl.toFile().setExecutable(true);
        NodeCollector c = new NodeCollector(tree.collectorConfig(tmp)
                .hostLogs(HostLogsMode.FILES)
                .journalDir(tmp.resolve("no-journal"))
                .journalctl(journalctl.toString())
                .build());
        c.start();
        Await.until(
                "missing journal reported",
                Duration.ofSeconds(10),
                () -> c.metrics().errors("journal_missing") == 1);
        Await.until(
                "host file line",
                Duration.ofSeconds(10),
                () -> c.stats().linesRead() == 1,
                () -> c.stats().toString());
        c.drainAndSeal();
        assertThat(c.metrics().errors("journal_missing")).isEqualTo(1);
        assertThat(c.metrics().errorTotal()).isEqualTo(1);
        assertThat(runs)
                .as("journalctl is not run for a journal that is not there")
                .doesNotExist();
    }

    @Test
    void sealingReadsTheJournalToItsEnd() throws Exception {
        Path jdir = tmp.resolve("journal");
        StringBuilder export = new StringBuilder();
        List<String> dataplane = dataplaneBatch(export, 0, 20);
        writeJournal(jdir, export.toString());
        // a follower that has not caught up yet when the node is drained: only a read to the end finds the entries
        Path journalctl = tmp.resolve("journalctl");
        Files.writeString(
                journalctl, "#!/bin/sh\ncase \"$*\" in *--follow*) sleep 30;; esac\nexec journalctl \"$@\"\n");
        journalctl.toFile().setExecutable(true);
        NodeCollector c = new NodeCollector(config(jdir)
                .hostLogs(HostLogsMode.FILES)
                .journalctl(journalctl.toString())
                .build());
        c.start();
        c.drainAndSeal();
        assertThat(messages(SpoolContents.read(c.nodeSpoolDirectory()))).containsExactlyElementsOf(dataplane);
    }
}
