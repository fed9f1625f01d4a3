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

        @Override
        public synchronized void assignSplits(SplitsAssignment<ScrapeTargetSplit> assignment) {
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
            super.sendEventToSourceReader(subtask, event);
            for (String id : ((ReleaseTargetsEvent) event).targetIds()) {
                assertThat(reader(subtask).remove(id))
                        .as("%s released by %s, which did not have it", id, subtask)
                        .isNotNull();
                log.add("release " + id + " <- " + subtask);
            }
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
        context = new RecordingContext(parallelism);
        enumerator = new ScrapeSplitEnumerator(
                context,
                u -> {
                    updates = u;
                    return () -> {};
                },
                targetLimits,
                state);
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
    void aFailedReadersTargetsGoElsewhereAndComeBackWhenItRegistersAgain() throws Throwable {
        start(2, ScrapeEnumeratorState.empty());
        register(0);
        register(1);
        report("static/0", targets(0, 6));
        List<ScrapeTargetSplit> hadSinceCheckpoint = context.reader(1).values().stream()
                .limit(1)
                .map(ScrapeTargetSplit::new)
                .collect(Collectors.toList());

        context.fail(1);
        enumerator.addSplitsBack(hadSinceCheckpoint, 1);
        assertThat(context.reader(0)).hasSize(6);
        context.readers.remove(1);

        register(1);
        assertThat(context.counts()).containsExactly(3, 3);
        assertThat(context.allScraped()).isEqualTo(ids(targets(0, 6)));
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
