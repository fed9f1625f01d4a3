package dev.kubelogs.job.metrics.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where the enumerator puts targets as discovery, readers and failures come and go. */
class ScrapeSplitEnumeratorTest {
    private RecordingContext context;
    private ScrapeSplitEnumerator enumerator;
    private TargetUpdates updates;

    @AfterEach
    void close() throws Exception {
        enumerator.close();
        context.close();
    }

    /** A mock context that also keeps what each reader scrapes, applying assignments and releases in order. */
    private static final class RecordingContext extends MockSplitEnumeratorContext<ScrapeTargetSplit> {
        final Map<Integer, Map<String, ScrapeTarget>> readers = new TreeMap<>();
        final List<String> log = new ArrayList<>();

        RecordingContext(int parallelism) {
            super(parallelism);
        }

        /** As Flink's {@code SourceCoordinatorContext}: nothing may go to a reader that is not registered. */
        private void requireRegistered(int subtask, String what) {
            if (!registeredReaders().containsKey(subtask)) {
                throw new IllegalArgumentException(what + " to subtask " + subtask + ", which is not registered");
            }
        }

        @Override
        public synchronized void assignSplits(SplitsAssignment<ScrapeTargetSplit> assignment) {
            assignment.assignment().keySet().forEach(subtask -> requireRegistered(subtask, "Cannot assign splits"));
            super.assignSplits(assignment);
            assignment
                    .assignment()
                    .forEach((subtask, splits) -> splits.forEach(s -> {
                        for (Map<String, ScrapeTarget> other : readers.values()) {
                            assertThat(other.containsKey(s.splitId()) && other != reader(subtask))
                                    .as("%s assigned to %s while another reader still has it", s.splitId(), subtask)
                                    .isFalse();
                        }
                        reader(subtask).put(s.splitId(), s.target());
                        log.add("assign " + s.splitId() + " -> " + subtask);
                    }));
        }

        @Override
        public synchronized void sendEventToSourceReader(int subtask, SourceEvent event) {
            requireRegistered(subtask, "Cannot send an event");
            super.sendEventToSourceReader(subtask, event);
            for (String id : ((ReleaseTargetsEvent) event).targetIds()) {
                assertThat(reader(subtask).remove(id))
                        .as("%s released by %s, which did not have it", id, subtask)
                        .isNotNull();
                log.add("release " + id + " <- " + subtask);
            }
        }

        @Override
        public synchronized void signalNoMoreSplits(int subtask) {
            requireRegistered(subtask, "Cannot signal no more splits");
            super.signalNoMoreSplits(subtask);
            log.add("no more splits -> " + subtask);
        }

        synchronized Map<String, ScrapeTarget> reader(int subtask) {
            return readers.computeIfAbsent(subtask, k -> new TreeMap<>());
        }

        /** The test thread is the coordinator thread: discovery's reports are handled at once, in order. */
        @Override
        public synchronized void runInCoordinatorThread(Runnable runnable) {
            runnable.run();
        }

        synchronized List<Integer> counts() {
            return readers.values().stream().map(Map::size).collect(Collectors.toList());
        }

        synchronized Set<String> allScraped() {
            Set<String> all = new HashSet<>();
            readers.values().forEach(r -> all.addAll(r.keySet()));
            return all;
        }

        /** A reader's task fails: it is no longer registered and everything it had is gone with it. */
        synchronized void fail(int subtask) {
            unregisterReader(subtask);
            readers.remove(subtask);
        }
    }

    private void start(int parallelism, ScrapeEnumeratorState state) throws Throwable {
        start(parallelism, state, Map.of());
    }

    private void start(int parallelism, ScrapeEnumeratorState state, Map<String, Integer> targetLimits)
            throws Throwable {
        start(parallelism, state, targetLimits, false);
    }

    private void start(int parallelism, ScrapeEnumeratorState state, Map<String, Integer> targetLimits, boolean bounded)
            throws Throwable {
        context = new RecordingContext(parallelism);
        enumerator = new ScrapeSplitEnumerator(
                context,
                u -> {
                    updates = u;
                    return () -> {};
                },
                targetLimits,
                state,
                bounded);
        enumerator.start();
        context.runNextOneTimeCallable();
    }

