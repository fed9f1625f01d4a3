package dev.kubelogs.collector;

import dev.kubelogs.collector.commit.SpoolCommitter;
import dev.kubelogs.collector.journal.JournalDrain;
import dev.kubelogs.collector.journal.JournalReader;
import dev.kubelogs.collector.kubelet.KubeletPoller;
import dev.kubelogs.collector.kubelet.PodDrain;
import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.metrics.MetricsServer;
import dev.kubelogs.collector.spool.S3Uploader;
import dev.kubelogs.collector.spool.SegmentSpool;
import dev.kubelogs.collector.spool.SpoolPressure;
import dev.kubelogs.collector.tail.CollectorState;
import dev.kubelogs.collector.tail.CreateWatcher;
import dev.kubelogs.collector.tail.Discovery;
import dev.kubelogs.collector.tail.FileTailer;
import dev.kubelogs.collector.tail.StateStore;
import dev.kubelogs.collector.tail.TailSettings;
import dev.kubelogs.collector.tail.TrackedFile;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SegmentWriter;
import dev.kubelogs.spool.SourceKind;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * together with the inputs' positions by the {@link SpoolCommitter}, which also recovers after a crash.
 * {@link JournalDrain} and {@link PodDrain} move the journal's entries and the kubelet's pod records into it.
 *
 * <p>Threads: one tail thread owns the files, the spool and the state; the journal reader, the kubelet poller and
 * the watch service hand it work through queues. Thread-safe public methods.
 */
