package dev.kubelogs.launcher;

import dev.kubelogs.collector.local.LocalProcess;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node's systemd journal, written as journald writes it: entries in the journal export format are piped into one
 * long-running {@code systemd-journal-remote}, which appends them to {@code <dir>/<machine-id>/system.journal}
 * (journalctl finds a directory's journals in its machine-id subdirectories).
 */
final class JournalWriter implements AutoCloseable {
    private static final List<String> REMOTE =
            List.of("/lib/systemd/systemd-journal-remote", "/usr/lib/systemd/systemd-journal-remote");

    private final Process process;
    private final OutputStream in;
    private final Path log;
    private final String bootId;
    private final String hostname;
    private long lastMicros;
    private boolean closed;

    /**
     * Starts systemd-journal-remote writing {@code <journalDir>/<machineId>/system.journal}; its messages go to
     * {@code log}.
     */
    JournalWriter(Path journalDir, String machineId, String bootId, String hostname, Path log) throws IOException {
        Path remote = remoteBinary();
        if (remote == null) {
            throw new IOException(missingTools());
        }
        Path dir = Files.createDirectories(journalDir.resolve(machineId));
        Files.createDirectories(log.getParent());
        this.process = new ProcessBuilder(remote.toString(), "--output=" + dir.resolve("system.journal"), "-")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        this.in = new BufferedOutputStream(process.getOutputStream(), 64 * 1024);
        this.log = log;
        this.bootId = bootId;
        this.hostname = hostname;
    }

    /** systemd-journal-remote, or null when it (or journalctl, which reads what it writes) is not installed. */
    static Path remoteBinary() {
        if (!LocalProcess.onPath("journalctl")) {
            return null;
        }
        return REMOTE.stream()
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
    }

    /** Why {@link #remoteBinary()} is null. */
    static String missingTools() {
        return LocalProcess.onPath("journalctl")
                ? "systemd-journal-remote is not installed (apt-get install systemd-journal-remote)"
                : "journalctl is not installed (apt-get install systemd systemd-journal-remote)";
    }

    /**
     * Appends one entry of a systemd unit's standard output, as journald records it. Timestamps never go backwards
     * within the boot. Returns the bytes of the entry's message.
     */
    int write(Instant time, String unit, String identifier, int pid, int priority, String message) throws IOException {
        if (message.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("the export format's text fields are one line: " + message);
        }
        long micros = Math.max(lastMicros + 1, time.getEpochSecond() * 1_000_000L + time.getNano() / 1000);
        lastMicros = micros;
        String entry = "__REALTIME_TIMESTAMP=" + micros + "\n"
                + "__MONOTONIC_TIMESTAMP=" + micros + "\n"
                + "_BOOT_ID=" + bootId + "\n"
                + "_HOSTNAME=" + hostname + "\n"
                + "_TRANSPORT=stdout\n"
                + "_SYSTEMD_UNIT=" + unit + "\n"
                + "SYSLOG_IDENTIFIER=" + identifier + "\n"
                + "_PID=" + pid + "\n"
                + "PRIORITY=" + priority + "\n"
                + "SYSLOG_FACILITY=3\n"
                + "MESSAGE=" + message + "\n\n";
        in.write(entry.getBytes(StandardCharsets.UTF_8));
        return message.getBytes(StandardCharsets.UTF_8).length;
    }

    void flush() throws IOException {
        in.flush();
    }

    /** Ends the input and waits until systemd-journal-remote has written every entry and closed the journal. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        in.close();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("systemd-journal-remote did not finish within 60 s; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while systemd-journal-remote finished the journal", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("systemd-journal-remote exited with " + process.exitValue() + ": "
                    + Files.readString(log).strip());
        }
    }
}