    private void register(int subtask, ScrapeTargetSplit... restored) {
        context.registerReader(ReaderInfo.createReaderInfo(subtask, "localhost", List.of(restored)));
        context.reader(subtask);
        enumerator.addReader(subtask);
    }

    private static ScrapeTarget target(int i) {
        return new ScrapeTarget(
                "job",
                "http://10.0.0." + i + ":9100/metrics",
                Labels.of("job", "job", "instance", "10.0.0." + i + ":9100"),
                60_000,
                10_000);
    }

    private static List<ScrapeTarget> targets(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(ScrapeSplitEnumeratorTest::target)
                .collect(Collectors.toList());
    }

    private static Set<String> ids(List<ScrapeTarget> targets) {
        return targets.stream().map(ScrapeTarget::id).collect(Collectors.toSet());
    }

    private void report(String source, List<ScrapeTarget> found) {
        updates.targetsChanged("job", source, found);
    }

    @Test
    void targetsAreSpreadEvenlyOnceEveryReaderRegistered() throws Throwable {
        start(2, ScrapeEnumeratorState.empty());
        register(0);
        report("static/0", targets(0, 6));
        assertThat(context.allScraped())
                .as("nothing before the second reader is there")
                .isEmpty();

        register(1);

        assertThat(context.counts()).containsExactly(3, 3);
        assertThat(context.allScraped()).isEqualTo(ids(targets(0, 6)));
        assertThat(context.log).noneMatch(line -> line.startsWith("release"));
    }

    @Test
    void aNewTargetGoesToTheReaderWithTheFewest() throws Throwable {
        start(2, ScrapeEnumeratorState.empty());
        register(0);
        register(1);
        report("static/0", targets(0, 3));
        int fewer = context.reader(0).size() < context.reader(1).size() ? 0 : 1;

        report("static/1", targets(3, 4));

        assertThat(context.reader(fewer)).containsKey(target(3).id());
        assertThat(context.counts()).containsExactlyInAnyOrder(2, 2);
    }

    @Test
    void removedTargetsAreReleasedAndTheReadersEvenedOut() throws Throwable {
        start(2, ScrapeEnumeratorState.empty());
        register(0);
        register(1);
        for (int i = 0; i < 6; i++) {
            report("pod/" + i, List.of(target(i)));
        }
        List<String> onReaderZero = new ArrayList<>(context.reader(0).keySet());
        for (int i = 0; i < 6; i++) {
            if (onReaderZero.contains(target(i).id())) {
                report("pod/" + i, List.of());
            }
        }

        assertThat(context.allScraped()).hasSize(3).doesNotContainAnyElementsOf(onReaderZero);
        assertThat(context.counts()).containsExactlyInAnyOrder(1, 2);
        assertThat(context.log).anyMatch(line -> line.endsWith("<- 1"));
    }

    @Test
    void aTargetTwoSourcesYieldStaysUntilBothDropIt() throws Throwable {
        start(1, ScrapeEnumeratorState.empty());
        register(0);
        report("pod/a", List.of(target(1)));
        report("pod/b", List.of(target(1)));

        report("pod/a", List.of());
        assertThat(context.allScraped()).containsExactly(target(1).id());

        report("pod/b", List.of());
        assertThat(context.allScraped()).isEmpty();
    }

    @Test
    void aTargetWhoseUrlChangedGoesToItsOwnerAgain() throws Throwable {
        start(2, ScrapeEnumeratorState.empty());
        register(0);
        register(1);
        report("pod/a", List.of(target(1)));
        int owner = context.reader(0).isEmpty() ? 1 : 0;
        ScrapeTarget moved = new ScrapeTarget(
                "job", "http://10.9.9.9:9100/metrics", target(1).labels(), 60_000, 10_000);

        report("pod/a", List.of(moved));

        assertThat(context.reader(owner)).containsEntry(moved.id(), moved);
        assertThat(context.reader(1 - owner)).isEmpty();
    }

