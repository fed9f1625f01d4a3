package dev.kubelogs.job.metrics.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.scrape.MetricsEndpoint;
import dev.kubelogs.job.metrics.scrape.ScrapeConfigs;
import dev.kubelogs.job.metrics.scrape.ScrapeMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reader against real local targets: scheduling, availability, emission, release and state. */
@Timeout(120)
class ScrapeSourceReaderTest {
    private static final String BODY = "# TYPE requests_total counter\nrequests_total{code=\"200\"} 7\n"
            + "# TYPE temperature gauge\ntemperature 21.5\n";

    private final TestingReaderOutput<SeriesBatch> output = new TestingReaderOutput<>();
    private ScrapeSourceReader reader;
    private MetricsEndpoint endpoint;

    @AfterEach
    void close() throws Exception {
        reader.close();
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private final MetricListener metrics = new MetricListener();

    private ScrapeSourceReader reader(int threads) {
        reader = new ScrapeSourceReader(
                new TestingReaderContext(
                        new Configuration(), InternalSourceReaderMetricGroup.mock(metrics.getMetricGroup())),
                List.of(ScrapeConfigs.job("app").build()),
                new ScrapeReaderSettings(threads, 1 << 20));
        reader.start();
        return reader;
    }

    private static ScrapeTargetSplit split(MetricsEndpoint endpoint, long intervalMs) {
        return new ScrapeTargetSplit(new ScrapeTarget(
                "app", endpoint.url(), Labels.of("job", "app", "instance", endpoint.address()), intervalMs, 5_000));
    }

    /** The groups of the records emitted so far, in order. */
    private List<SeriesGroup> emittedGroups() {
        return output.getEmittedRecords().stream()
                .flatMap(b -> b.groups.stream())
                .toList();
    }

    /** Polls the reader as the task thread does, waiting on its availability future, until n scrapes came out. */
    private void pollUntil(int records) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (output.getEmittedRecords().size() < records) {
            assertThat(System.nanoTime()).as("records within 30 s").isLessThan(deadline);
            CompletableFuture<Void> available = reader.isAvailable();
            available.get(30, TimeUnit.SECONDS);
            InputStatus status;
            do {
                status = reader.pollNext(output);
            } while (status == InputStatus.MORE_AVAILABLE);
        }
    }

    /**
     * The task thread not polling is what backpressure looks like to the reader: a target's scrapes wait for its last
     * outcome to be emitted, skipped and counted meanwhile, instead of queueing one outcome per interval without end.
     */
    @Test
    void aTargetWhoseLastScrapeIsNotEmittedYetSkipsItsScrapesAndCountsThem() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, BODY);
        reader(2);
        reader.addSplits(List.of(split(endpoint, 50)));
        Counter skipped = metrics.getCounter(ScrapeMetrics.GROUP, "scrapes_skipped_behind")
                .orElseThrow();

        CommonTestUtils.waitUntilCondition(() -> skipped.getCount() >= 5);
        assertThat(reader.outcomesQueued()).isEqualTo(1);
        assertThat(endpoint.requests()).hasSize(1);

        pollUntil(1);
        CommonTestUtils.waitUntilCondition(() -> endpoint.requests().size() >= 2);
    }

    @Test
    void aTargetIsScrapedOnItsIntervalAndItsGroupsAreEmitted() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, BODY);
        reader(2);
        assertThat(reader.isAvailable()).isNotDone();

        reader.addSplits(List.of(split(endpoint, 200)));
        pollUntil(2);

        assertThat(output.getEmittedRecords())
                .as("one record per scrape")
                .allMatch(b -> b.groups.size() == 2 && b.subtask == SeriesBatch.UNROUTED);
        List<SeriesGroup> emitted = emittedGroups();
        assertThat(emitted).extracting(g -> g.names[0]).startsWith("requests_total", "temperature");
        assertThat(emitted.get(0).labels.get("instance")).isEqualTo(endpoint.address());
        assertThat(endpoint.requests().size()).isGreaterThanOrEqualTo(2);
        assertThat(reader.snapshotState(1)).containsExactly(split(endpoint, 200));
    }

    @Test
    void aReleasedTargetIsNoLongerScrapedNorInTheState() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, BODY);
        reader(1);
        ScrapeTargetSplit split = split(endpoint, 100);
        reader.addSplits(List.of(split));
        endpoint.awaitRequests(1, Duration.ofSeconds(30));

        reader.handleSourceEvents(new ReleaseTargetsEvent(List.of(split.splitId())));

        assertThat(reader.snapshotState(2)).isEmpty();
        assertThat(reader.targetIds()).isEmpty();
        // a scrape in flight may still finish; after it none is queued or running, and then none can be scheduled
        // any more (only a running scrape schedules the next); with the target kept, one is always queued
        CommonTestUtils.waitUntilCondition(() -> reader.scrapesQueuedOrRunning() == 0);
    }

    /** The enumerator sends a target again when its URL or interval changed: the new one replaces the old chain. */
    @Test
    void aTargetItAlreadyHasReplacesTheOldOneAndLeavesNoSecondScrapeChain() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, BODY);
        reader(2);
        ScrapeTargetSplit split = split(endpoint, 100);
        reader.addSplits(List.of(split));
        endpoint.awaitRequests(1, Duration.ofSeconds(30));

        ScrapeTargetSplit slower = split(endpoint, 150);
        reader.addSplits(List.of(slower));
        assertThat(reader.snapshotState(1)).containsExactly(slower);

        reader.handleSourceEvents(new ReleaseTargetsEvent(List.of(split.splitId())));
        // a chain left behind by the replaced target would keep one scrape queued for ever
        CommonTestUtils.waitUntilCondition(() -> reader.scrapesQueuedOrRunning() == 0);
    }

    /** After a restart a reader may be told to let go of a target it was never given: nothing else changes. */
    @Test
    void releasingATargetItDoesNotHaveLeavesItsOwnScraped() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, BODY);
        reader(1);
        ScrapeTargetSplit split = split(endpoint, 100);
        reader.addSplits(List.of(split));

        reader.handleSourceEvents(new ReleaseTargetsEvent(List.of("other{instance=\"10.0.0.9:9100\"}")));

        assertThat(reader.targetIds()).containsExactly(split.splitId());
        pollUntil(2); // two scrapes
        assertThat(endpoint.requests().size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aTargetOfAnUnknownJobIsNotScraped() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, BODY);
        reader(1);
        reader.addSplits(List.of(new ScrapeTargetSplit(
                new ScrapeTarget("gone-job", endpoint.url(), Labels.of("job", "gone-job"), 100, 5_000))));

        assertThat(reader.targetIds()).isEmpty();
        assertThat(reader.snapshotState(1)).isEmpty();
    }
}
