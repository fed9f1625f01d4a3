package dev.kubelogs.collector.journal;

import dev.kubelogs.collector.HostLogsMode;
import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.spool.JournalSources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the systemd journal without native bindings: runs {@code journalctl --directory=<dir> --output=export
 * --follow} positioned with {@code --after-cursor=<committed cursor>} (or {@code --lines=0} / {@code --no-tail} on a
 * first start, per read.tail), and hands each entry as a JSON line ({@link JournalExport}: its fields in the journal's
 * order, repeated fields kept) plus its {@code __CURSOR} to the tail thread
 * through a bounded queue (a full queue blocks the reader, so journalctl blocks: back-pressure, no loss).
 *
 * <p>The cursor is NOT kept by journalctl ({@code --cursor-file} would advance before the spool is durable); the
 * collector commits the cursor of the last entry written with the segment that holds it.
 *
 * <p>Entries {@link JournalFilter} does not keep are counted in {@code kubelogs_collector_journal_entries_filtered}
 * and not spooled; the read position moves past them all the same. Running journalctl and splitting its output is
 * {@link Journalctl}'s.
 *
 * <p>A node without a journal directory is reported once ({@link JournalPresence}); the directory is looked for again
 * every 30 s, and a journal that appears later is read from its head.
 */
public final class JournalReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalReader.class);
    static final long MISSING_RECHECK_MILLIS = 30_000;

    /** One journal entry: its JSON line as {@link JournalExport} wrote it, and its cursor. */
    public record Entry(byte[] json, String cursor) {}

    /** Takes the entries of {@link #drainToEnd}. */
    @FunctionalInterface
    public interface EntrySink {
        void accept(Entry entry) throws IOException;
    }

    private final Journalctl journalctl;
    private final JournalPresence presence;
    private final boolean hostFromJournal;
    private final long missingRecheckMillis;
    private final CollectorMetrics metrics;
    private final Runnable wake;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(4096);
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile boolean fromTail;
    /** Cursor of the last entry read from journalctl (queued or filtered), where a restarted journalctl continues. */
    private volatile String readCursor;

    private volatile long generation;
    private Process process;
    private Thread thread;

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
        this.journalctl = new Journalctl(settings);
        this.presence = new JournalPresence(settings, metrics, missingRecheckMillis);
        this.hostFromJournal = settings.hostLogs();
        this.missingRecheckMillis = missingRecheckMillis;
        this.metrics = metrics;
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
        if (!presence.present()) {
            // a journal that appears later holds only what was written since: read it from its head, like a new file
            fromTail = false;
        }
        if (fromTail && readCursor == null) {
            // read.tail: fix the position now, not whenever the follower gets to it, so nothing written after
            // start() returns is skipped (journalctl --lines=0 positions itself only once it has opened the files)
            String tail = journalctl.tailCursor();
            synchronized (lock) {
                if (tail != null && !tail.isEmpty()) {
                    readCursor = tail;
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
            readCursor = cursor;
            fromTail = false;
            queue.clear();
            if (process != null) {
                process.destroy();
            }
        }
    }

    private void run() {
        long backoffMillis = 1000;
        while (!closed) {
            if (!presence.check()) {
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
            Journalctl.Run run;
            synchronized (lock) {
                gen = generation;
                cmd = journalctl.follow(readCursor, fromTail && readCursor == null);
                try {
                    run = Journalctl.start(cmd);
                } catch (IOException e) {
                    metrics.error("journal");
                    LOG.error(
                            "cannot run {} ({}); host/dataplane journal logs are not collected; retrying in {} ms",
                            journalctl.binary(),
                            e.getMessage(),
                            backoffMillis);
                    run = null;
                }
                process = run == null ? null : run.process();
            }
            if (run != null) {
                Process p = run.process();
                LOG.info("reading the journal: {}", String.join(" ", cmd));
                fromTail = false;
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
                    run.stderr().join(1000);
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

    private void pump(InputStream in, long gen) throws IOException, InterruptedException {
        Journalctl.pump(in, json -> handle(json, gen), () -> closed || gen != generation, metrics.journalFieldsCut);
    }

    /** The entry to spool, or null (counted) when the filter drops it; either way the read position moves past it. */
    private Entry accept(byte[] json) {
        JournalFilter.Fields f;
        try {
            f = JournalFilter.fields(json, hostFromJournal);
        } catch (IOException e) {
            metrics.error("journal_parse");
            LOG.warn(
                    "journalctl printed a line that is not a JSON object ({}); spooled as is without a cursor",
                    e.getMessage());
            f = new JournalFilter.Fields();
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
        if (!presence.present() || (readCursor == null && fromTail)) {
            return; // nothing to read, or no position to read from
        }
        Journalctl.Run run;
        try {
            run = Journalctl.start(journalctl.toEnd(readCursor));
        } catch (IOException e) {
            metrics.error("journal");
            LOG.warn(
                    "cannot run {} to read the journal to its end ({}); the rest is read after the next start",
                    journalctl.binary(),
                    e.getMessage());
            return;
        }
        Process p = run.process();
        try {
            Journalctl.pump(
                    p.getInputStream(),
                    json -> {
                        Entry e = accept(json);
                        if (e != null) {
                            readCursor = e.cursor();
                            sink.accept(e);
                        }
                    },
                    () -> false,
                    metrics.journalFieldsCut);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                metrics.error("journal");
                LOG.warn(
                        "journalctl did not read the journal to its end cleanly ({}); the rest is read after the "
                                + "next start",
                        p.isAlive() ? "still running after 30 s" : "exit " + p.exitValue());
            }
            run.stderr().join(1000);
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
