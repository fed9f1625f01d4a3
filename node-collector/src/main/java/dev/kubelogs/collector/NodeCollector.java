package dev.kubelogs.collector;

import dev.kubelogs.collector.journal.JournalReader;
import dev.kubelogs.collector.kubelet.KubeletPoller;
import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.metrics.MetricsServer;
import dev.kubelogs.collector.spool.SegmentSpool;
import dev.kubelogs.collector.tail.CollectorState;
import dev.kubelogs.collector.tail.CreateWatcher;
import dev.kubelogs.collector.tail.Discovery;
import dev.kubelogs.collector.tail.FileTailer;
import dev.kubelogs.collector.tail.StateStore;
import dev.kubelogs.collector.tail.TrackedFile;
import dev.kubelogs.spool.CorruptSegmentException;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.Segment;
import dev.kubelogs.spool.SegmentReader;
import dev.kubelogs.spool.SegmentWriter;
import dev.kubelogs.spool.SourceKind;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node collector: tails the node's logs and its journal (dataplane units; host logs too with HOST_LOGS=journald),
 * and optionally the kubelet's pod list, into a spool of immutable segments under {@code <spoolDir>/<cluster>/<node>/}.
 *
 * <p>Delivery: every record read goes into the open segment; a segment is closed by size or age, fsync'd, its
 * state (offsets, journal cursor, announced pods) written to {@code pending.json} and fsync'd, the segment renamed
 * to its final name and the directory fsync'd, then the state committed. A restart adopts the pending state iff
 * its segment exists (and reconciles with segment trailers if the state is older than the spool), so a crash at
 * any moment neither loses nor re-sends a line.
 *
 * <p>Threads: one tail thread owns the files, the spool and the state; the journal reader, the kubelet poller and
 * the watch service hand it work through queues. Thread-safe public methods.
 */