    @Test
    void aFailedReadersTargetsWaitForItAndGoBackToItWhenItRegistersAgain() throws Throwable {
        start(2, ScrapeEnumeratorState.empty());
        register(0);
        register(1);
        report("static/0", targets(0, 6));
        Map<String, ScrapeTarget> readerOneBefore = new TreeMap<>(context.reader(1));
        List<ScrapeTargetSplit> hadSinceCheckpoint = context.reader(1).values().stream()
                .limit(1)
                .map(ScrapeTargetSplit::new)
                .collect(Collectors.toList());
        context.log.clear();

        context.fail(1);
        enumerator.addSplitsBack(hadSinceCheckpoint, 1);
        assertThat(context.allScraped()).hasSize(3).doesNotContainAnyElementsOf(readerOneBefore.keySet());
        assertThat(enumerator.unassignedTargets()).isEqualTo(3);

        register(1);
        assertThat(context.reader(1)).isEqualTo(readerOneBefore);
        assertThat(context.log).noneMatch(line -> line.startsWith("release"));
        assertThat(enumerator.unassignedTargets()).isZero();
    }

    /** A failover of the whole pipeline: every reader is cancelled, then each is reset, then each registers again. */
    @Test
    void afterEveryReaderFailedNothingIsAssignedUntilEachIsBackAndEachGetsItsOwnTargets() throws Throwable {
        start(2, ScrapeEnumeratorState.empty());
        register(0);
        register(1);
        report("static/0", targets(0, 6));
        Map<String, ScrapeTarget> readerOneBefore = new TreeMap<>(context.reader(1));
        context.log.clear();

        context.fail(0);
        context.fail(1);
        enumerator.addSplitsBack(List.of(), 0);
        enumerator.addSplitsBack(List.of(), 1);
        assertThat(context.allScraped()).isEmpty();

        register(1);
        assertThat(context.reader(1)).isEqualTo(readerOneBefore);
        register(0);

        assertThat(context.counts()).containsExactly(3, 3);
        assertThat(context.allScraped()).isEqualTo(ids(targets(0, 6)));
        assertThat(context.log).noneMatch(line -> line.startsWith("release"));
    }

    @Test
    void discoveryChangesWhileAReaderIsDownReachItWhenItIsBack() throws Throwable {
        start(2, ScrapeEnumeratorState.empty());
        register(0);
        register(1);
        for (int i = 0; i < 4; i++) {
            report("pod/" + i, List.of(target(i)));
        }
        List<Integer> onReaderOne = IntStream.range(0, 4)
                .filter(i -> context.reader(1).containsKey(target(i).id()))
                .boxed()
                .collect(Collectors.toList());
        assertThat(onReaderOne).hasSize(2);
        ScrapeTarget moved = new ScrapeTarget(
                "job",
                "http://10.9.9.9:9100/metrics",
                target(onReaderOne.get(0)).labels(),
                60_000,
                10_000);

        context.fail(1); // its task failed; the coordinator has not reset it yet
        report("pod/4", List.of(target(4)));
        report("pod/5", List.of(target(5)));
        report("pod/" + onReaderOne.get(0), List.of(moved));
        report("pod/" + onReaderOne.get(1), List.of());
        assertThat(context.reader(0)).containsKeys(target(4).id(), target(5).id());

        enumerator.addSplitsBack(List.of(), 1);
        register(1);

        Set<String> expected = ids(targets(0, 6));
        expected.remove(target(onReaderOne.get(1)).id());
        assertThat(context.reader(1)).containsEntry(moved.id(), moved);
        assertThat(context.allScraped()).isEqualTo(expected);
        assertThat(context.counts()).containsExactlyInAnyOrder(3, 2);
    }

    /** A global failover: the enumerator is restored, and one reader fails again before the others registered. */
    @Test
    void aRestoredEnumeratorKeepsTheTargetsOfAReaderThatFailedBeforeTheOthersRegisteredForIt() throws Throwable {
        start(3, ScrapeEnumeratorState.empty());
        register(0);
        register(1);
        register(2);
        report("static/0", targets(0, 6));
        Map<String, ScrapeTarget> readerZeroBefore = new TreeMap<>(context.reader(0));
        ScrapeEnumeratorStateSerializer serializer = new ScrapeEnumeratorStateSerializer();
        byte[] checkpoint = serializer.serialize(enumerator.snapshotState(1));
        enumerator.close();
        context.close();

        start(3, serializer.deserialize(serializer.getVersion(), checkpoint));
        register(0);
        context.fail(0);
        register(1);
        register(2);
        assertThat(context.allScraped()).hasSize(4).doesNotContainAnyElementsOf(readerZeroBefore.keySet());

        enumerator.addSplitsBack(List.of(), 0);
        register(0);

        assertThat(context.reader(0)).isEqualTo(readerZeroBefore);
        assertThat(context.counts()).containsExactly(2, 2, 2);
        assertThat(context.log).noneMatch(line -> line.startsWith("release"));
    }