public final class NodeCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCollector.class);
    private static final long HOUSEKEEPING_NANOS = 1_000_000_000L;

    private final CollectorConfig config;
    private final CollectorMetrics metrics = new CollectorMetrics();

    private SegmentSpool spool;
    private SpoolCommitter committer;
    private FileTailer tailer;
    private JournalDrain journal;
    private PodDrain pods;
    private S3Uploader uploader;
    private MetricsServer http;
    private CreateWatcher watcher;
    private Thread tailThread;

    private long readTimeMillis;

    private final Object wakeLock = new Object();
    private boolean wakeRequested;
    private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
    private volatile boolean running;
    private volatile boolean stopped;
    private volatile String unhealthy;
    private volatile long lastLoopNanos = System.nanoTime();

    private SpoolPressure pressure;
    private long nextHousekeepingNanos;
    private long lastSealedSeq = -1;

    private enum Kind { SEAL, CLOSE }

    private record Command(Kind kind, CompletableFuture<Void> done) {
    }

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
        spool = new SegmentSpool(config.spool().spoolDir(), config.cluster(), config.node(), withBootId(config.nodeAttributes()));
        TailSettings tail = config.tail();
        Discovery discovery = new Discovery(tail.logRoot(), tail.dockerContainersDir(), tail.includeGlobs(),
                tail.excludeGlobs(), config.hostLogs() == HostLogsMode.FILES ? tail.hostFiles() : List.of());
        watcher = CreateWatcher.start(discovery, metrics, this::wake, "kubelogs-watch-" + config.node());
        tailer = new FileTailer(discovery, watcher, tail.maxLineBytes(), tail.rotateWait(), metrics);

        if (config.s3().enabled()) {
            uploader = new S3Uploader(config.s3(), config.cluster(), config.node(), spool, metrics, this::wake);
        }
        committer = new SpoolCommitter(spool, new StateStore(config.spool().stateDir(), config.cluster(), config.node()),
                config.cluster(), config.node(), config.spool().retention(), metrics, this::addPositions, () -> {
                    if (uploader != null) {
                        uploader.wake();
                    }
                });
        pressure = new SpoolPressure(spool.directory(), config.spool().maxSpoolBytes(), metrics);
        CollectorState committed = committer.recover();
        if (committed == null) {
            LOG.info("first start on this node: read.head={} for files present now; later files are read from their "
                    + "head", tail.readFromHead() ? "On" : "Off");
        }
        if (uploader != null) {
            if (committed == null) {
                uploader.continueNumbering(spool);
            }
            uploader.start();
        }
        tailer.initialize(committed, committed == null, tail.readFromHead());
        if (config.journal().enabled()) {
            // the dataplane units always come from the journal; HOST_LOGS=journald adds the host inputs
            CollectorState.JournalState js = committed == null ? null : committed.journal;
            FileRef ref = new FileRef(JournalReader.sourcePath(config.hostLogs()), 0,
                    JournalReader.inodeFor(config.journal().dir()), 0, SourceKind.JOURNAL);
            // read.tail applies to the journal's first start, also when an upgraded collector first reads it
            boolean fromTail = js == null && config.journal().readFromTail();
            JournalReader reader = new JournalReader(config.journal(), metrics, js == null ? null : js.cursor, fromTail,
                    this::wake);
            journal = new JournalDrain(reader, ref, js, spool, metrics);
            reader.start();
        }
        Map<String, String> committedPods = committed == null ? Map.of() : committed.pods;
        KubeletPoller poller = null;
        if (config.kubelet().enabled()) {
            poller = new KubeletPoller(config.kubelet(), metrics, committedPods, this::wake);
            poller.start();
            tailer.onNewContainerFile(path -> pods.onNewContainerFile(path));
        }
        pods = new PodDrain(poller, committedPods, spool, metrics);
        if (config.http().enabled()) {
            http = new MetricsServer(config.http().port(), metrics, this::healthProblem);
            LOG.info("serving /metrics and /healthz on port {}", http.port());
        }
        running = true;
        tailThread = new Thread(this::loop, "kubelogs-tail-" + config.node());
        tailThread.setDaemon(true);
        tailThread.start();
    }

    /** The inputs' positions as of the last line written: what a segment's commit records. */
    private void addPositions(CollectorState s) {
        s.files = tailer.snapshot();
        s.retired = tailer.retiredSnapshot();
        pods.addTo(s);
        if (journal != null) {
            journal.addTo(s);
        }
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
                wakeLock.wait(Math.max(1, left / 1_000_000), 0);
            }
        }
    }

    private final FileTailer.Sink sink = new FileTailer.Sink() {
        @Override
        public void line(TrackedFile file, byte[] buf, int off, int len, int flags) throws IOException {
            SegmentWriter w = spool.writer(readTimeMillis);
            if (file.segmentEpoch != spool.epoch()) {
                file.segmentFileId = w.declareFile(file.ref(), file.offset());
                file.segmentEpoch = spool.epoch();
            }
            w.readTime(readTimeMillis);
            w.line(file.segmentFileId, buf, off, len, flags);
        }

        @Override
        public boolean afterLine() throws IOException {
            if (spool.openBytes() >= config.spool().maxSegmentBytes()) {
                roll();
            }
            return !pressure.paused();
        }

        @Override
        public boolean accepting() {
            return !pressure.paused();
        }
    };

    private void loop() {
        long pollNanos = config.tail().pollInterval().toNanos();
        long maxAgeNanos = config.spool().maxSegmentAge().toNanos();
        long nextDiscovery = 0;
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
                    finishThreads();
                    completeRemaining();
                    return;
                }
                long now = System.nanoTime();
                readTimeMillis = System.currentTimeMillis();
                if (now >= nextHousekeepingNanos) {
                    housekeeping();
                    // while paused, look for consumed segments at the poll rate so tailing resumes quickly
                    nextHousekeepingNanos = now + (pressure.paused() ? pollNanos : HOUSEKEEPING_NANOS);
                }
                boolean progress = false;
                boolean woken;
                synchronized (wakeLock) {
                    woken = wakeRequested;
                    wakeRequested = false;
                }
                if (!pressure.paused()) {
                    if (now >= nextDiscovery || woken) {
                        tailer.discover();
                        nextDiscovery = now + pollNanos;
                    }
                    progress |= pods.drain(readTimeMillis, sink);
                    progress |= drainJournal(4096);
                    progress |= tailer.readPass(sink);
                    tailer.releaseFinished(sink);
                }
                if (spool.isOpen() && System.nanoTime() - spool.openedAtNanos() >= maxAgeNanos) {
                    roll();
                }
                if (!progress) {
                    long wait = Math.min(pollNanos, Math.max(0, nextDiscovery - System.nanoTime()));
                    if (spool.isOpen()) {
                        wait = Math.min(wait, spool.openedAtNanos() + maxAgeNanos - System.nanoTime());
                    }
                    if (wait > 0) {
                        awaitWork(wait);
                    }
                }
                unhealthy = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("tail thread interrupted; stopping without sealing");
                finishThreads();
                completeRemaining();
                return;
            } catch (Throwable t) {
                metrics.error("loop");
                unhealthy = "tail loop error: " + t;
                LOG.error("error in the tail loop; discarding the open segment and resuming from the committed positions", t);
                recoverFromCommitted();
                try {
                    awaitWork(Math.max(pollNanos, 1_000_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    finishThreads();
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

    /** After an error: drop the open segment and rewind every input to the committed state. */
    private void recoverFromCommitted() {
        spool.abandon();
        try {
            CollectorState committed = committer.committed();
            tailer.initialize(committed, false, true);
            pods.rewind(committed == null ? Map.of() : committed.pods);
            if (journal != null) {
                journal.rewind(committed == null ? null : committed.journal);
            }
        } catch (Throwable t) {
            metrics.error("recover");
            LOG.error("could not rewind to the committed state; will retry", t);
        }
    }

    private boolean drainJournal(int max) throws IOException {
        return journal != null && journal.drain(max, readTimeMillis, sink);
    }

    /** Closes the open segment durably, commits the state that it covers, and updates back-pressure. */
    private void roll() throws IOException {
        committer.roll();
        checkBackpressure();
    }

    /** Rescans the spool's size, applies retention, and updates back-pressure. */
    private void housekeeping() throws IOException {
        committer.rescan();
        checkBackpressure();
        pressure.countPausedTime();
    }

    private void checkBackpressure() {
        if (pressure.update(committer.spoolBytes())) {
            // look for consumed segments at the poll rate, so that tailing resumes quickly
            nextHousekeepingNanos = System.nanoTime() + config.tail().pollInterval().toNanos();
        }
    }

    private void execute(Kind kind) throws IOException {
        readTimeMillis = System.currentTimeMillis();
        pressure.finalDrain();
        if (kind == Kind.SEAL) {
            stopInputs();
            tailer.discover();
            while (tailer.readPass(sink)) {
                readTimeMillis = System.currentTimeMillis();
            }
            // sealed means read for the last time here: a last line still without its newline leaves as it is
            tailer.emitUnterminatedLines(sink);
            pods.drain(readTimeMillis, sink);
            if (journal != null) {
                journal.drainToEnd(readTimeMillis, sink);
            }
            if (!spool.isOpen() && spool.listSegments().isEmpty() && committer.committed() == null) {
                spool.writer(readTimeMillis); // an empty segment, so that 'sealed' names a real last seq
            }
            roll();
            long last = spool.nextSeq() - 1;
            spool.writeSealed(last);
            lastSealedSeq = last;
            if (uploader != null) {
                uploader.wake();
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (!uploader.idle() && System.nanoTime() < deadline) {
                    try {
                        awaitWork(50_000_000L);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    synchronized (wakeLock) {
                        wakeRequested = false;
                    }
                }
                if (!uploader.idle()) {
                    LOG.warn("sealed locally, but not every segment reached S3 within 2 minutes; they are uploaded on the next start");
                }
            }
            LOG.info("drained and sealed {} at segment {}", spool.directory(), last);
        } else {
            stopInputs();
            pods.drain(readTimeMillis, sink);
            drainJournal(Integer.MAX_VALUE);
            roll();
            CollectorState committed = committer.committed();
            LOG.info("stopped; offsets committed up to segment {}", committed == null ? -1 : committed.committedSeq);
        }
    }

    private void stopInputs() {
        if (journal != null) {
            journal.close();
        }
        if (pods != null) {
            pods.close();
        }
    }

    private void finishThreads() {
        stopInputs();
        if (uploader != null) {
            uploader.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        tailer.closeAll();
        spool.abandon();
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
        return new CollectorStats(metrics.linesTotal(), metrics.bytesTotal(), (long) metrics.segmentsWritten.get(),
                (long) metrics.filesTracked.get(), metrics.errorTotal());
    }

    /** Null when healthy, else why not (for /healthz). */
    private String healthProblem() {
        if (!running) {
            return stopped ? "stopped" : "not started";
        }
        long stalled = System.nanoTime() - lastLoopNanos;
        if (stalled > Math.max(30_000_000_000L, 10 * config.tail().pollInterval().toNanos())) {
            return "tail loop stalled for " + stalled / 1_000_000_000L + " s";
        }
        return unhealthy;
    }

    /** The offsets last committed (for tests and diagnostics). */
    public List<CollectorState.FileState> committedFiles() {
        CollectorState c = committer == null ? null : committer.committed();
        return c == null ? List.of() : new ArrayList<>(c.files);
    }

    /** Where the kernel publishes the id of the current boot (the host's, also inside a container). */
    static final java.nio.file.Path BOOT_ID_FILE = java.nio.file.Path.of("/proc/sys/kernel/random/boot_id");

    /**
     * Segment headers carry the node's boot id: the job keys its replay positions by it, so a replacement node
     * that reuses this node's name and inode numbers is not taken for the old one.
     */
    static java.util.Map<String, String> withBootId(java.util.Map<String, String> attributes) {
        if (attributes.containsKey("boot_id")) {
            return attributes;
        }
        java.util.Map<String, String> withId = new java.util.LinkedHashMap<>(attributes);
        try {
            String id = java.nio.file.Files.readString(BOOT_ID_FILE).trim();
            if (!id.isEmpty()) {
                withId.put("boot_id", id);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the boot id from {} ({}); replay positions are keyed by device and inode only", BOOT_ID_FILE, e.toString());
        }
        return withId;
    }
}
