package dev.kubelogs.collector;

import dev.kubelogs.collector.commit.SpoolCommitter;
import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.metrics.MetricsServer;
import dev.kubelogs.collector.tail.CollectorState;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node collector: tails the node's logs and its journal (dataplane units; host logs too with HOST_LOGS=journald),
 * and optionally the kubelet's pod list, into a spool of immutable segments under {@code <spoolDir>/<cluster>/<node>/}.
 *
 * <p>Delivery: every record read goes into the open segment; a segment is closed by size or age and committed
 * together with the inputs' positions by the {@link SpoolCommitter}, which also recovers after a crash. The
 * {@link TailLoop} does the tail thread's work; this class owns the threads, the commands and health.
 *
 * <p>Threads: one tail thread owns the files, the spool and the state; the journal reader, the kubelet poller and
 * the watch service hand it work through queues. Thread-safe public methods.
 */
public final class NodeCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCollector.class);

    private final CollectorConfig config;
    private final CollectorMetrics metrics = new CollectorMetrics();

    private volatile TailLoop tail;
    private MetricsServer http;
    private Thread tailThread;

    private final Object wakeLock = new Object();
    private boolean wakeRequested;
    private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
    private volatile boolean running;
    private volatile boolean stopped;
    private volatile String unhealthy;
    private volatile long lastLoopNanos = System.nanoTime();

    private long lastSealedSeq = -1;

    private enum Kind {
        SEAL,
        CLOSE
    }

    private record Command(Kind kind, CompletableFuture<Void> done) {}

    public NodeCollector(CollectorConfig config) {
        this.config = config;
    }

    public CollectorConfig config() {
        return config;
    }

    public CollectorMetrics metrics() {
        return metrics;
    }

    /** The directory this collector writes segments to: {@code <spoolDir>/<cluster>/<node>}. */
    public Path nodeSpoolDirectory() {
        return SpoolPaths.nodeDirectory(config.spool().spoolDir(), config.cluster(), config.node());
    }

    /** The HTTP port actually bound (useful with port 0), or -1 if the server is off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Recovers the spool and state, then starts the background threads. */
    public synchronized void start() throws IOException {
        if (tailThread != null) {
            throw new IllegalStateException("already started");
        }
        LOG.info("starting node collector: {}", config);
        tail = TailLoop.open(config, withBootId(config.nodeAttributes()), metrics, this::wake);
        if (config.http().enabled()) {
            http = new MetricsServer(config.http().port(), metrics, this::healthProblem);
            LOG.info("serving /metrics and /healthz on port {}", http.port());
        }
        running = true;
        tailThread = new Thread(this::loop, "kubelogs-tail-" + config.node());
        tailThread.setDaemon(true);
        tailThread.start();
    }

    /** Wakes the tail thread (new file, journal entry, pod change). */
    public void wake() {
        synchronized (wakeLock) {
            wakeRequested = true;
            wakeLock.notifyAll();
        }
    }

    private void awaitWork(long nanos) throws InterruptedException {
        synchronized (wakeLock) {
            long deadline = System.nanoTime() + nanos;
            while (!wakeRequested && commands.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                // rounded up: a wait cut short by the rounding would wake the thread a second time for the rest
                wakeLock.wait((left + 999_999) / 1_000_000);
            }
        }
    }

    private void loop() {
        long pollNanos = config.tail().pollInterval().toNanos();
        while (true) {
            try {
                lastLoopNanos = System.nanoTime();
                Command cmd = commands.poll();
                if (cmd != null) {
                    try {
                        execute(cmd.kind());
                        cmd.done().complete(null);
                    } catch (Throwable t) {
                        cmd.done().completeExceptionally(t);
                    }
                    tail.finish();
                    completeRemaining();
                    return;
                }
                boolean woken;
                synchronized (wakeLock) {
                    woken = wakeRequested;
                    wakeRequested = false;
                }
                if (!tail.pass(woken)) {
                    long wait = tail.idleNanos();
                    if (wait > 0) {
                        awaitWork(wait);
                    }
                }
                unhealthy = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("tail thread interrupted; stopping without sealing");
                tail.finish();
                completeRemaining();
                return;
            } catch (Throwable t) {
                metrics.error("loop");
                unhealthy = "tail loop error: " + t;
                LOG.error(
                        "error in the tail loop; discarding the open segment and resuming from the committed "
                                + "positions",
                        t);
                tail.rewindToCommitted();
                try {
                    awaitWork(Math.max(pollNanos, 1_000_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    tail.finish();
                    completeRemaining();
                    return;
                }
            }
        }
    }

    private synchronized void completeRemaining() {
        stopped = true;
        running = false;
        Command c;
        while ((c = commands.poll()) != null) {
            c.done().complete(null);
        }
    }

    private void execute(Kind kind) throws IOException {
        if (kind == Kind.SEAL) {
            lastSealedSeq = tail.seal();
        } else {
            tail.stop();
        }
    }

    private void submit(Kind kind) throws IOException, InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (tailThread == null) {
                throw new IllegalStateException("not started");
            }
            if (stopped) {
                return;
            }
            commands.add(new Command(kind, done));
        }
        wake();
        try {
            done.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        }
        tailThread.join();
    }

    /**
     * Reads every tracked file to its current end (complete lines only), closes the open segment durably, commits
     * the offsets, writes the {@code sealed} marker and stops.
     */
    public void drainAndSeal() throws IOException, InterruptedException {
        submit(Kind.SEAL);
        closeHttp();
    }

    /** The seq named by the sealed marker, or -1. */
    public long sealedSeq() {
        return lastSealedSeq;
    }

    /** Graceful stop: closes the open segment durably and commits offsets (no seal). Idempotent. */
    @Override
    public void close() {
        try {
            if (tailThread != null) {
                submit(Kind.CLOSE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the open segment durably", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeHttp();
        }
    }

    private void closeHttp() {
        if (http != null) {
            http.close();
            http = null;
        }
    }

    public CollectorStats stats() {
        return new CollectorStats(
                metrics.linesTotal(),
                metrics.bytesTotal(),
                (long) metrics.segmentsWritten.get(),
                (long) metrics.filesTracked.get(),
                metrics.errorTotal());
    }

    /** Null when healthy, else why not (for /healthz). */
    private String healthProblem() {
        if (!running) {
            return stopped ? "stopped" : "not started";
        }
        long stalled = System.nanoTime() - lastLoopNanos;
        if (stalled
                > Math.max(30_000_000_000L, 10 * config.tail().pollInterval().toNanos())) {
            return "tail loop stalled for " + stalled / 1_000_000_000L + " s";
        }
        return unhealthy;
    }

    /** The offsets last committed (for tests and diagnostics). */
    public List<CollectorState.FileState> committedFiles() {
        CollectorState c = tail == null ? null : tail.committed();
        return c == null ? List.of() : new ArrayList<>(c.files);
    }

    /** Where the kernel publishes the id of the current boot (the host's, also inside a container). */
    static final Path BOOT_ID_FILE = Path.of("/proc/sys/kernel/random/boot_id");

    /**
     * Segment headers carry the node's boot id: the job keys its replay positions by it, so a replacement node
     * that reuses this node's name and inode numbers is not taken for the old one.
     */
    static Map<String, String> withBootId(Map<String, String> attributes) {
        if (attributes.containsKey("boot_id")) {
            return attributes;
        }
        Map<String, String> withId = new LinkedHashMap<>(attributes);
        try {
            String id = Files.readString(BOOT_ID_FILE).trim();
            if (!id.isEmpty()) {
                withId.put("boot_id", id);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "cannot read the boot id from {} ({}); replay positions are keyed by device and inode only",
                    BOOT_ID_FILE,
                    e.toString());
        }
        return withId;
    }
}
