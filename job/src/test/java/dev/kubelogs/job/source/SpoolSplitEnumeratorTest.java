package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.testutils.ManuallyTriggeredScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which reader reads which segments (a node's owner, also after a restore at another parallelism), and which segments
 * the enumerator deletes, and when: never one a reader may still need after a restore.
 */
class SpoolSplitEnumeratorTest {
    @TempDir
    java.nio.file.Path root;

    private java.nio.file.Path node;

    private SpoolSplitEnumerator enumerator(MockSplitEnumeratorContext<FileSourceSplit> ctx, SpoolEnumeratorState state)
            throws Throwable {
        return enumerator(ctx, state, new Path(root.toUri()));
    }

    private static SpoolSplitEnumerator enumerator(
            MockSplitEnumeratorContext<FileSourceSplit> ctx, SpoolEnumeratorState state, Path spoolRoot)
            throws Throwable {
        SpoolSplitEnumerator e = new SpoolSplitEnumerator(
                ctx, spoolRoot, Duration.ofSeconds(1), false, true, NodeOwnership.byKeyGroup(128), 1, state);
        e.start();
        ctx.runPeriodicCallable(0);
        register(ctx, e, 0, List.of());
        return e;
    }

    /** An enumerator on the spool at {@code root}, after its first discovery; no reader registered yet. */
    private SpoolSplitEnumerator started(
            MockSplitEnumeratorContext<FileSourceSplit> ctx,
            boolean deleteConsumed,
            NodeOwnership ownership,
            SpoolEnumeratorState state)
            throws Throwable {
        SpoolSplitEnumerator e = new SpoolSplitEnumerator(
                ctx, new Path(root.toUri()), Duration.ofSeconds(1), false, deleteConsumed, ownership, 1, state);
        e.start();
        ctx.runPeriodicCallable(0);
        return e;
    }

    /** What Flink does when a reader starts: register it with what it held at the restored checkpoint. */
    private static void register(
            MockSplitEnumeratorContext<FileSourceSplit> ctx,
            SpoolSplitEnumerator e,
            int subtask,
            List<FileSourceSplit> held) {
        ctx.registerReader(ReaderInfo.createReaderInfo(subtask, "host", held));
        e.addReader(subtask);
    }

    /** The spool root on the file system that counts what would be S3 requests. */
    private Path countingRoot() {
        return new Path(CountingFileSystem.SCHEME + "://" + root.toUri().getPath());
    }

    private static void runOneTimeCallables(MockSplitEnumeratorContext<FileSourceSplit> ctx) throws Throwable {
        while (ctx.getOneTimeCallables().size() > 0) {
            ctx.runNextOneTimeCallable();
        }
    }

    private List<String> segmentsLeft() throws IOException {
        try (Stream<java.nio.file.Path> s = Files.list(node)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void writeSegments(int count) throws IOException {
        node = Files.createDirectories(root.resolve("prod/n1"));
        for (int i = 0; i < count; i++) {
            Files.write(node.resolve(SpoolPaths.segmentFileName(i)), new byte[] {1});
        }
    }

    @Test
    void whatARestoredReaderHeldIsReadAgainAndKeptUntilThen() throws Throwable {
        writeSegments(4);
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        SpoolSplitEnumerator first = enumerator(ctx, SpoolEnumeratorState.empty());
        first.handleSplitRequest(0, "host"); // gets segment 0
        first.handleSplitRequest(0, "host"); // finished 0, reads 1
        FileSourceSplit held =
                ctx.getSplitsAssignmentSequence().get(1).assignment().get(0).get(0);
        SpoolEnumeratorState checkpoint1 = first.snapshotState(1);

        // failover: the new enumerator has not seen segment 1; the restarted reader reports it on registering
        MockSplitEnumeratorContext<FileSourceSplit> ctx2 = new MockSplitEnumeratorContext<>(1);
        SpoolSplitEnumerator restored = started(ctx2, true, NodeOwnership.byKeyGroup(128), checkpoint1);
        register(ctx2, restored, 0, List.of(held));
        restored.snapshotState(2);
        restored.notifyCheckpointComplete(2);
        runOneTimeCallables(ctx2);
        assertThat(segmentsLeft()).contains(SpoolPaths.segmentFileName(1));

        restored.handleSplitRequest(0, "host"); // segment 1 again, from where the reader was
        assertThat(ctx2.getSplitsAssignmentSequence().get(0).assignment().get(0))
                .containsExactly(held);
        restored.handleSplitRequest(0, "host"); // finished 1, reads 2
        restored.snapshotState(3);
        restored.notifyCheckpointComplete(3);
        runOneTimeCallables(ctx2);
        assertThat(segmentsLeft()).containsExactly(SpoolPaths.segmentFileName(2), SpoolPaths.segmentFileName(3));
    }

    @Test
    void nothingIsDeletedUntilEveryReaderRegistered() throws Throwable {
        writeSegments(3);
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(2);
        SpoolSplitEnumerator e = started(ctx, true, NodeOwnership.anyReader(), SpoolEnumeratorState.empty());
        register(ctx, e, 0, List.of());
        e.handleSplitRequest(0, "host"); // 0
        e.handleSplitRequest(0, "host"); // 1
        e.snapshotState(1);
        e.notifyCheckpointComplete(1);
        runOneTimeCallables(ctx);
        // reader 1 may still report a segment it held at a restored checkpoint
        assertThat(segmentsLeft()).hasSize(3);

        register(ctx, e, 1, List.of());
        e.snapshotState(2);
        e.notifyCheckpointComplete(2);
        runOneTimeCallables(ctx);
        assertThat(segmentsLeft()).containsExactly(SpoolPaths.segmentFileName(1), SpoolPaths.segmentFileName(2));
    }

    @Test
    void eachNodeGoesToTheReaderOfItsKeyGroupsSubtaskAlsoAfterARescale() throws Throwable {
        int nodes = 12;
        for (int n = 0; n < nodes; n++) {
            java.nio.file.Path dir = Files.createDirectories(root.resolve("prod/n" + n));
            Files.write(dir.resolve(SpoolPaths.segmentFileName(0)), new byte[] {1});
            Files.write(dir.resolve(SpoolPaths.segmentFileName(1)), new byte[] {1});
        }
        NodeOwnership ownership = NodeOwnership.byKeyGroup(128);
        MockSplitEnumeratorContext<FileSourceSplit> atThree = new MockSplitEnumeratorContext<>(3);
        SpoolSplitEnumerator first = started(atThree, false, ownership, SpoolEnumeratorState.empty());
        Map<Integer, List<FileSourceSplit>> heldAtThree = new HashMap<>();
        for (int subtask = 0; subtask < 3; subtask++) {
            register(atThree, first, subtask, List.of());
            first.handleSplitRequest(subtask, "host"); // each reader holds one segment at the checkpoint
        }
        for (SplitsAssignment<FileSourceSplit> a : atThree.getSplitsAssignmentSequence()) {
            a.assignment().forEach((subtask, splits) -> {
                for (FileSourceSplit split : splits) {
                    assertThat(subtask).isEqualTo(ownership.owner(nodeKey(split), 3));
                    heldAtThree.computeIfAbsent(subtask, k -> new ArrayList<>()).add(split);
                }
            });
        }
        assertThat(heldAtThree.values().stream().mapToInt(List::size).sum()).isEqualTo(3);
        SpoolEnumeratorState checkpoint = first.snapshotState(1);

        // restored at parallelism 2: Flink hands the readers' state out round-robin, so reader 0 gets what readers 0
        // and 2 held; everything reported goes to the node's owner among 2
        MockSplitEnumeratorContext<FileSourceSplit> atTwo = new MockSplitEnumeratorContext<>(2);
        SpoolSplitEnumerator restored = started(atTwo, false, ownership, checkpoint);
        List<FileSourceSplit> reader0 = new ArrayList<>(heldAtThree.getOrDefault(0, List.of()));
        reader0.addAll(heldAtThree.getOrDefault(2, List.of()));
        register(atTwo, restored, 0, reader0);
        register(atTwo, restored, 1, heldAtThree.getOrDefault(1, List.of()));
        for (int subtask = 0; subtask < 2; subtask++) {
            for (int i = 0; i < 2 * nodes; i++) {
                restored.handleSplitRequest(subtask, "host");
            }
        }
        Map<String, List<String>> readByNode = new TreeMap<>();
        for (SplitsAssignment<FileSourceSplit> a : atTwo.getSplitsAssignmentSequence()) {
            a.assignment().forEach((subtask, splits) -> {
                for (FileSourceSplit split : splits) {
                    assertThat(subtask).isEqualTo(ownership.owner(nodeKey(split), 2));
                    readByNode
                            .computeIfAbsent(nodeKey(split), k -> new ArrayList<>())
                            .add(split.path().getName());
                }
            });
        }
        // each node's segment 0 again (its reader held it), then segment 1, in order
        assertThat(readByNode).hasSize(nodes);
        readByNode
                .values()
                .forEach(segments -> assertThat(segments)
                        .containsExactly(SpoolPaths.segmentFileName(0), SpoolPaths.segmentFileName(1)));
    }

    private static String nodeKey(FileSourceSplit split) {
        return SpoolSplitEnumerator.SegmentRef.of(split.path()).nodeKey;
    }

    @Test
    void theNewestSegmentOfANodeIsKeptEvenWhenConsumed() throws Throwable {
        writeSegments(2);
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        SpoolSplitEnumerator e = enumerator(ctx, SpoolEnumeratorState.empty());
        e.handleSplitRequest(0, "host"); // 0
        e.handleSplitRequest(0, "host"); // 1
        e.handleSplitRequest(0, "host"); // nothing left: idle
        e.snapshotState(1);
        e.notifyCheckpointComplete(1);
        while (ctx.getOneTimeCallables().size() > 0) {
            ctx.runNextOneTimeCallable();
        }
        assertThat(segmentsLeft()).containsExactly(SpoolPaths.segmentFileName(1));
        assertThat(ctx.getSplitsAssignmentSequence()).hasSize(2);
    }

    @Test
    void deletingWhatACheckpointCoveredListsNoDirectory() throws Throwable {
        writeSegments(4);
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        SpoolSplitEnumerator e = enumerator(ctx, SpoolEnumeratorState.empty(), countingRoot());
        e.handleSplitRequest(0, "host"); // 0
        e.handleSplitRequest(0, "host"); // 1
        e.handleSplitRequest(0, "host"); // 2
        e.snapshotState(1);
        CountingFileSystem.LISTINGS.set(0);
        e.notifyCheckpointComplete(1);
        runOneTimeCallables(ctx);
        // the last discovery's listing names what to delete: no LIST per node and checkpoint on S3
        assertThat(CountingFileSystem.LISTINGS.get()).isZero();
        assertThat(segmentsLeft()).containsExactly(SpoolPaths.segmentFileName(2), SpoolPaths.segmentFileName(3));
    }

    @Test
    void discoveryListsWithoutProbingTheRootFirst() throws Throwable {
        writeSegments(1);
        CountingFileSystem.PROBES.set(0);
        CountingFileSystem.LISTINGS.set(0);
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        SpoolSplitEnumerator e = enumerator(ctx, SpoolEnumeratorState.empty(), countingRoot());
        // root, cluster, node: one listing each, and no exists() (two HEADs and a LIST on S3)
        assertThat(CountingFileSystem.LISTINGS.get()).isEqualTo(3);
        assertThat(CountingFileSystem.PROBES.get()).isZero();
        e.handleSplitRequest(0, "host");
        assertThat(ctx.getSplitsAssignmentSequence()).hasSize(1);
    }

    @Test
    void aSpoolRootNoCollectorWroteYetIsFoundLater() throws Throwable {
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        SpoolSplitEnumerator e = enumerator(
                ctx,
                SpoolEnumeratorState.empty(),
                new Path(root.resolve("not-yet").toUri()));
        e.handleSplitRequest(0, "host");
        assertThat(ctx.getSplitsAssignmentSequence()).isEmpty();
        node = Files.createDirectories(root.resolve("not-yet/prod/n1"));
        Files.write(node.resolve(SpoolPaths.segmentFileName(0)), new byte[] {1});
        ctx.runPeriodicCallable(0);
        assertThat(ctx.getSplitsAssignmentSequence()).hasSize(1);
    }

    @Test
    void aReaderGetsItsPendingSegmentsInBatchesAndWhatItHoldsIsKeptUntilItAsksAgain() throws Throwable {
        writeSegments(5);
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        SpoolSplitEnumerator e = new SpoolSplitEnumerator(
                ctx,
                new Path(root.toUri()),
                Duration.ofSeconds(1),
                false,
                true,
                NodeOwnership.byKeyGroup(128),
                3,
                SpoolEnumeratorState.empty());
        e.start();
        ctx.runPeriodicCallable(0);
        register(ctx, e, 0, List.of());

        e.handleSplitRequest(0, "host");
        // one assignment, one RPC, for three segments, in seq order
        assertThat(ctx.getSplitsAssignmentSequence()).hasSize(1);
        assertThat(ctx.getSplitsAssignmentSequence().get(0).assignment().get(0))
                .extracting(split -> SpoolSplitEnumerator.SegmentRef.of(split.path()).seq)
                .containsExactly(0L, 1L, 2L);
        e.snapshotState(1);
        e.notifyCheckpointComplete(1);
        runOneTimeCallables(ctx);
        // the reader may still be on any of them
        assertThat(segmentsLeft()).hasSize(5);

        e.handleSplitRequest(0, "host"); // it finished all three
        assertThat(ctx.getSplitsAssignmentSequence().get(1).assignment().get(0))
                .extracting(split -> SpoolSplitEnumerator.SegmentRef.of(split.path()).seq)
                .containsExactly(3L, 4L);
        e.snapshotState(2);
        e.notifyCheckpointComplete(2);
        runOneTimeCallables(ctx);
        assertThat(segmentsLeft()).containsExactly(SpoolPaths.segmentFileName(3), SpoolPaths.segmentFileName(4));
    }

    @Test
    void aBatchOfNoSegmentsIsRefused() {
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SpoolSplitEnumerator(
                        ctx,
                        new Path(root.toUri()),
                        Duration.ofSeconds(1),
                        false,
                        true,
                        NodeOwnership.byKeyGroup(128),
                        0,
                        SpoolEnumeratorState.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segmentsPerAssignment");
    }

    /** An enumerator discovering before 5-s checkpoints with a 500-ms lead, on a timer and clock the test drives. */
    private SpoolSplitEnumerator discoveringBeforeCheckpoints(
            MockSplitEnumeratorContext<FileSourceSplit> ctx,
            ManuallyTriggeredScheduledExecutorService timer,
            AtomicLong clock) {
        return discoveringBeforeCheckpoints(ctx, timer, clock, null);
    }

    private SpoolSplitEnumerator discoveringBeforeCheckpoints(
            MockSplitEnumeratorContext<FileSourceSplit> ctx,
            ManuallyTriggeredScheduledExecutorService timer,
            AtomicLong clock,
            QuietSpool quietSpool) {
        Path spool = new Path(root.toUri());
        return new SpoolSplitEnumerator(
                ctx,
                spool,
                new DirectorySpoolListing(spool),
                DiscoverySchedule.beforeCheckpoints(
                        Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(500)),
                timer,
                clock::get,
                false,
                true,
                NodeOwnership.byKeyGroup(128),
                16,
                quietSpool,
                SpoolEnumeratorState.empty());
    }

    /** When the one discovery the enumerator has scheduled is due, by its clock (unchanged since it scheduled it). */
    private static long nextDiscoveryAt(ManuallyTriggeredScheduledExecutorService timer, AtomicLong clock) {
        assertThat(timer.getActiveNonPeriodicScheduledTask()).hasSize(1);
        ScheduledFuture<?> next =
                timer.getActiveNonPeriodicScheduledTask().iterator().next();
        return clock.get() + next.getDelay(TimeUnit.MILLISECONDS);
    }

    /** Moves the clock to {@code at}, runs the scheduled discovery and its listing. */
    private static void runDiscoveryAt(
            long at,
            MockSplitEnumeratorContext<FileSourceSplit> ctx,
            ManuallyTriggeredScheduledExecutorService timer,
            AtomicLong clock)
            throws Throwable {
        clock.set(at);
        timer.triggerNonPeriodicScheduledTask();
        ctx.runNextOneTimeCallable(); // waits for the coordinator thread to hand the listing to the worker
        runOneTimeCallables(ctx); // and the discovery schedule's write, when one is due
    }

    /** Runs the discovery due at {@code at}, and says when the one it planned is due. */
    private static long discoveryPlannedBy(
            long at,
            MockSplitEnumeratorContext<FileSourceSplit> ctx,
            ManuallyTriggeredScheduledExecutorService timer,
            AtomicLong clock)
            throws Throwable {
        runDiscoveryAt(at, ctx, timer, clock);
        return nextDiscoveryAt(timer, clock);
    }

    private JsonNode publishedSchedule() throws IOException {
        return new ObjectMapper()
                .readTree(root.resolve(DiscoverySchedulePublisher.OBJECT_NAME).toFile());
    }

    @Test
    void onceCheckpointsComeRegularlyDiscoveryRunsALeadBeforeEachTriggerAndWhatItFindsIsAssignedAtOnce()
            throws Throwable {
        writeSegments(1);
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        ManuallyTriggeredScheduledExecutorService timer = new ManuallyTriggeredScheduledExecutorService();
        AtomicLong clock = new AtomicLong(100_000);
        SpoolSplitEnumerator e = discoveringBeforeCheckpoints(ctx, timer, clock);
        e.start();
        runOneTimeCallables(ctx);
        register(ctx, e, 0, List.of());
        e.handleSplitRequest(0, "host");
        assertThat(ctx.getSplitsAssignmentSequence()).hasSize(1);
        assertThat(nextDiscoveryAt(timer, clock))
                .as("before any checkpoint: the interval")
                .isEqualTo(105_000);
        assertThat(publishedSchedule().get("nextMillis").isNull())
                .as("no phase yet: collectors roll by age")
                .isTrue();

        clock.set(101_750);
        e.snapshotState(1);
        runDiscoveryAt(105_000, ctx, timer, clock);
        assertThat(nextDiscoveryAt(timer, clock))
                .as("one trigger tells no phase")
                .isEqualTo(110_000);
        clock.set(106_750);
        e.snapshotState(2);
        runDiscoveryAt(110_000, ctx, timer, clock);
        assertThat(nextDiscoveryAt(timer, clock))
                .as("a lead before the trigger expected at 111,750")
                .isEqualTo(111_250);

        Files.write(node.resolve(SpoolPaths.segmentFileName(1)), new byte[] {1});
        e.handleSplitRequest(0, "host"); // the reader finished segment 0 and waits
        runDiscoveryAt(111_250, ctx, timer, clock);
        assertThat(ctx.getSplitsAssignmentSequence()).hasSize(2);
        assertThat(nextDiscoveryAt(timer, clock)).as("then every interval").isEqualTo(116_250);
        JsonNode told = publishedSchedule();
        assertThat(told.get("nextMillis").asLong() - told.get("publishedMillis").asLong())
                .as("the collectors are told the next aligned discovery, on their wall clock")
                .isEqualTo(116_250 - 111_250);
        assertThat(told.get("periodMillis").asLong()).isEqualTo(5_000);
        clock.set(111_750);
        e.snapshotState(3);
        e.close();
        assertThat(timer.isTerminated()).as("the timer is shut down").isTrue();
    }

    @Test
    void checkpointTriggersOffTheirIntervalLeaveDiscoveryOnItsOwnTimer() throws Throwable {
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        ManuallyTriggeredScheduledExecutorService timer = new ManuallyTriggeredScheduledExecutorService();
        AtomicLong clock = new AtomicLong(0);
        SpoolSplitEnumerator e = discoveringBeforeCheckpoints(ctx, timer, clock);
        e.start();
        ctx.runNextOneTimeCallable();
        clock.set(1_750);
        e.snapshotState(1);
        clock.set(4_000); // min-pause after a slow checkpoint, or a savepoint
        e.snapshotState(2);
        runDiscoveryAt(5_000, ctx, timer, clock);
        assertThat(nextDiscoveryAt(timer, clock)).isEqualTo(10_000);
        e.close();
    }

    @Test
    void aDiscoveryDueWhileTheLastListingStillRunsListsNothingMore() throws Throwable {
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        ManuallyTriggeredScheduledExecutorService timer = new ManuallyTriggeredScheduledExecutorService();
        AtomicLong clock = new AtomicLong();
        SpoolSplitEnumerator e = discoveringBeforeCheckpoints(ctx, timer, clock);
        e.start(); // its listing has not run yet
        clock.set(nextDiscoveryAt(timer, clock));
        timer.triggerNonPeriodicScheduledTask();
        while (timer.getActiveNonPeriodicScheduledTask().isEmpty()) {
            Thread.onSpinWait(); // the coordinator thread plans the discovery after
        }
        assertThat(ctx.getOneTimeCallables())
                .as("its listing and the first write of the discovery schedule; no second listing")
                .hasSize(2);
        e.close();
    }

    /** A context that keeps what the enumerator reports of its backlog (Flink's mock forgets it). */
    private static final class BacklogContext extends MockSplitEnumeratorContext<FileSourceSplit> {
        final List<Boolean> reported = new java.util.ArrayList<>();

        BacklogContext() {
            super(1);
        }

        @Override
        public void setIsProcessingBacklog(boolean isProcessingBacklog) {
            reported.add(isProcessingBacklog);
        }
    }

    @Test
    void aQuietSpoolAsksForTheLongerIntervalAndDiscoveryFollowsItUntilTheSpoolIsBusyAgain() throws Throwable {
        writeSegments(1);
        BacklogContext ctx = new BacklogContext();
        ManuallyTriggeredScheduledExecutorService timer = new ManuallyTriggeredScheduledExecutorService();
        AtomicLong clock = new AtomicLong(0);
        // quiet below 1,000 B/s; checkpoints every 5 s, every 10 s while quiet
        SpoolSplitEnumerator e = discoveringBeforeCheckpoints(
                ctx, timer, clock, new QuietSpool(1_000, Duration.ofSeconds(5), Duration.ofSeconds(10)));
        e.start();
        ctx.runNextOneTimeCallable();
        for (long at = 5_000; at < 60_000; at += 5_000) {
            runDiscoveryAt(at, ctx, timer, clock);
        }
        assertThat(ctx.reported)
                .as("busy at the start; a minute is not over yet")
                .containsExactly(false);
        runDiscoveryAt(60_000, ctx, timer, clock);
        assertThat(ctx.reported).as("1 byte in a minute").containsExactly(false, true);

        // Flink now triggers every 10 s: discovery comes a lead before each trigger, and not between
        clock.set(61_000);
        e.snapshotState(1);
        runDiscoveryAt(65_000, ctx, timer, clock);
        runDiscoveryAt(70_000, ctx, timer, clock);
        clock.set(71_000);
        e.snapshotState(2);
        assertThat(discoveryPlannedBy(75_000, ctx, timer, clock))
                .as("a lead before the trigger expected at 81,000, none at 80,000")
                .isEqualTo(80_500);
        assertThat(discoveryPlannedBy(80_500, ctx, timer, clock)).isEqualTo(90_500);
        clock.set(81_000);
        e.snapshotState(3);

        // 45 KB in one discovery: 1.5 times 1,000 B/s over the last 30 s
        Files.write(node.resolve(SpoolPaths.segmentFileName(1)), new byte[45_000]);
        runDiscoveryAt(90_500, ctx, timer, clock);
        assertThat(ctx.reported).containsExactly(false, true, false);
        assertThat(nextDiscoveryAt(timer, clock))
                .as("busy again: the next discovery an interval after the last, not a quiet period")
                .isEqualTo(95_500);
        e.close();
    }
}
