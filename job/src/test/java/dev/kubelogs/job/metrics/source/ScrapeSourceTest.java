package dev.kubelogs.job.metrics.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.ScrapeOptions;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesBatchSerializer;
import dev.kubelogs.job.metrics.scrape.ScrapeConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the source hands Flink: boundedness, serializers, and enumerators that apply each job's target_limit. */
class ScrapeSourceTest {
    private static final ScrapeReaderSettings FOREVER = new ScrapeReaderSettings(1, 1 << 20);

    private final Context context = new Context();
    private final List<TargetUpdates> discoveries = new ArrayList<>();
    private SplitEnumerator<ScrapeTargetSplit, ScrapeEnumeratorState> enumerator;

    @AfterEach
    void close() throws Exception {
        if (enumerator != null) {
            enumerator.close();
        }
        context.close();
    }

    /** Runs what the enumerator hands its coordinator thread at once, on the test thread. */
    private static final class Context extends MockSplitEnumeratorContext<ScrapeTargetSplit> {
        Context() {
            super(1);
        }

        @Override
        public synchronized void runInCoordinatorThread(Runnable runnable) {
            runnable.run();
        }
    }

    private ScrapeSource source(ScrapeReaderSettings settings, ScrapeConfig... jobs) {
        return new ScrapeSource(
                List.of(jobs),
                updates -> {
                    discoveries.add(updates);
                    return () -> {};
                },
                settings);
    }

    private void startWithOneReader(SplitEnumerator<ScrapeTargetSplit, ScrapeEnumeratorState> e) throws Throwable {
        enumerator = e;
        enumerator.start();
        context.runNextOneTimeCallable();
        context.registerReader(ReaderInfo.createReaderInfo(0, "localhost", List.of()));
        enumerator.addReader(0);
    }

    private static ScrapeTarget target(String job, int i) {
        return new ScrapeTarget(
                job, "http://10.0.0." + i + ":9100/metrics", Labels.of("instance", "10.0.0." + i), 60_000, 10_000);
    }

    private List<String> assigned() {
        List<String> ids = new ArrayList<>();
        context.getSplitsAssignmentSequence()
                .forEach(a -> a.assignment().values().forEach(splits -> splits.forEach(s -> ids.add(s.splitId()))));
        return ids;
    }

    @Test
    void scrapingForEverIsUnboundedAndAFixedNumberOfScrapesIsBounded() {
        assertThat(source(FOREVER).getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(source(new ScrapeReaderSettings(1, 1 << 20, 3)).getBoundedness())
                .isEqualTo(Boundedness.BOUNDED);
    }

    @Test
    void producesBatchesWithTheirOwnSerializer() {
        assertThat(source(FOREVER).getProducedType().getTypeClass()).isEqualTo(SeriesBatch.class);
        assertThat(source(FOREVER).getProducedType().createSerializer(new SerializerConfigImpl()))
                .isInstanceOf(SeriesBatchSerializer.class);
    }

    @Test
    void aSplitSurvivesItsSerializer() throws Exception {
        SimpleVersionedSerializer<ScrapeTargetSplit> serializer =
                source(FOREVER).getSplitSerializer();
        ScrapeTargetSplit split = new ScrapeTargetSplit(target("app", 1));

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(split)))
                .isEqualTo(split);
    }

    @Test
    void aJobOverItsTargetLimitHasNoneScrapedWhileAJobWithoutOneHasAll() throws Throwable {
        ScrapeConfig limited = ScrapeConfigs.job("limited")
                .options(new ScrapeOptions(0, 0, 0, 0, 1, true))
                .build();
        ScrapeConfig unlimited = ScrapeConfigs.job("unlimited").build();
        startWithOneReader(source(FOREVER, limited, unlimited).createEnumerator(context));

        discoveries.get(0).targetsChanged("limited", "static/0", List.of(target("limited", 1), target("limited", 2)));
        discoveries.get(0).targetsChanged("unlimited", "static/0", List.of(target("unlimited", 3)));
        discoveries.get(0).synced();

        assertThat(assigned()).containsExactly(target("unlimited", 3).id());

        discoveries.get(0).targetsChanged("limited", "static/0", List.of(target("limited", 1)));
        assertThat(assigned())
                .containsExactly(
                        target("unlimited", 3).id(), target("limited", 1).id());
    }

    @Test
    void aRestoredEnumeratorStartsFromItsCheckpointedTargets() throws Throwable {
        ScrapeSource source = source(FOREVER, ScrapeConfigs.job("app").build());
        ScrapeEnumeratorState state = new ScrapeEnumeratorState(
                List.of(new ScrapeEnumeratorState.SourceTargets("app", "static/0", List.of(target("app", 1)))),
                Map.of(target("app", 1).id(), 0));
        SimpleVersionedSerializer<ScrapeEnumeratorState> serializer = source.getEnumeratorCheckpointSerializer();
        ScrapeEnumeratorState restored = serializer.deserialize(serializer.getVersion(), serializer.serialize(state));

        startWithOneReader(source.restoreEnumerator(context, restored));

        assertThat(enumerator.snapshotState(1).sources()).isEqualTo(state.sources());
    }
}
