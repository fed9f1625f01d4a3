package dev.kubelogs.job.source;

import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each node's closed segments, in seq order, to the one reader that owns the node.
 *
 * <p>A node is owned by the reader whose subtask the keyed stage gives the node's key group ({@link NodeOwnership}), so
 * all lines of a node travel one reader, in file order, and that reader's subtask of the keyed stage can be chained
 * to it. A reader gets up to {@code segmentsPerAssignment} segments in one assignment and asks again only once it
 * finished them all ({@link SplitRequestsWhenDrained}): one request and one assignment, each an RPC between a
 * TaskManager and the JobManager, per batch instead of per segment, and the enumerator knows which segments are fully
 * read — which is what lets it delete segments once a checkpoint covering them completes.
 *
 * <p>The source {@linkplain org.apache.flink.api.connector.source.SupportsSplitReassignmentOnRecovery reassigns on
 * recovery}: a restored reader does not read what it held at the checkpoint but reports it when it registers, and
 * it goes to the node's owner — after a change of parallelism, another reader.
 *
 * <p>With {@link NodeOwnership#anyReader()} any reader takes any node's next segment: a few busy nodes then use every
 * reader, and consecutive segments of one node may be read at once by different readers — the keyed
 * stage puts them back in seq order.
 *
 * <p>Discovery looks at the spool every interval through a {@link SpoolListing}: on S3 one paginated LIST of the
 * whole spool ({@link S3SpoolListing}), else directory by directory. Deleting consumed segments takes their names
 * from the last listing, so it lists nothing itself. With a timer of its own, discovery runs when its {@link
 * DiscoverySchedule} says: a lead before each expected checkpoint trigger while triggers are regular, so what it finds
 * is read before that checkpoint's barrier; Flink's {@code callAsync} can only repeat at a phase fixed when it is
 * first called.
 *
 * <p>State: the next seq per node (O(nodes)) plus splits given back by failed readers.
 */
final class SpoolSplitEnumerator implements SplitEnumerator<FileSourceSplit, SpoolEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolSplitEnumerator.class);

    private final SplitEnumeratorContext<FileSourceSplit> context;
    private final Path root;
    private final SpoolListing listing;
    private final Duration discoveryInterval;
    /** Replaced when the checkpoint interval changes with the spool's pace. */
    private DiscoverySchedule schedule;
    /** Runs discovery when {@link #schedule} says; null: discovery on Flink's fixed-rate {@code callAsync}. */
    private final ScheduledExecutorService discoveryTimer;

    private final LongSupplier clockMillis;
    private final boolean boundedUntilSealed;
    private final boolean deleteConsumed;
    private final NodeOwnership ownership;
    private final int segmentsPerAssignment;
    /** Null: checkpoints at one interval whatever the spool's pace. */
    private final QuietSpool quietSpool;

    private final SpoolPace pace;

    private final Map<String, NodeProgress> nodes = new TreeMap<>();
    private final Set<Integer> waitingReaders = new LinkedHashSet<>();
    /** The splits each reader is working on, by subtask (only what this enumerator assigned). */
    private final Map<Integer, List<FileSourceSplit>> inFlight = new HashMap<>();
    /**
     * Segments handed to deletion and not deleted yet: a listing taken meanwhile still names them, and they must not be
     * handed again (deleting a missing key costs S3 requests too).
     */
    private final Set<Path> deleting = new HashSet<>();
    /** Per checkpoint, per node: segments below this seq are fully read once that checkpoint completes. */
    private final TreeMap<Long, Map<String, Long>> deletableAtCheckpoint = new TreeMap<>();

    private boolean discoveredOnce;
    private boolean listingInFlight;
    /** When the last discovery on {@link #discoveryTimer} was due. */
    private long lastDiscoveryDue;
    /** The next discovery on {@link #discoveryTimer} (null before the first), and when it is due. */
    private ScheduledFuture<?> plannedDiscovery;

    private long plannedDiscoveryDue;
    /** Tells the collectors when discovery runs ahead of a checkpoint; null while discovery has its own timer. */
    private final DiscoverySchedulePublisher publisher;

    private boolean scheduleWriteInFlight;
    /** Failed writes of the schedule since the last one that succeeded: the first is logged, the rest counted. */
    private long scheduleWriteFailures;

    private boolean discoveryAligned;
    private boolean closed;

    SpoolSplitEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context,
            Path root,
            Duration discoveryInterval,
            boolean boundedUntilSealed,
            boolean deleteConsumed,
            NodeOwnership ownership,
            int segmentsPerAssignment,
            SpoolEnumeratorState restored) {
        this(
                context,
                root,
                new DirectorySpoolListing(root),
                DiscoverySchedule.every(discoveryInterval),
                null,
                SpoolSplitEnumerator::monotonicMillis,
                boundedUntilSealed,
                deleteConsumed,
                ownership,
                segmentsPerAssignment,
                null,
                restored);
    }

    /**
     * @param discoveryTimer runs discovery at the times {@code schedule} gives on {@code clockMillis}, and is shut down
     *     with this enumerator; null: discovery every interval on the context's timer
     * @param quietSpool when to ask for the longer checkpoint interval; null: never
     */
    SpoolSplitEnumerator(
            SplitEnumeratorContext<FileSourceSplit> context,
            Path root,
            SpoolListing listing,
            DiscoverySchedule schedule,
            ScheduledExecutorService discoveryTimer,
            LongSupplier clockMillis,
            boolean boundedUntilSealed,
            boolean deleteConsumed,
            NodeOwnership ownership,
            int segmentsPerAssignment,
            QuietSpool quietSpool,
            SpoolEnumeratorState restored) {
        if (segmentsPerAssignment < 1) {
            throw new IllegalArgumentException(
                    "segmentsPerAssignment must be at least 1, was " + segmentsPerAssignment);
        }
        this.context = context;
        this.root = root;
        this.listing = listing;
        this.schedule = schedule;
        this.discoveryInterval = Duration.ofMillis(schedule.intervalMillis());
        this.discoveryTimer = discoveryTimer;
        this.clockMillis = clockMillis;
        this.boundedUntilSealed = boundedUntilSealed;
        this.deleteConsumed = deleteConsumed;
        this.ownership = ownership;
        this.segmentsPerAssignment = segmentsPerAssignment;
        this.quietSpool = quietSpool;
        this.publisher = discoveryTimer == null ? null : new DiscoverySchedulePublisher(System::currentTimeMillis);
        this.pace = quietSpool == null ? null : quietSpool.pace();
        restored.nextSeqByNode().forEach((node, next) -> {
            NodeProgress p = progress(node);
            p.nextFresh = next;
            p.lastAssigned = next - 1;
        });
        for (FileSourceSplit split : restored.returnedSplits()) {
            giveBack(split);
        }
    }

    /** The clock discovery is scheduled on: monotonic, as {@link DiscoverySchedule} needs. */
    static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public void start() {
        if (pace != null) {
            // a pace starts busy; the coordinator outlives this enumerator across a restart and may still hold the
            // backlog its predecessor reported
            context.setIsProcessingBacklog(false);
        }
        if (discoveryTimer == null) {
            context.callAsync(listing::list, this::onListing, 0L, discoveryInterval.toMillis());
        } else {
            discover(clockMillis.getAsLong());
        }
    }

    /** The discovery due at {@code due}: plans the next one, then lists unless the last listing is still running. */
    private void discover(long due) {
        if (closed) {
            return;
        }
        long now = clockMillis.getAsLong();
        logWhenAlignmentChanges(now);
        lastDiscoveryDue = due;
        plan(schedule.nextAfter(due, now), now);
        if (!listingInFlight) {
            listingInFlight = true;
            context.callAsync(listing::list, this::onListing);
        }
        publishSchedule(due, now);
    }

    private void plan(long due, long now) {
        plannedDiscoveryDue = due;
        plannedDiscovery = discoveryTimer.schedule(
                () -> context.runInCoordinatorThread(() -> discover(due)), due - now, TimeUnit.MILLISECONDS);
    }

    /**
     * Busy again after a quiet spool, whose discoveries came only before its longer checkpoints: the one planned that
     * far ahead comes an interval after the last instead, before the shorter checkpoints that follow.
     */
    private void planWithinAnInterval() {
        if (plannedDiscovery == null || closed) {
            return;
        }
        long due = lastDiscoveryDue + schedule.intervalMillis();
        if (plannedDiscoveryDue > due && plannedDiscovery.cancel(false)) {
            long now = clockMillis.getAsLong();
            plan(Math.max(due, now), now);
        }
    }

    /** Writes the discovery schedule for the collectors when it changed or is due again, off this thread. */
    private void publishSchedule(long due, long now) {
        if (scheduleWriteInFlight) {
            return;
        }
        byte[] json = publisher.update(schedule.nextAlignedAfter(due, now), schedule.alignedPeriodMillis(), now);
        if (json == null) {
            return;
        }
        scheduleWriteInFlight = true;
        context.callAsync(
                () -> {
                    listing.writeSchedule(json);
                    return null;
                },
                (ignored, failure) -> {
                    scheduleWriteInFlight = false;
                    if (failure == null) {
                        if (scheduleWriteFailures > 0) {
                            LOG.info(
                                    "Wrote the spool's {} after {} failed attempt(s)",
                                    DiscoverySchedulePublisher.OBJECT_NAME,
                                    scheduleWriteFailures);
                        }
                        scheduleWriteFailures = 0;
                        return;
                    }
                    publisher.writeFailed();
                    if (scheduleWriteFailures++ == 0) {
                        LOG.warn(
                                "Could not write the spool's {} (collectors roll segments by age until it is "
                                        + "written); retrying at each discovery, logged again once it succeeds",
                                DiscoverySchedulePublisher.OBJECT_NAME,
                                failure);
                    }
                });
    }

    private void logWhenAlignmentChanges(long now) {
        boolean aligned = schedule.alignedAt(now);
        if (aligned != discoveryAligned) {
            discoveryAligned = aligned;
            if (aligned) {
                LOG.info(
                        "Checkpoints are triggered regularly: spool discovery runs {} ms before each",
                        schedule.leadMillis());
            } else {
                LOG.info(
                        "Checkpoint triggers are irregular: spool discovery every {} on its own timer",
                        discoveryInterval);
            }
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // a request means the reader finished all it had (it asks only once drained)
        inFlight.remove(subtaskId);
        waitingReaders.add(subtaskId);
        assignToWaitingReaders();
    }

    @Override
    public void addSplitsBack(List<FileSourceSplit> splits, int subtaskId) {
        LOG.info("Reader {} gave back {} segment(s); they will be read again", subtaskId, splits.size());
        inFlight.remove(subtaskId);
        splits.forEach(this::giveBack);
    }

    @Override
    public void addReader(int subtaskId) {
        // a restored reader reads nothing it held at the checkpoint: it reports it here, for the node's owner to read
        List<FileSourceSplit> held = context.registeredReaders().get(subtaskId).getReportedSplitsOnRegistration();
        if (!held.isEmpty()) {
            LOG.info(
                    "Reader {} held {} segment(s) at the restored checkpoint; their owners read them",
                    subtaskId,
                    held.size());
            held.forEach(this::giveBack);
        }
        inFlight.remove(subtaskId);
        // readers ask for work themselves
    }

    @Override
    public SpoolEnumeratorState snapshotState(long checkpointId) {
        // the coordinator snapshots its enumerator when the checkpoint is triggered, before any barrier
        schedule.checkpointTriggered(clockMillis.getAsLong());
        Map<String, Long> next = new TreeMap<>();
        List<FileSourceSplit> returned = new ArrayList<>();
        Map<String, Long> deletable = new HashMap<>();
        for (Map.Entry<String, NodeProgress> e : nodes.entrySet()) {
            NodeProgress p = e.getValue();
            next.put(e.getKey(), p.nextFresh);
            long lowestUnfinished = p.nextFresh;
            for (Map.Entry<Long, FileSourceSplit> pending : p.pending.entrySet()) {
                if (pending.getKey() < p.nextFresh) {
                    returned.add(pending.getValue());
                }
                lowestUnfinished = Math.min(lowestUnfinished, pending.getKey());
            }
            deletable.put(e.getKey(), lowestUnfinished);
        }
        for (List<FileSourceSplit> splits : inFlight.values()) {
            for (FileSourceSplit split : splits) {
                SegmentRef ref = SegmentRef.of(split.path());
                deletable.computeIfPresent(ref.nodeKey, (k, v) -> Math.min(v, ref.seq));
            }
        }
        if (deleteConsumed && allReadersRegistered()) {
            deletableAtCheckpoint.put(checkpointId, deletable);
        }
        return new SpoolEnumeratorState(next, returned);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        Map<String, Long> deleteBelow = null;
        while (!deletableAtCheckpoint.isEmpty() && deletableAtCheckpoint.firstKey() <= checkpointId) {
            deleteBelow = deletableAtCheckpoint.pollFirstEntry().getValue();
        }
        if (deleteBelow != null) {
            List<Path> consumed = consumedSegments(deleteBelow);
            if (!consumed.isEmpty()) {
                deleting.addAll(consumed);
                context.callAsync(() -> delete(consumed), (deleted, error) -> {
                    consumed.forEach(deleting::remove);
                    if (error != null) {
                        LOG.warn("Could not delete consumed spool segments", error);
                    }
                });
            }
        }
    }

    /**
     * The segments below {@code deleteBelow} per node that the last discovery saw, but a node's newest one: a collector
     * that lost its state (a replaced node reusing the name) continues numbering after it instead of starting again
     * at 0 below what was read. They come from discovery's listing, not a listing of their own, so that deleting
     * costs no S3 LIST per node and checkpoint; a segment discovery has not seen yet is deleted after a later one.
     */
    private List<Path> consumedSegments(Map<String, Long> deleteBelow) {
        List<Path> consumed = new ArrayList<>();
        for (Map.Entry<String, Long> e : deleteBelow.entrySet()) {
            NodeProgress p = nodes.get(e.getKey());
            if (p == null || p.listed.isEmpty()) {
                continue;
            }
            long keep = p.listed.lastKey();
            Map<Long, Path> below = p.listed.headMap(Math.min(e.getValue(), keep));
            consumed.addAll(below.values());
            below.clear();
        }
        return consumed;
    }

    @Override
    public void close() {
        closed = true;
        if (discoveryTimer != null) {
            discoveryTimer.shutdownNow();
        }
        listing.close();
    }

    // ---- assignment (coordinator thread); discovery's listing runs on a worker thread ----

    private void onListing(Map<String, SpoolListing.Node> listings, Throwable error) {
        listingInFlight = false;
        if (error != null) {
            LOG.warn("Listing the spool at {} failed; retrying in {}", root, discoveryInterval, error);
            return;
        }
        discoveredOnce = true;
        long newBytes = 0;
        for (NodeProgress p : nodes.values()) {
            if (!listings.containsKey(p.nodeKey)) {
                p.listed.clear(); // its directory is gone
            }
        }
        for (Map.Entry<String, SpoolListing.Node> e : listings.entrySet()) {
            NodeProgress p = progress(e.getKey());
            p.sealedSeq = e.getValue().sealedSeq;
            p.listed.clear();
            for (Map.Entry<Long, FileStatus> seg : e.getValue().segments.entrySet()) {
                long seq = seg.getKey();
                if (!deleting.contains(seg.getValue().getPath())) {
                    p.listed.put(seq, seg.getValue().getPath());
                }
                if (seq >= p.nextFresh && !p.pending.containsKey(seq)) {
                    FileStatus st = seg.getValue();
                    newBytes += st.getLen();
                    p.pending.put(
                            seq,
                            new FileSourceSplit(
                                    e.getKey() + "/" + seq,
                                    st.getPath(),
                                    0L,
                                    st.getLen(),
                                    st.getModificationTime(),
                                    st.getLen()));
                }
            }
        }
        assignToWaitingReaders();
        followPace(newBytes);
    }

    /** Asks for the longer checkpoint interval while the spool is quiet, and for the shorter one again once it is not. */
    private void followPace(long newBytes) {
        long now = clockMillis.getAsLong();
        if (pace == null || !pace.discovered(now, newBytes)) {
            return;
        }
        boolean quiet = pace.quiet();
        Duration interval = quietSpool.interval(quiet);
        LOG.info(
                "The spool is {} ({} bytes/s of new segments lately): checkpoints every {}",
                quiet ? "quiet" : "busy again",
                pace.bytesPerSecond(now),
                interval);
        context.setIsProcessingBacklog(quiet);
        // while quiet a discovery between two triggers finds segments that wait for the next one anyway
        schedule = schedule.withCheckpointInterval(interval, quiet);
        if (!quiet) {
            planWithinAnInterval();
        }
    }

    private void assignToWaitingReaders() {
        int parallelism = context.currentParallelism();
        Iterator<Integer> waiting = waitingReaders.iterator();
        while (waiting.hasNext()) {
            int subtask = waiting.next();
            if (!context.registeredReaders().containsKey(subtask)) {
                continue;
            }
            List<FileSourceSplit> batch = new ArrayList<>();
            FileSourceSplit next;
            while (batch.size() < segmentsPerAssignment && (next = nextSplitFor(subtask, parallelism)) != null) {
                batch.add(next);
            }
            if (!batch.isEmpty()) {
                // one AddSplitEvent, one RPC, for the whole batch
                context.assignSplits(new SplitsAssignment<>(Map.of(subtask, batch)));
                inFlight.put(subtask, batch);
                waiting.remove();
            } else if (allSealedAndAssigned()) {
                context.signalNoMoreSplits(subtask);
                waiting.remove();
            }
        }
    }

    /**
     * The lowest pending segment among the nodes this reader may read, rotating over nodes for fairness.
     */
    private FileSourceSplit nextSplitFor(int subtask, int parallelism) {
        NodeProgress chosen = null;
        for (NodeProgress p : nodes.values()) {
            if (!p.pending.isEmpty()
                    && ownership.mayRead(p.nodeKey, subtask, parallelism)
                    && (chosen == null || p.lastServed < chosen.lastServed)) {
                chosen = p;
            }
        }
        if (chosen == null) {
            return null;
        }
        Map.Entry<Long, FileSourceSplit> first = chosen.pending.pollFirstEntry();
        long seq = first.getKey();
        FileSourceSplit split = first.getValue();
        if (seq >= chosen.nextFresh) {
            // name the node's previous segment in the split, so the keyed stage can tell a gap (a segment the
            // collector set aside or retention removed) from a segment still on its way through another reader
            split = new FileSourceSplit(
                    SegmentRef.splitId(chosen.nodeKey, seq, chosen.lastAssigned),
                    split.path(),
                    split.offset(),
                    split.length(),
                    split.fileModificationTime(),
                    split.fileSize());
            chosen.lastAssigned = seq;
        }
        chosen.nextFresh = Math.max(chosen.nextFresh, seq + 1);
        chosen.lastServed = System.nanoTime();
        return split;
    }

    /**
     * Whether every reader is registered: each reported on registering what it held at the checkpoint it restored, so
     * pending and in-flight segments then name all unfinished work. Flink unregisters a failed reader at once; until it
     * registers again, nothing is deleted.
     */
    private boolean allReadersRegistered() {
        for (int subtask = 0; subtask < context.currentParallelism(); subtask++) {
            if (!context.registeredReaders().containsKey(subtask)) {
                return false;
            }
        }
        return true;
    }

    private boolean allSealedAndAssigned() {
        if (!boundedUntilSealed || !discoveredOnce || nodes.isEmpty()) {
            return false;
        }
        for (NodeProgress p : nodes.values()) {
            if (p.sealedSeq == null || !p.pending.isEmpty() || p.nextFresh <= p.sealedSeq) {
                return false;
            }
        }
        return true;
    }

    private void giveBack(FileSourceSplit split) {
        SegmentRef ref = SegmentRef.of(split.path());
        progress(ref.nodeKey).pending.put(ref.seq, split);
    }

    private NodeProgress progress(String nodeKey) {
        return nodes.computeIfAbsent(nodeKey, NodeProgress::new);
    }

    private int delete(List<Path> segments) throws IOException {
        FileSystem fs = root.getFileSystem();
        int deleted = 0;
        for (Path segment : segments) {
            if (fs.delete(segment, false)) {
                deleted++;
            }
        }
        return deleted;
    }

    private static final class NodeProgress {
        final String nodeKey;
        long nextFresh;
        /** The last segment handed out for this node, -1 when none yet. */
        long lastAssigned = -1;

        Long sealedSeq;
        long lastServed;
        final TreeMap<Long, FileSourceSplit> pending = new TreeMap<>();
        /** The node's segments as the last discovery listed them, less those handed to deletion since. */
        final TreeMap<Long, Path> listed = new TreeMap<>();

        NodeProgress(String nodeKey) {
            this.nodeKey = nodeKey;
        }
    }

    /** cluster/node and seq of a segment path {@code <root>/<cluster>/<node>/<seq>.seg}. */
    static final class SegmentRef {
        final String nodeKey;
        final long seq;

        private SegmentRef(String nodeKey, long seq) {
            this.nodeKey = nodeKey;
            this.seq = seq;
        }

        /** {@code <cluster>/<node>/<seq>/<previous seq>}: what {@link SegmentBulkFormat} reads back. */
        static String splitId(String nodeKey, long seq, long previousSeq) {
            return nodeKey + "/" + seq + "/" + previousSeq;
        }

        /** The previous seq named in a split id, or {@link SpoolRecord#UNKNOWN} when the id names none. */
        static long previousSeq(String splitId) {
            String[] parts = splitId.split("/");
            if (parts.length < 4) {
                return SpoolRecord.UNKNOWN;
            }
            try {
                return Long.parseLong(parts[parts.length - 1]);
            } catch (NumberFormatException e) {
                return SpoolRecord.UNKNOWN;
            }
        }

        static SegmentRef of(Path segment) {
            Path nodeDir = segment.getParent();
            String nodeKey = nodeDir.getParent().getName() + "/" + nodeDir.getName();
            return new SegmentRef(
                    nodeKey, SpoolPaths.parseSegmentSeq(segment.getName()).orElse(-1L));
        }
    }
}