public final class NodeCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCollector.class);
    private static final long HOUSEKEEPING_NANOS = 1_000_000_000L;
    /** Container Insights' KUBE_TAG_TO_REGEX on the file name: pod, namespace, container, container id. */
    static final java.util.regex.Pattern CONTAINER_FILE = java.util.regex.Pattern.compile(
            "([a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)_([^_]+)_(.+)-([a-z0-9]{64})\\.log");

    private final CollectorConfig config;
    private final CollectorMetrics metrics = new CollectorMetrics();

    private SegmentSpool spool;
    private StateStore store;
    private FileTailer tailer;
    private JournalReader journal;
    private KubeletPoller kubelet;
    private dev.kubelogs.collector.spool.S3Uploader uploader;
    private MetricsServer http;
    private CreateWatcher watcher;
    private Thread tailThread;

    /** The last committed state (tail thread only after start). */
    private CollectorState committed;
    private final Map<String, String> announcedPods = new LinkedHashMap<>();
    private FileRef journalRef;
    private long journalOffset;
    private String journalCursor;
    private int journalFileId = -1;
    private long journalEpoch = -1;
    private long readTimeMillis;

    private final Object wakeLock = new Object();
    private boolean wakeRequested;
    private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
    private volatile boolean running;
    private volatile boolean stopped;
    private volatile String unhealthy;
    private volatile long lastLoopNanos = System.nanoTime();

    private long spoolBytes;
    private int spoolSegments;
    private boolean paused;
    /** Spool bytes the job can consume: all but the newest segment's (the job keeps a node's newest). */
    private long deletableSpoolBytes;
    private long newestSegmentBytes;
    private long pausedSinceNanos;
    private long nextHousekeepingNanos;
    private long lastSealedSeq = -1;
    /** Set while sealing or stopping: read what is there regardless of the spool limit (bounded by what exists). */
    private boolean finalDrain;

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
        return SpoolPaths.nodeDirectory(config.spoolDir(), config.cluster(), config.node());
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
        spool = new SegmentSpool(config.spoolDir(), config.cluster(), config.node(), withBootId(config.nodeAttributes()));
        store = new StateStore(config.stateDir(), config.cluster(), config.node());
        Discovery discovery = new Discovery(config.logRoot(), config.dockerContainersDir(), config.includeGlobs(),
                config.excludeGlobs(),
                config.hostLogs() == HostLogsMode.FILES ? config.hostFiles() : List.of());
        watcher = CreateWatcher.start(discovery, metrics, this::wake, "kubelogs-watch-" + config.node());
        tailer = new FileTailer(discovery, watcher, config.maxLineBytes(), config.rotateWait(), metrics);

        if (config.s3Uri() != null) {
            uploader = new dev.kubelogs.collector.spool.S3Uploader(config, spool, metrics, this::wake);
        }
        boolean firstStart = recover();
        if (uploader != null) {
            if (committed == null) {
                try {
                    long remote = uploader.highestRemoteSeq();
                    if (remote >= spool.nextSeq()) {
                        LOG.info("no local state, but S3 already holds segments up to {} for this node: continuing at {}", remote, remote + 1);
                        spool.setNextSeq(remote + 1);
                    }
                } catch (RuntimeException e) {
                    metrics.error("s3_list");
                    LOG.error("no local state and S3 could not be listed ({}); numbering starts at {} and may reuse keys of an "
                            + "earlier collector of this node", e.toString(), spool.nextSeq());
                }
            }
            uploader.start();
        }
        tailer.initialize(committed, firstStart, config.readFromHead());
        if (config.journalDir() != null) {
            // the dataplane units always come from the journal; HOST_LOGS=journald adds the host inputs
            CollectorState.JournalState js = committed == null ? null : committed.journal;
            journalRef = new FileRef(JournalReader.sourcePath(config.hostLogs()), 0,
                    JournalReader.inodeFor(config.journalDir()), 0, SourceKind.JOURNAL);
            journalOffset = js == null ? 0 : js.offset;
            journalCursor = js == null ? null : js.cursor;
            // read.tail applies to the journal's first start, also when an upgraded collector first reads it
            boolean fromTail = js == null && config.journalReadFromTail();
            journal = new JournalReader(config, metrics, journalCursor, fromTail, this::wake);
            journal.start();
        }
        if (config.kubeletEnabled()) {
            kubelet = new KubeletPoller(config, metrics, announcedPods, this::wake);
            kubelet.start();
            KubeletPoller k = kubelet;
            tailer.onNewContainerFile(path -> {
                java.util.regex.Matcher m = CONTAINER_FILE.matcher(path.substring(path.lastIndexOf('/') + 1));
                if (m.matches() && !k.knows(m.group(2), m.group(1))) {
                    k.requestRefresh(); // a pod we have no metadata for: ask now rather than at the next poll
                }
            });
        }
        if (config.httpServer()) {
            http = new MetricsServer(config.httpPort(), metrics, this::healthProblem);
            LOG.info("serving /metrics and /healthz on port {}", http.port());
        }
        running = true;
        tailThread = new Thread(this::loop, "kubelogs-tail-" + config.node());
        tailThread.setDaemon(true);
        tailThread.start();
    }

    /**
     * Loads the committed state, adopts a pending state whose segment is durable, reconciles with trailers of any
     * newer segments, deletes unfinished temp segments. Returns true if this is a first start (nothing known).
     */
    private boolean recover() throws IOException {
        spool.deleteTempFiles();
        if (spool.removeSealed()) {
            LOG.info("removed the 'sealed' marker of an earlier run: this node's collector is writing again");
        }
        StateStore.Loaded loaded = store.loadCommitted();
        if (loaded.problem() != null) {
            metrics.error("state_corrupt");
            LOG.error("{}; recovering positions from the spool's segment trailers", loaded.problem());
        }
        CollectorState state = loaded.state();
        StateStore.Loaded pending = store.loadPending();
        if (pending.problem() != null) {
            metrics.error("state_corrupt");
            LOG.error("{}", pending.problem());
        }
        List<Long> seqs = spool.listSegments();
        Set<Long> present = new HashSet<>(seqs);
        if (pending.state() != null) {
            long p = pending.state().committedSeq;
            if (present.contains(p) && (state == null || p > state.committedSeq)) {
                LOG.info("segment {} became durable before the last run committed its state: adopting its pending state", p);
                state = pending.state();
                store.commit(state);
            } else {
                store.deletePending();
            }
        }
        long committedSeq = state == null ? -1 : state.committedSeq;
        boolean reconciled = false;
        for (long seq : seqs) {
            if (seq <= committedSeq) {
                continue;
            }
            if (state == null) {
                state = new CollectorState();
                state.cluster = config.cluster();
                state.node = config.node();
            }
            reconcile(state, seq);
            reconciled = true;
        }
        if (reconciled) {
            store.commit(state);
        }
        long maxOnDisk = seqs.isEmpty() ? -1 : seqs.get(seqs.size() - 1);
        spool.setNextSeq(Math.max(committedSeq, maxOnDisk) + 1);
        committed = state;
        if (state != null) {
            announcedPods.putAll(state.pods);
            metrics.committedSeq.set(state.committedSeq);
            LOG.info("resuming after segment {}: {} files known, next segment {}", state.committedSeq, state.files.size(), spool.nextSeq());
        } else {
            LOG.info("first start on this node: read.head={} for files present now; later files are read from their head",
                    config.readFromHead() ? "On" : "Off");
        }
        rescanSpool();
        return state == null;
    }

    /** Applies a durable segment's trailer to the state (used when the state is older than the spool). */
    private void reconcile(CollectorState state, long seq) throws IOException {
        Path p = spool.segmentPath(seq);
        Segment seg;
        try {
            seg = SegmentReader.parse(Files.readAllBytes(p));
        } catch (CorruptSegmentException e) {
            metrics.error("corrupt_segment");
            Path aside = p.resolveSibling("." + p.getFileName() + ".corrupt");
            Files.move(p, aside);
            LOG.error("segment {} is corrupt ({}); moved aside to {}; its lines are re-read from the previous positions", p,
                    e.getMessage(), aside.getFileName());
            return;
        }
        for (Map.Entry<FileRef, Long> e : seg.endOffsets().entrySet()) {
            FileRef f = e.getKey();
            if (f.kind() == SourceKind.JOURNAL) {
                if (state.journal == null) {
                    state.journal = new CollectorState.JournalState();
                }
                state.journal.offset = e.getValue();
                state.journal.inode = f.inode();
                LOG.warn("the journal cursor of segment {} is not in the state; journal entries after the last committed cursor may be "
                        + "sent again", seq);
                continue;
            }
            state.files.removeIf(fs -> fs.device == f.device() && fs.inode == f.inode());
            CollectorState.FileState fs = new CollectorState.FileState();
            fs.path = f.path();
            fs.device = f.device();
            fs.inode = f.inode();
            fs.generation = f.generation();
            fs.kind = f.kind().name();
            fs.offset = e.getValue();
            state.files.add(fs);
        }
        state.committedSeq = seq;
        LOG.info("reconciled positions with the trailer of durable segment {} ({} files)", seq, seg.endOffsets().size());
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
            if (spool.openBytes() >= config.maxSegmentBytes()) {
                roll();
            }
            return !paused;
        }

        @Override
        public boolean accepting() {
            return !paused;
        }
    };

    private void loop() {
        long pollNanos = config.pollInterval().toNanos();
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
                    housekeeping(now);
                    // while paused, look for consumed segments at the poll rate so tailing resumes quickly
                    nextHousekeepingNanos = now + (paused ? pollNanos : HOUSEKEEPING_NANOS);
                }
                boolean progress = false;
                boolean woken;
                synchronized (wakeLock) {
                    woken = wakeRequested;
                    wakeRequested = false;
                }
                // discovery goes on while paused: a file opened now keeps what a rotation or a deletion during the
                // pause would otherwise take away before tailing resumes
                if (now >= nextDiscovery || woken) {
                    tailer.discover();
                    nextDiscovery = now + pollNanos;
                }
                if (!paused) {
                    progress |= drainPods();
                    progress |= drainJournal(4096);
                    progress |= tailer.readPass(sink);
                    tailer.releaseFinished(sink);
                }
                if (spool.isOpen() && System.nanoTime() - spool.openedAtNanos() >= config.maxSegmentAge().toNanos()) {
                    roll();
                }
                if (!progress) {
                    long wait = Math.min(pollNanos, Math.max(0, nextDiscovery - System.nanoTime()));
                    if (spool.isOpen()) {
                        wait = Math.min(wait, spool.openedAtNanos() + config.maxSegmentAge().toNanos() - System.nanoTime());
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
            tailer.initialize(committed, false, true);
            announcedPods.clear();
            if (committed != null) {
                announcedPods.putAll(committed.pods);
            }
            if (kubelet != null) {
                kubelet.resetAnnounced(announcedPods);
            }
            if (journal != null) {
                CollectorState.JournalState js = committed == null ? null : committed.journal;
                journalOffset = js == null ? 0 : js.offset;
                journalCursor = js == null ? null : js.cursor;
                journal.restartAt(journalCursor);
            }
        } catch (Throwable t) {
            metrics.error("recover");
            LOG.error("could not rewind to the committed state; will retry", t);
        }
    }

    private boolean drainPods() throws IOException {
        if (kubelet == null) {
            return false;
        }
        boolean any = false;
        KubeletPoller.PodRecord r;
        while ((r = kubelet.poll()) != null) {
            SegmentWriter w = spool.writer(readTimeMillis);
            w.readTime(readTimeMillis);
            w.podMetadata(r.json());
            metrics.podRecords.inc();
            if (r.hash() == null) {
                announcedPods.remove(r.key());
            } else {
                announcedPods.put(r.key(), r.hash());
            }
            any = true;
            sink.afterLine();
        }
        return any;
    }

    private boolean drainJournal(int max) throws IOException {
        if (journal == null) {
            return false;
        }
        int n = 0;
        JournalReader.Entry e;
        while (n < max && (e = journal.poll()) != null) {
            n++;
            if (!writeJournalEntry(e)) {
                break;
            }
        }
        return n > 0;
    }

    /** Spools one journal entry; false when tailing should pause (the spool is full). */
    private boolean writeJournalEntry(JournalReader.Entry e) throws IOException {
        SegmentWriter w = spool.writer(readTimeMillis);
        if (journalEpoch != spool.epoch()) {
            journalFileId = w.declareFile(journalRef, journalOffset);
            journalEpoch = spool.epoch();
        }
        w.readTime(readTimeMillis);
        w.line(journalFileId, e.json(), 0, e.json().length, 0);
        journalOffset++;
        journalCursor = e.cursor();
        metrics.records(CollectorMetrics.JOURNAL).inc();
        metrics.bytes(CollectorMetrics.JOURNAL).inc(e.json().length + 1);
        return sink.afterLine();
    }

    /** Closes the open segment durably and commits the state that it covers. */
    private void roll() throws IOException {
        if (!spool.isOpen()) {
            return;
        }
        long seq = spool.openSeq();
        spool.sync();
        CollectorState s = snapshot(seq);
        store.writePending(s);
        long bytes = spool.openBytes();
        spool.publish();
        store.commit(s);
        committed = s;
        metrics.segmentsWritten.inc();
        metrics.segmentBytesWritten.inc(bytes);
        metrics.committedSeq.set(seq);
        if (uploader != null) {
            uploader.wake();
        }
        spoolBytes += bytes;
        deletableSpoolBytes += newestSegmentBytes;
        newestSegmentBytes = bytes;
        spoolSegments++;
        metrics.spoolBytes.set(spoolBytes);
        metrics.spoolSegments.set(spoolSegments);
        checkBackpressure();
    }

    private CollectorState snapshot(long seq) {
        CollectorState s = new CollectorState();
        s.cluster = config.cluster();
        s.node = config.node();
        s.committedSeq = seq;
        s.files = tailer.snapshot();
        s.retired = tailer.retiredSnapshot();
        s.pods = new LinkedHashMap<>(announcedPods);
        if (journalRef != null) {
            s.journal = new CollectorState.JournalState();
            s.journal.cursor = journalCursor;
            s.journal.offset = journalOffset;
            s.journal.inode = journalRef.inode();
        }
        return s;
    }

    /** Rescans the spool's size, applies retention, and updates back-pressure. */
    private void housekeeping(long now) throws IOException {
        rescanSpool();
        checkBackpressure();
        if (paused) {
            long t = System.nanoTime();
            metrics.backpressureSeconds.inc(Math.max(0, t - pausedSinceNanos) / 1e9);
            pausedSinceNanos = t;
        }
    }

    private void rescanSpool() throws IOException {
        long bytes = 0;
        int count = 0;
        long newestSeq = -1;
        long newestBytes = 0;
        long cutoff = System.currentTimeMillis() - config.spoolRetention().toMillis();
        Path dir = spool.directory();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SpoolPaths.SEGMENT_SUFFIX)) {
            for (Path p : ds) {
                if (SpoolPaths.parseSegmentSeq(p.getFileName().toString()).isEmpty()) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue; // consumed and deleted by the job meanwhile
                }
                if (a.lastModifiedTime().toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                    metrics.segmentsExpired.inc();
                    LOG.warn("deleted segment {} older than the spool retention {} although it was not confirmed as consumed",
                            p.getFileName(), config.spoolRetention());
                    continue;
                }
                bytes += a.size();
                count++;
                long seq = SpoolPaths.parseSegmentSeq(p.getFileName().toString()).getAsLong();
                if (seq > newestSeq) {
                    newestSeq = seq;
                    newestBytes = a.size();
                }
            }
        }
        // the job never deletes a node's newest segment (the numbering continues from it), so it cannot count
        // towards the limit: a newest segment over the limit alone would pause tailing for good
        deletableSpoolBytes = bytes - newestBytes;
        newestSegmentBytes = newestBytes;
        spoolBytes = bytes;
        spoolSegments = count;
        metrics.spoolBytes.set(bytes);
        metrics.spoolSegments.set(count);
    }

    private void checkBackpressure() {
        boolean full = deletableSpoolBytes >= config.maxSpoolBytes() && !finalDrain;
        if (full && !paused) {
            paused = true;
            pausedSinceNanos = System.nanoTime();
            nextHousekeepingNanos = pausedSinceNanos + config.pollInterval().toNanos();
            metrics.backpressure.set(1);
            LOG.warn("spool {} holds {} bytes >= limit {}: tailing paused until the job consumes segments (nothing is dropped)",
                    spool.directory(), spoolBytes, config.maxSpoolBytes());
        } else if (!full && paused) {
            paused = false;
            metrics.backpressureSeconds.inc(Math.max(0, System.nanoTime() - pausedSinceNanos) / 1e9);
            metrics.backpressure.set(0);
            LOG.info("spool below its limit again ({} bytes): tailing resumed", spoolBytes);
        }
    }

    private void execute(Kind kind) throws IOException {
        readTimeMillis = System.currentTimeMillis();
        finalDrain = true;
        paused = false;
        if (kind == Kind.SEAL) {
            stopInputs();
            tailer.discover();
            while (tailer.readPass(sink)) {
                readTimeMillis = System.currentTimeMillis();
            }
            // sealed means read for the last time here: a last line still without its newline leaves as it is
            tailer.emitUnterminatedLines(sink);
            drainPods();
            if (journal != null) {
                journal.drainToEnd(this::writeJournalEntry);
            }
            if (!spool.isOpen() && spool.listSegments().isEmpty() && committed == null) {
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
            drainPods();
            drainJournal(Integer.MAX_VALUE);
            roll();
            LOG.info("stopped; offsets committed up to segment {}", committed == null ? -1 : committed.committedSeq);
        }
    }

    private void stopInputs() {
        if (journal != null) {
            journal.close();
        }
        if (kubelet != null) {
            kubelet.close();
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
        if (stalled > Math.max(30_000_000_000L, 10 * config.pollInterval().toNanos())) {
            return "tail loop stalled for " + stalled / 1_000_000_000L + " s";
        }
        return unhealthy;
    }

    /** The offsets last committed (for tests and diagnostics). */
    public List<CollectorState.FileState> committedFiles() {
        CollectorState c = committed;
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
