package dev.kubelogs.collector.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kubelogs.collector.HostLogsMode;
import dev.kubelogs.collector.kubelet.JsonTree;
import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.spool.JournalSources;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the systemd journal without native bindings: runs {@code journalctl --directory=<dir> --output=json --all
 * --follow} positioned with {@code --after-cursor=<committed cursor>} (or {@code --lines=0} / {@code --no-tail} on a
 * first start, per read.tail), and hands each entry's raw JSON line plus its {@code __CURSOR} to the tail thread
 * through a bounded queue (a full queue blocks the reader, so journalctl blocks: back-pressure, no loss).
 *
 * <p>The cursor is NOT kept by journalctl ({@code --cursor-file} would advance before the spool is durable); the
 * collector commits the cursor of the last entry written with the segment that holds it.
 *
 * <p>{@code --merge}: {@code --follow} alone implies {@code --boot}, which would skip the entries an earlier boot wrote
 * after the committed cursor (the last minutes before a reboot) and fail on an empty journal.
 *
 * <p>Filter. The dataplane units ({@code _SYSTEMD_UNIT} docker/containerd/kubelet.service) are always read. With
 * HOST_LOGS=journald the host inputs are read too: {@code _TRANSPORT=kernel} (dmesg), {@code SYSLOG_FACILITY=10}
 * (secure), {@code PRIORITY} 0–6 with a facility other than 2/9 (messages); other entries are counted in
 * {@code kubelogs_collector_journal_entries_filtered} and not spooled. Otherwise (host logs from files, or none)
 * journalctl is given the unit matches, so nothing else even leaves journalctl.
 *
 * <p>A node without a journal directory is logged once and counted ({@code kubelogs_collector_errors{kind=
 * "journal_missing"}}, once per disappearance); the directory is looked for again every
 * 30 s, and a journal that appears later is read from its head.
 */