    /** Flink resets a subtask before its next attempt registers; were it the other way round, nothing may move. */
    @Test
    void splitsAddedBackAfterTheirReaderRegisteredAgainStayWithIt() throws Throwable {
        start(2, ScrapeEnumeratorState.empty());
        register(0);
        register(1);
        for (int i = 0; i < 6; i++) {
            report("pod/" + i, List.of(target(i)));
        }
        int onReaderZero = IntStream.range(0, 6)
                .filter(i -> context.reader(0).containsKey(target(i).id()))
                .findFirst()
                .orElseThrow();
        report("pod/" + onReaderZero, List.of());
        List<ScrapeTargetSplit> readerOneHad =
                context.reader(1).values().stream().map(ScrapeTargetSplit::new).collect(Collectors.toList());
        Map<String, ScrapeTarget> readerOneBefore = new TreeMap<>(context.reader(1));
        assertThat(readerOneBefore).hasSize(3);

        context.fail(1);
        register(1);
        enumerator.addSplitsBack(readerOneHad, 1);

        assertThat(context.reader(1)).isEqualTo(readerOneBefore);
        assertThat(context.counts()).containsExactly(2, 3);
    }

    @Test
    void aBoundedSourceTellsOnlyRegisteredReadersThatNoMoreTargetsComeAndARestartedOneAgain() throws Throwable {
        start(2, ScrapeEnumeratorState.empty(), Map.of(), true);
        register(0);
        register(1);
        report("static/0", targets(0, 4));
        updates.synced();
        assertThat(context.log).contains("no more splits -> 0", "no more splits -> 1");
        Map<String, ScrapeTarget> readerOneBefore = new TreeMap<>(context.reader(1));
        context.log.clear();

        context.fail(1);
        report("static/1", targets(4, 6));
        assertThat(context.reader(0)).containsKeys(target(4).id(), target(5).id());
        enumerator.addSplitsBack(List.of(), 1);
        register(1);

        assertThat(context.reader(1)).isEqualTo(readerOneBefore);
        assertThat(context.log.get(context.log.size() - 1)).isEqualTo("no more splits -> 1");
        assertThat(context.log)
                .filteredOn(line -> line.startsWith("no more splits"))
                .hasSize(1);
    }

    @Test
    void aRestoredEnumeratorScrapesItsTargetsWhereTheyWereUntilDiscoverySaysOtherwise() throws Throwable {
        start(2, ScrapeEnumeratorState.empty());
        register(0);
        register(1);
        report("static/0", targets(0, 3));
        report("static/1", targets(3, 6));
        Map<String, ScrapeTarget> readerZeroBefore = new TreeMap<>(context.reader(0));
        byte[] checkpoint = new ScrapeEnumeratorStateSerializer().serialize(enumerator.snapshotState(1));
        enumerator.close();
        context.close();

        ScrapeEnumeratorStateSerializer serializer = new ScrapeEnumeratorStateSerializer();
        start(2, serializer.deserialize(serializer.getVersion(), checkpoint));
        register(0);
        register(1);
        assertThat(context.reader(0)).isEqualTo(readerZeroBefore);
        assertThat(context.allScraped()).isEqualTo(ids(targets(0, 6)));

        report("static/0", targets(0, 3));
        updates.synced();

        assertThat(context.allScraped())
                .as("static/1 was not reported again after the restore")
                .isEqualTo(ids(targets(0, 3)));
        assertThat(context.counts()).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void aJobOverItsTargetLimitHasNoneOfItsTargetsScrapedUntilItIsBackWithin() throws Throwable {
        start(1, ScrapeEnumeratorState.empty(), Map.of("job", 3));
        register(0);
        report("static/0", targets(0, 3));
        assertThat(context.allScraped()).hasSize(3);

        report("static/1", targets(3, 4));
        assertThat(context.allScraped()).isEmpty();

        report("static/1", List.of());
        assertThat(context.allScraped()).isEqualTo(ids(targets(0, 3)));
    }
}
