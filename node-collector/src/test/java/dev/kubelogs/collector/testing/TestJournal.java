package dev.kubelogs.collector.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real journal files, written by systemd-journal-remote from export-format entries, as journald writes them. */
public final class TestJournal {
    public static final String BOOT = "0123456789abcdef0123456789abcdef";

    private final Path scratch;
    private long clock = 1_714_557_600_000_000L;
    /** The _BOOT_ID of the entries made from now on. */
    public String boot = BOOT;

    /** {@code scratch}: where the export-format input files go. */
    public TestJournal(Path scratch) {
        this.scratch = scratch;
    }

    /** Skips the test without journalctl; fails it without systemd-journal-remote (CI installs both). */
    public static void assumeTools() {
        boolean journalctl;
        try {
            Process p = new ProcessBuilder("journalctl", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            journalctl = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            journalctl = false;
        }
        assumeThat(journalctl)
                .as("journalctl is not installed: the journald tests need it (Debian package systemd)")
                .isTrue();
        assertThat(remote())
                .as("systemd-journal-remote is missing: apt-get install -y systemd-journal-remote")
                .isNotNull();
    }

    static Path remote() {
        for (String c : List.of("/lib/systemd/systemd-journal-remote", "/usr/lib/systemd/systemd-journal-remote")) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return null;
    }

    /** One export-format entry, 1 ms after the previous one. */
    public String entry(String message, String... fields) {
        StringBuilder sb = new StringBuilder();
        clock += 1000;
        sb.append("__REALTIME_TIMESTAMP=").append(clock).append('\n');
        sb.append("__MONOTONIC_TIMESTAMP=")
                .append(clock - 1_714_557_000_000_000L)
                .append('\n');
        sb.append("_BOOT_ID=").append(boot).append('\n');
        sb.append("_HOSTNAME=ip-10-0-0-1\n");
        sb.append("MESSAGE=").append(message).append('\n');
        for (String f : fields) {
            sb.append(f).append('\n');
        }
        return sb.append('\n').toString();
    }

    /** Appends the entries to {@code dir/remote.journal}, creating the directory and the file if needed. */
    public void write(Path dir, String export) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.createDirectories(scratch);
        Path in = scratch.resolve("export-" + System.nanoTime() + ".txt");
        Files.writeString(in, export, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(remote().toString(), "--output=" + dir.resolve("remote.journal"), in.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("systemd-journal-remote: %s", out).isZero();
    }
}
