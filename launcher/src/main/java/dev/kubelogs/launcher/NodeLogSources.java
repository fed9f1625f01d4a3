package dev.kubelogs.launcher;

import dev.kubelogs.collector.HostLogsMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the demo's collector takes a copied node's host and dataplane logs from ({@code ./pipeline demo --logs DIR}):
 * the journal is {@code --journal-dir}, else {@code DIR/journal}, else {@code DIR/log/journal} (a tarball of
 * {@code /var/log} taken from {@code /var}); host logs come from {@code DIR/{messages,secure,dmesg}} when any is
 * there, else from the journal, as the shipped DaemonSet reads them on nodes without those files.
 *
 * @param journalDir the journal, or null when the copy has none
 * @param summary one line for the host logs, one for the dataplane logs
 */
record NodeLogSources(Path journalDir, HostLogsMode hostLogs, List<String> summary) {
    static final List<String> HOST_FILES = List.of("messages", "secure", "dmesg");

    /** @throws IllegalArgumentException when {@code explicitJournal} holds no journal files */
    static NodeLogSources of(Path logs, Path explicitJournal) {
        if (explicitJournal != null && !hasJournalFiles(explicitJournal)) {
            throw new IllegalArgumentException(
                    "--journal-dir " + explicitJournal + " holds no journal files (*.journal)");
        }
        Path journal = explicitJournal != null ? explicitJournal : find(logs);
        List<String> hostFiles = HOST_FILES.stream()
                .filter(f -> Files.isRegularFile(logs.resolve(f)))
                .toList();
        HostLogsMode hostLogs = hostFiles.isEmpty() && journal != null ? HostLogsMode.JOURNALD : HostLogsMode.FILES;
        List<String> summary = new ArrayList<>();
        if (!hostFiles.isEmpty()) {
            summary.add("Host logs from files: " + String.join(", ", hostFiles) + " in " + logs);
        } else if (journal != null) {
            summary.add("Host logs from the journal at " + journal + " (no messages, secure or dmesg in " + logs + ")");
        } else {
            summary.add("Host logs: none (no messages, secure or dmesg in " + logs + ", and no journal)");
        }
        if (journal != null) {
            summary.add("Dataplane logs: docker, containerd and kubelet.service from the journal at " + journal
                    + "; aws-node and kube-proxy from " + logs.resolve("containers"));
        } else {
            summary.add("Dataplane logs: aws-node and kube-proxy from " + logs.resolve("containers")
                    + " only; no journal at " + logs.resolve("journal") + " or " + logs.resolve("log/journal")
                    + " (--journal-dir names another)");
        }
        return new NodeLogSources(journal, hostLogs, List.copyOf(summary));
    }

    private static Path find(Path logs) {
        for (Path candidate :
                List.of(logs.resolve("journal"), logs.resolve("log").resolve("journal"))) {
            if (hasJournalFiles(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Journal files (active or archived) in the directory or its machine-id subdirectories. */
    static boolean hasJournalFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir, 2)) {
            return files.anyMatch(p -> {
                String name = p.getFileName().toString();
                return Files.isRegularFile(p) && (name.endsWith(".journal") || name.endsWith(".journal~"));
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
