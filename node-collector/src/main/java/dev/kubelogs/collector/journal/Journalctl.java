package dev.kubelogs.collector.journal;

import dev.kubelogs.collector.kubelet.JsonTree;
import dev.kubelogs.collector.metrics.Counter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs journalctl (no native bindings): the command that follows the journal after a cursor (or from its head, or
 * its tail), the one that reads it to its current end, and the question for its newest cursor; its export output
 * becomes one JSON object per entry ({@link JournalExport}). Its stderr is logged (the first 20 lines of a run).
 *
 * <p>{@code --merge}: {@code --follow} alone implies {@code --boot}, which would skip the entries an earlier boot wrote
 * after the committed cursor (the last minutes before a reboot) and fail on an empty journal. Without HOST_LOGS=
 * journald journalctl is given the dataplane units as matches, so nothing else even leaves it.
 */
final class Journalctl {
    private static final Logger LOG = LoggerFactory.getLogger(Journalctl.class);
    /** journalctl ORs matches on one field: exactly the dataplane units. */
    private static final List<String> DATAPLANE_MATCHES = new TreeSet<>(JournalFilter.DATAPLANE_UNITS)
            .stream().map(unit -> "_SYSTEMD_UNIT=" + unit).toList();

    /** Takes one entry of journalctl's output as the spool's JSON object. */
    @FunctionalInterface
    interface LineHandler {
        void line(byte[] json) throws IOException, InterruptedException;
    }

    private final JournalSettings settings;

    Journalctl(JournalSettings settings) {
        this.settings = settings;
    }

    /** The binary, for messages. */
    String binary() {
        return settings.journalctl();
    }

    /** Follows the journal after {@code afterCursor}; without one from its tail ({@code tail}) or its head. */
    List<String> follow(String afterCursor, boolean tail) {
        return command(afterCursor, tail, true);
    }

    /** Reads the journal after {@code afterCursor} (or from its head) to its current end, and exits. */
    List<String> toEnd(String afterCursor) {
        return command(afterCursor, false, false);
    }

    private List<String> command(String afterCursor, boolean tail, boolean follow) {
        List<String> cmd = new ArrayList<>();
        cmd.add(settings.journalctl());
        cmd.add("--directory=" + settings.dir());
        // export, not json: it keeps the entry's field order and its repeated fields (JournalExport)
        cmd.add("--output=export");
        cmd.add("--merge");
        if (follow) {
            cmd.add("--follow");
        } else {
            cmd.add("--quiet");
        }
        cmd.add("--no-pager");
        if (afterCursor != null) {
            cmd.add("--after-cursor=" + afterCursor);
            cmd.add("--no-tail");
        } else if (tail) {
            cmd.add("--lines=0");
        } else {
            cmd.add("--no-tail");
        }
        if (!settings.hostLogs()) {
            cmd.addAll(DATAPLANE_MATCHES);
        }
        return cmd;
    }

    /** Starts {@code cmd} with its stderr logged; the caller reads its output. */
    static Run start(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        return new Run(p, drainStderr(p));
    }

    /** A running journalctl and the thread that logs its stderr. */
    record Run(Process process, Thread stderr) {}

    /** The cursor of the journal's newest entry, "" when the journal is empty, null when journalctl failed. */
    String tailCursor() {
        List<String> cmd = List.of(
                settings.journalctl(),
                "--directory=" + settings.dir(),
                "--output=json",
                "--all",
                "--lines=1",
                "--no-pager",
                "--quiet");
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(false)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.warn("journalctl did not report the journal's tail in 30 s; following from its head");
                return null;
            }
            if (p.exitValue() != 0) {
                LOG.warn(
                        "journalctl could not report the journal's tail (exit {}); it will position itself",
                        p.exitValue());
                return null;
            }
            String cursor = "";
            for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    if (JsonTree.get(JsonTree.parse(line), "__CURSOR") instanceof String c) {
                        cursor = c;
                    }
                }
            }
            return cursor;
        } catch (IOException e) {
            LOG.warn("cannot ask journalctl for the journal's tail ({}); following from its head", e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Thread drainStderr(Process p) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                        String line;
                        int logged = 0;
                        while ((line = r.readLine()) != null) {
                            if (logged++ < 20) {
                                LOG.warn("journalctl: {}", line);
                            }
                        }
                    } catch (IOException e) {
                        // process ended
                    }
                },
                "kubelogs-journalctl-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Hands {@code handler} each entry of journalctl's export output as one JSON object ({@link JournalExport}) until
     * it ends, or {@code stop} says so after an entry; fields cut at the data threshold are counted in
     * {@code fieldsCut}.
     */
    static void pump(InputStream in, LineHandler handler, BooleanSupplier stop, Counter fieldsCut)
            throws IOException, InterruptedException {
        JournalExport.read(in, handler, stop, fieldsCut);
    }
}
