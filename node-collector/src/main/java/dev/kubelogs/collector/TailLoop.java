package dev.kubelogs.collector;

import dev.kubelogs.collector.commit.SpoolCommitter;
import dev.kubelogs.collector.journal.JournalDrain;
import dev.kubelogs.collector.journal.JournalReader;
import dev.kubelogs.collector.kubelet.KubeletPoller;
import dev.kubelogs.collector.kubelet.PodDrain;
import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.schedule.DirectoryScheduleSource;
import dev.kubelogs.collector.schedule.DiscoverySchedule;
import dev.kubelogs.collector.schedule.SchedulePoller;
import dev.kubelogs.collector.schedule.ScheduleSource;
import dev.kubelogs.collector.schedule.ScheduledRolls;
import dev.kubelogs.collector.spool.KinesisPublisher;
import dev.kubelogs.collector.spool.S3Uploader;
import dev.kubelogs.collector.spool.SegmentShipper;
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
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tail thread's work: moves the node's inputs (files, journal entries, pod records) into the spool's open
 * segment, rolls segments by size, and by age or at the job's discovery schedule ({@link ScheduledRolls}), through
 * the {@link SpoolCommitter}, pauses under back-pressure, and drains everything for a stop or a seal.
 * {@link NodeCollector} runs it on its thread. Tail thread only, except {@link #committed()}.
 */
final class TailLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TailLoop.class);
    private static final long HOUSEKEEPING_NANOS = 1_000_000_000L;
    /**
     * Housekeeping's cadence while the spool holds less than half its limit by the count since the last rescan
     * (which still includes segments consumed since): only a spool near its limit needs its size to the second.
     */
    private static final long HOUSEKEEPING_RELAXED_NANOS = 5_000_000_000L;
    /**
     * Discovery's own cadence when nothing woke the loop: the watcher reports creations at once, so listing the
     * directories is only the fallback (Fluent Bit lists every Refresh_Interval, 10 s) and need not run at every poll.
     */
    private static final long DISCOVERY_FALLBACK_NANOS = 1_000_000_000L;

    private static final Duration SEAL_UPLOAD_WAIT = Duration.ofMinutes(2);
    private static final int JOURNAL_ENTRIES_PER_PASS = 4096;

    private final CollectorConfig config;
    private final CollectorMetrics metrics;
    private final long pollNanos;
    private final ScheduledRolls rolls;
    private SegmentSpool spool;
    private SpoolCommitter committer;
    private SpoolPressure pressure;
    private CreateWatcher watcher;
    private FileTailer tailer;
    private JournalDrain journal;
    private PodDrain pods;
    private SegmentShipper uploader;
    /** Null when the schedule is not read (DISCOVERY_SCHEDULE_POLL=0, Kinesis): segments roll by age. */
    private SchedulePoller schedule;

    private long readTimeMillis;
    /**
     * The start of the last pass that read every tracked file to its end (no backlog, not paused), or -1: every line
     * written before it is in a segment rolled since or in the open one. Each segment's trailer states it, so the job
     * can tell a stream that went quiet from one whose next line is still on its way.
     */
    private long caughtUpMillis = -1;

    private long nextHousekeepingNanos;
    private long nextDiscoveryNanos;

    private TailLoop(CollectorConfig config, CollectorMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.pollNanos = config.tail().pollInterval().toNanos();
        this.rolls = new ScheduledRolls(
                config.spool().maxSegmentAge(), config.schedule().rollLead());
    }

    /**
     * Recovers the spool and the state, positions every input at the committed state and starts the input threads
     * (watch service, journal reader, kubelet poller, S3 uploader), which call {@code wake} when they have work.
     */
    static TailLoop open(
            CollectorConfig config, Map<String, String> segmentAttributes, CollectorMetrics metrics, Runnable wake)
            throws IOException {
        TailLoop t = new TailLoop(config, metrics);
        t.spool = new SegmentSpool(config.spool().spoolDir(), config.cluster(), config.node(), segmentAttributes);
        TailSettings tail = config.tail();
        Discovery discovery = new Discovery(
                tail.logRoot(),
                tail.dockerContainersDir(),
                tail.includeGlobs(),
                tail.excludeGlobs(),
                config.hostLogs() == HostLogsMode.FILES ? tail.hostFiles() : List.of());
        t.watcher = CreateWatcher.start(discovery, metrics, wake, "kubelogs-watch-" + config.node());
        t.tailer = new FileTailer(discovery, t.watcher, tail.maxLineBytes(), tail.rotateWait(), metrics);
        S3Uploader s3 = null;
        if (config.s3().enabled()) {
            s3 = new S3Uploader(config.s3(), config.cluster(), config.node(), t.spool, metrics, wake);
            t.uploader = s3;
        } else if (config.kinesis().enabled()) {
            t.uploader =
                    new KinesisPublisher(config.kinesis(), config.cluster(), config.node(), t.spool, metrics, wake);
        }
        t.committer = new SpoolCommitter(
                t.spool,
                new StateStore(config.spool().stateDir(), config.cluster(), config.node()),
                config.cluster(),
                config.node(),
                config.spool().retention(),
                metrics,
                t::addPositions,
                t::segmentPublished);
        t.pressure = new SpoolPressure(t.spool.directory(), config.spool().maxSpoolBytes(), metrics);
        CollectorState committed = t.committer.recover();
        if (committed == null) {
            LOG.info(
                    "first start on this node: read.head={} for files present now; later files are read from their "
                            + "head",
                    tail.readFromHead() ? "On" : "Off");
        }
        if (s3 != null && committed == null) {
            s3.continueNumbering(t.spool);
        }
        if (t.uploader != null) {
            t.uploader.start();
        }
        ScheduleSource scheduleSource = s3 != null
                ? s3.scheduleSource()
                : config.kinesis().enabled()
                        ? null
                        : new DirectoryScheduleSource(config.spool().spoolDir());
        if (scheduleSource != null && config.schedule().enabled()) {
            t.schedule = new SchedulePoller(scheduleSource, config.schedule().pollInterval(), metrics);
            t.schedule.start();
        }
        t.tailer.initialize(committed, committed == null, tail.readFromHead());
        if (config.journal().enabled()) {
            // the dataplane units always come from the journal; HOST_LOGS=journald adds the host inputs
            CollectorState.JournalState js = committed == null ? null : committed.journal;
            FileRef ref = new FileRef(
                    JournalReader.sourcePath(config.hostLogs()),
                    0,
                    JournalReader.inodeFor(config.journal().dir()),
                    0,
                    SourceKind.JOURNAL);
            // read.tail applies to the journal's first start, also when an upgraded collector first reads it
            boolean fromTail = js == null && config.journal().readFromTail();
            JournalReader reader =
                    new JournalReader(config.journal(), metrics, js == null ? null : js.cursor, fromTail, wake);
            t.journal = new JournalDrain(reader, ref, js, t.spool, metrics);
            reader.start();
        }
        Map<String, String> committedPods = committed == null ? Map.of() : committed.pods;
        KubeletPoller poller = null;
        if (config.kubelet().enabled()) {
            poller = new KubeletPoller(config.kubelet(), metrics, committedPods, wake);
            poller.start();
            t.tailer.onNewContainerFile(path -> t.pods.onNewContainerFile(path));
        }
        t.pods = new PodDrain(poller, committedPods, t.spool, metrics);
        return t;
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

    private void segmentPublished() {
        if (uploader != null) {
            uploader.wake();
        }
    }

    /** The last committed state, or null before the first commit of a first start. Any thread. */
    CollectorState committed() {
        return committer.committed();
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
                rolls.sizeRolled();
            }
            return !pressure.paused();
        }

        @Override
        public boolean accepting() {
            return !pressure.paused();
        }
    };

    /**
     * One pass: housekeeping when due, discovery when due or {@code woken}, then whatever the inputs have, and a
     * roll when the open segment is old enough or at a roll point of the job's discovery schedule. Returns true if an
     * input has more ready than one pass takes (a file beyond its one buffer, the journal beyond its entries per
     * pass): call again at once. Otherwise what was written while this pass read is left to the next poll, as it
     * would be had it been written just after the pass.
     */
    boolean pass(boolean woken) throws IOException {
        long now = System.nanoTime();
        readTimeMillis = System.currentTimeMillis();
        if (now >= nextHousekeepingNanos) {
            nextHousekeepingNanos = Long.MAX_VALUE; // housekeeping schedules the next one (checkBackpressure)
            housekeeping();
        }
        // discovery goes on while paused: a file opened now keeps what a rotation or a deletion during the pause
        // would otherwise take away before tailing resumes
        if (now >= nextDiscoveryNanos || woken) {
            tailer.discover();
            nextDiscoveryNanos = now + Math.max(pollNanos, DISCOVERY_FALLBACK_NANOS);
        }
        boolean more = false;
        if (!pressure.paused()) {
            pods.drain(readTimeMillis, sink);
            more = drainJournal(JOURNAL_ENTRIES_PER_PASS) && journal.stoppedAtMax();
            tailer.readPass(sink);
            more |= tailer.backlog();
            if (!tailer.backlog() && !pressure.paused()) {
                caughtUpMillis = readTimeMillis;
            }
            tailer.releaseFinished(sink);
        }
        switch (rolls.decide(currentSchedule(), System.currentTimeMillis(), openAgeNanos())) {
            case AGE -> roll();
            case SCHEDULE -> {
                roll();
                metrics.scheduleRolls.inc();
            }
            case NONE -> {}
        }
        return more && !pressure.paused();
    }

    /** After a pass that left nothing ready: how long to wait for work before the next poll, discovery or roll. */
    long idleNanos() {
        long wait = Math.min(pollNanos, Math.max(0, nextDiscoveryNanos - System.nanoTime()));
        if (spool.isOpen()) {
            wait = Math.min(wait, rolls.nanosUntilRoll(currentSchedule(), System.currentTimeMillis(), openAgeNanos()));
        }
        return wait;
    }

    /** True while segments roll at the job's discovery schedule rather than by age (as of the last pass). */
    boolean followsSchedule() {
        return rolls.following();
    }

    private DiscoverySchedule currentSchedule() {
        return schedule == null ? null : schedule.current();
    }

    /** The open segment's age on the monotonic clock, or -1 when none is open. */
    private long openAgeNanos() {
        return spool.isOpen() ? System.nanoTime() - spool.openedAtNanos() : -1;
    }

    /** After an error: drop the open segment and rewind every input to the committed state. */
    void rewindToCommitted() {
        spool.abandon();
        caughtUpMillis = -1;
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
        committer.roll(caughtUpMillis);
        checkBackpressure();
    }

    /** Rescans the spool's size, applies retention, and updates back-pressure. */
    private void housekeeping() throws IOException {
        committer.rescan();
        checkBackpressure();
        pressure.countPausedTime();
    }

    /**
     * Updates back-pressure and brings the next housekeeping forward to when it is due: while paused at the poll rate
     * (consumed segments let tailing resume quickly), otherwise at {@link #housekeepingInterval}.
     */
    private void checkBackpressure() {
        pressure.update(committer.deletableSpoolBytes());
        long due = System.nanoTime() + (pressure.paused() ? pollNanos : housekeepingInterval());
        nextHousekeepingNanos = Math.min(nextHousekeepingNanos, due);
    }

    private long housekeepingInterval() {
        return committer.deletableSpoolBytes() < config.spool().maxSpoolBytes() / 2
                ? HOUSEKEEPING_RELAXED_NANOS
                : HOUSEKEEPING_NANOS;
    }

    /**
     * Stops the inputs, reads every tracked file to its end (a last line without its newline too: it is read here
     * for the last time), the pods and the journal, closes the segment durably, writes the {@code sealed} marker and
     * waits up to 2 minutes for the uploads. Returns the sealed seq.
     */
    long seal() throws IOException {
        readTimeMillis = System.currentTimeMillis();
        pressure.finalDrain();
        stopInputs();
        tailer.discover();
        while (tailer.readPass(sink)) {
            readTimeMillis = System.currentTimeMillis();
        }
        caughtUpMillis = readTimeMillis; // every file read to its end, the last line without a newline too
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
        if (uploader != null) {
            uploader.wake();
            boolean uploaded;
            try {
                uploaded = uploader.awaitIdle(SEAL_UPLOAD_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                uploaded = uploader.idle();
            }
            if (!uploaded) {
                LOG.warn("sealed locally, but not every segment was shipped within 2 minutes; they are shipped on the "
                        + "next start");
            }
        }
        LOG.info("drained and sealed {} at segment {}", spool.directory(), last);
        return last;
    }

    /** Stops the inputs, spools what they have read, and closes the segment durably (no seal). */
    void stop() throws IOException {
        readTimeMillis = System.currentTimeMillis();
        pressure.finalDrain();
        stopInputs();
        pods.drain(readTimeMillis, sink);
        drainJournal(Integer.MAX_VALUE);
        roll();
        CollectorState committed = committer.committed();
        LOG.info("stopped; offsets committed up to segment {}", committed == null ? -1 : committed.committedSeq);
    }

    private void stopInputs() {
        if (journal != null) {
            journal.close();
        }
        if (pods != null) {
            pods.close();
        }
    }

    /** Ends every input thread and drops an open segment (the end of the tail thread). */
    void finish() {
        stopInputs();
        if (schedule != null) {
            schedule.close(); // before the uploader: an S3 schedule is read with its client
        }
        if (uploader != null) {
            uploader.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        tailer.closeAll();
        spool.abandon();
    }
}