public final class JournalReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalReader.class);
    private static final JsonFactory JSON = new JsonFactory();
    static final Set<String> DATAPLANE_UNITS = JournalSources.DATAPLANE_UNITS;
    /** journalctl ORs matches on one field: exactly the dataplane units. */
    private static final List<String> DATAPLANE_MATCHES = new TreeSet<>(DATAPLANE_UNITS)
            .stream().map(unit -> "_SYSTEMD_UNIT=" + unit).toList();

    static final long MISSING_RECHECK_MILLIS = 30_000;

    /** One journal entry: its JSON line exactly as journalctl printed it, and its cursor. */
    public record Entry(byte[] json, String cursor) {}

    /** Takes the entries of {@link #drainToEnd}. */
    @FunctionalInterface
    public interface EntrySink {
        void accept(Entry entry) throws IOException;
    }

    private final JournalSettings settings;
    private final boolean hostFromJournal;
    private final long missingRecheckMillis;
    private final CollectorMetrics metrics;
    private final Runnable wake;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(4096);
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile String startCursor;
    private volatile boolean fromTail;
    /** Cursor of the last entry read from journalctl (queued or filtered), where a restarted journalctl continues. */
    private volatile String readCursor;

    private volatile long generation;
    private Process process;
    private Thread thread;
    /** True once the missing journal directory was reported, until it is there again. */
    private boolean reportedMissing;

    public JournalReader(
            JournalSettings settings, CollectorMetrics metrics, String cursor, boolean fromTail, Runnable wake) {
        this(settings, metrics, cursor, fromTail, wake, MISSING_RECHECK_MILLIS);
    }

    JournalReader(
            JournalSettings settings,
            CollectorMetrics metrics,
            String cursor,
            boolean fromTail,
            Runnable wake,
            long missingRecheckMillis) {
        this.settings = settings;
        this.hostFromJournal = settings.hostLogs();
        this.missingRecheckMillis = missingRecheckMillis;
        this.metrics = metrics;
        this.startCursor = cursor;
        this.readCursor = cursor;
        this.fromTail = fromTail && cursor == null;
        this.wake = wake;
    }

    /**
     * The logical path of the journal's FILE records: it tells the job whether host streams come from this journal
     * ({@link JournalSources}).
     */
    public static String sourcePath(HostLogsMode hostLogs) {
        return hostLogs == HostLogsMode.JOURNALD ? JournalSources.HOST_AND_DATAPLANE : JournalSources.DATAPLANE_ONLY;
    }

    /** A stable pseudo-inode for the journal directory (FNV-1a 64 of its path). */
    public static long inodeFor(Path journalDir) {
        long h = 0xcbf29ce484222325L;
        for (byte b : journalDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h & Long.MAX_VALUE;
    }

    public void start() {
        if (!journalPresent()) {
            // a journal that appears later holds only what was written since: read it from its head, like a new file
            fromTail = false;
        }
        if (fromTail && readCursor == null) {
            // read.tail: fix the position now, not whenever the follower gets to it, so nothing written after
            // start() returns is skipped (journalctl --lines=0 positions itself only once it has opened the files)
            String tail = tailCursor();
            synchronized (lock) {
                if (tail != null && !tail.isEmpty()) {
                    readCursor = tail;
                    startCursor = tail;
                    fromTail = false;
                } else if (tail != null) {
                    // an empty journal has nothing to skip: following it from its head is following it from its tail
                    fromTail = false;
                }
                // tail == null (journalctl failed): the follower positions itself with --lines=0 as before
            }
        }
        thread = new Thread(this::run, "kubelogs-journal");
        thread.setDaemon(true);
        thread.start();
    }

    /** The next entry, or null. */
    public Entry poll() {
        return queue.poll();
    }

    /** Discards what is queued and continues after {@code cursor} (null: from the beginning). */
    public void restartAt(String cursor) {
        synchronized (lock) {
            generation++;
            startCursor = cursor;
            readCursor = cursor;
            fromTail = false;
            queue.clear();
            if (process != null) {
                process.destroy();
            }
        }
    }

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
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
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

    List<String> command(String afterCursor, boolean tail) {
        return command(afterCursor, tail, true);
    }

    private List<String> command(String afterCursor, boolean tail, boolean follow) {
        List<String> cmd = new ArrayList<>();
        cmd.add(settings.journalctl());
        cmd.add("--directory=" + settings.dir());
        cmd.add("--output=json");
        cmd.add("--all");
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
        if (!hostFromJournal) {
            cmd.addAll(DATAPLANE_MATCHES);
        }
        return cmd;
    }

    private boolean journalPresent() {
        return Files.isDirectory(settings.dir());
    }

    /** False (after logging it once) when the node has no journal directory; true when it has one. */
    private boolean checkPresent() {
        boolean present = journalPresent();
        if (!present && !reportedMissing) {
            reportedMissing = true;
            metrics.error("journal_missing");
            LOG.warn(
                    "this node has no journal at {}: the dataplane units {}{} are not collected; looking again "
                            + "every {} s",
                    settings.dir(),
                    new TreeSet<>(DATAPLANE_UNITS),
                    hostFromJournal ? " and the host logs" : "",
                    missingRecheckMillis / 1000);
        } else if (present && reportedMissing) {
            reportedMissing = false;
            LOG.info("the journal at {} is there now: reading it from its head", settings.dir());
        }
        return present;
    }

    private void run() {
        long backoffMillis = 1000;
        while (!closed) {
            if (!checkPresent()) {
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    try {
                        lock.wait(missingRecheckMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            long gen;
            List<String> cmd;
            Process p;
            synchronized (lock) {
                gen = generation;
                cmd = command(readCursor, fromTail && readCursor == null);
                try {
                    p = new ProcessBuilder(cmd)
                            .redirectInput(ProcessBuilder.Redirect.PIPE)
                            .start();
                } catch (IOException e) {
                    metrics.error("journal");
                    LOG.error(
                            "cannot run {} ({}); host/dataplane journal logs are not collected; retrying in {} ms",
                            settings.journalctl(),
                            e.getMessage(),
                            backoffMillis);
                    p = null;
                }
                process = p;
            }
            if (p != null) {
                LOG.info("reading the journal: {}", String.join(" ", cmd));
                fromTail = false;
                Thread err = drainStderr(p);
                try {
                    pump(p.getInputStream(), gen);
                    backoffMillis = 1000;
                } catch (IOException e) {
                    if (!closed && gen == generation) {
                        metrics.error("journal");
                        LOG.warn("reading journalctl output failed: {}", e.toString());
                    }
                } catch (InterruptedException e) {
                    p.destroy();
                    return;
                }
                p.destroy();
                try {
                    boolean exited = p.waitFor(5, TimeUnit.SECONDS);
                    err.join(1000);
                    if (!closed && gen == generation) {
                        metrics.error("journal");
                        LOG.warn(
                                "journalctl exited ({}); restarting after the last entry read in {} ms",
                                exited ? "code " + p.exitValue() : "did not exit",
                                backoffMillis);
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (closed) {
                return;
            }
            synchronized (lock) {
                if (gen != generation) {
                    continue; // restartAt: go again at once
                }
                try {
                    lock.wait(backoffMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
            backoffMillis = Math.min(30_000, backoffMillis * 2);
        }
    }

    private Thread drainStderr(Process p) {
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

    @FunctionalInterface
    private interface LineHandler {
        void line(byte[] json) throws IOException, InterruptedException;
    }

    private void pump(InputStream in, long gen) throws IOException, InterruptedException {
        pump(in, json -> handle(json, gen), () -> closed || gen != generation);
    }

    private static void pump(InputStream in, LineHandler handler, BooleanSupplier stop)
            throws IOException, InterruptedException {
        byte[] chunk = new byte[64 * 1024];
        ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
        int n;
        while ((n = in.read(chunk)) > 0) {
            int s = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    line.write(chunk, s, i - s);
                    if (line.size() > 0) {
                        handler.line(line.toByteArray());
                    }
                    line.reset();
                    s = i + 1;
                }
            }
            line.write(chunk, s, n - s);
            if (stop.getAsBoolean()) {
                return;
            }
        }
    }

    /** The entry to spool, or null (counted) when the filter drops it; either way the read position moves past it. */
    private Entry accept(byte[] json) {
        Fields f;
        try {
            f = fields(json, hostFromJournal);
        } catch (IOException e) {
            metrics.error("journal_parse");
            LOG.warn(
                    "journalctl printed a line that is not a JSON object ({}); spooled as is without a cursor",
                    e.getMessage());
            f = new Fields();
            f.keep = true;
        }
        if (f.cursor == null && f.keep) {
            f.cursor = readCursor;
        }
        if (!f.keep) {
            metrics.journalSkipped.inc();
            readCursor = f.cursor;
            return null;
        }
        return new Entry(json, f.cursor);
    }

    private void handle(byte[] json, long gen) throws InterruptedException {
        Entry e = accept(json);
        if (e == null) {
            return;
        }
        while (!queue.offer(e, 200, TimeUnit.MILLISECONDS)) {
            if (closed || gen != generation) {
                return;
            }
            wake.run();
        }
        if (gen != generation) {
            queue.remove(e);
            return;
        }
        readCursor = e.cursor();
        wake.run();
    }

    static final class Fields {
        String cursor;
        boolean keep;
    }

    /** Extracts the cursor and decides the filter from the top-level fields. */
    static Fields fields(byte[] json, boolean hostFromJournal) throws IOException {
        String cursor = null;
        String transport = null;
        String unit = null;
        String priority = null;
        String facility = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_STRING) {
                    switch (name) {
                        case "__CURSOR":
                            cursor = p.getText();
                            break;
                        case "_TRANSPORT":
                            transport = p.getText();
                            break;
                        case "_SYSTEMD_UNIT":
                            unit = p.getText();
                            break;
                        case "PRIORITY":
                            priority = p.getText();
                            break;
                        case "SYSLOG_FACILITY":
                            facility = p.getText();
                            break;
                        default:
                            break;
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        Fields f = new Fields();
        f.cursor = cursor;
        boolean dataplane = unit != null && DATAPLANE_UNITS.contains(unit);
        f.keep = dataplane
                || hostFromJournal
                        && ("kernel".equals(transport)
                                || "10".equals(facility)
                                || (priority != null
                                        && priority.length() == 1
                                        && priority.charAt(0) >= '0'
                                        && priority.charAt(0) <= '6'
                                        && !"2".equals(facility)
                                        && !"9".equals(facility)));
        return f;
    }

    /**
     * Stops following and hands {@code sink} every entry up to the journal's current end, in order: those read and
     * not yet polled, then the rest from one journalctl run without {@code --follow}. For sealing: a node that goes
     * away leaves nothing of its kubelet's last lines unread.
     */
    public void drainToEnd(EntrySink sink) throws IOException {
        close();
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Entry queued;
        while ((queued = queue.poll()) != null) {
            sink.accept(queued);
        }
        if (!journalPresent() || (readCursor == null && fromTail)) {
            return; // nothing to read, or no position to read from
        }
        List<String> cmd = command(readCursor, false, false);
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
        } catch (IOException e) {
            metrics.error("journal");
            LOG.warn(
                    "cannot run {} to read the journal to its end ({}); the rest is read after the next start",
                    settings.journalctl(),
                    e.getMessage());
            return;
        }
        Thread err = drainStderr(p);
        try {
            pump(
                    p.getInputStream(),
                    json -> {
                        Entry e = accept(json);
                        if (e != null) {
                            readCursor = e.cursor();
                            sink.accept(e);
                        }
                    },
                    () -> false);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                metrics.error("journal");
                LOG.warn(
                        "journalctl did not read the journal to its end cleanly ({}); the rest is read after the "
                                + "next start",
                        p.isAlive() ? "still running after 30 s" : "exit " + p.exitValue());
            }
            err.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            p.destroy();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            if (process != null) {
                process.destroy();
            }
            lock.notifyAll();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
