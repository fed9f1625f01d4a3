package dev.kubelogs.job.metrics.delta;

import static dev.kubelogs.job.metrics.delta.DeltaHarness.counter;
import static dev.kubelogs.job.metrics.delta.DeltaHarness.group;
import static dev.kubelogs.job.metrics.delta.DeltaHarness.histogram;
import static dev.kubelogs.job.metrics.delta.DeltaHarness.labels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Delta state that a release wrote restores into the current {@link DeltaOperator}, on either state backend: the
 * fixture {@code harness-state/<release>/metrics-delta.snapshot} is a canonical savepoint of the operator taken in the
 * middle of {@link #before} (a counter, a histogram, a summary's sum and count, and a group one of whose counters
 * was forgotten after a NaN). The scrape after it must give exact deltas: a change of the key hash, the metric ids or
 * the state format that loses or misreads the state fails here.
 *
 * <p>Write a fixture with {@code mvn -pl job test -Dtest=DeltaStateCompatibilityTest
 * -Dkubelogs.writeHarnessState=<release>}; a release that changes the delta state adds one and keeps the old ones.
 */
class DeltaStateCompatibilityTest {
    static final List<String> RELEASES = List.of("0.1.0");
    static final Duration TTL = Duration.ofMinutes(5);
    static final long T0 = 1_700_000_000_000L;
    static final long T1 = T0 + 60_000L;
    static final long T2 = T0 + 120_000L;
    static final double[] LES = {0.1, 1, Double.POSITIVE_INFINITY};
    static final String[] A_AND_B = {"a_total", "b_total"};
    static final String[] SUM_AND_COUNT = {"rpc_seconds_sum", "rpc_seconds_count"};

    /** The scrapes before the savepoint. */
    static void before(DeltaHarness h) throws Exception {
        for (SeriesGroup g : groupsBefore()) {
            h.send(g);
        }
    }

    /** The groups of the scrapes before the savepoint, in order. */
    static List<SeriesGroup> groupsBefore() {
        return List.of(
                counter(T0, "requests_total", 100, "code", "200"),
                counter(T1, "requests_total", 130, "code", "200"),
                histogram(T0, "latency_seconds", LES, new double[] {2, 5, 6}, 3.5, 6),
                group(MetricType.SUMMARY, labels(), T0, SUM_AND_COUNT, new double[] {10.5, 100}, null),
                group(MetricType.COUNTER, labels(), T0, A_AND_B, new double[] {1, 1}, null),
                group(MetricType.COUNTER, labels(), T1, A_AND_B, new double[] {2, Double.NaN}, null));
    }

    @Test
    void deltaStateOfEarlierReleasesRestoresOnTheHeapAndInRocksDb() throws Exception {
        for (String release : RELEASES) {
            URL fixture = getClass().getResource("/harness-state/" + release + "/metrics-delta.snapshot");
            assertThat(fixture).as("fixture of release %s", release).isNotNull();
            OperatorSubtaskState state = OperatorSnapshotUtil.readStateHandle(
                    Path.of(fixture.toURI()).toString());
            for (StateBackend backend : List.of(new HashMapStateBackend(), new EmbeddedRocksDBStateBackend())) {
                try (DeltaHarness h = new DeltaHarness(TTL, backend, state)) {
                    assertNextScrapeGivesExactDeltas(h);
                }
            }
        }
    }

    /** The move from RocksDB to the heap backend: a canonical savepoint of the one restores on the other. */
    @Test
    void aCanonicalSavepointTakenOnRocksDbRestoresOnTheHeap() throws Exception {
        OperatorSubtaskState savepoint;
        try (DeltaHarness h = new DeltaHarness(TTL, new EmbeddedRocksDBStateBackend(), null)) {
            before(h);
            savepoint = h.savepoint(1);
        }
        try (DeltaHarness h = new DeltaHarness(TTL, new HashMapStateBackend(), savepoint)) {
            assertNextScrapeGivesExactDeltas(h);
        }
    }

    @Test
    void theCurrentCodeGivesTheSameDeltasWithoutARestore() throws Exception {
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            before(h);
            assertNextScrapeGivesExactDeltas(h);
        }
    }

    static void assertNextScrapeGivesExactDeltas(DeltaHarness h) throws Exception {
        long primedBefore = h.counter("samplesPrimed");
        assertThat(h.sendOne(counter(T2, "requests_total", 150, "code", "200")).values)
                .containsExactly(20);
        SeriesGroup histogram = h.sendOne(histogram(T2, "latency_seconds", LES, new double[] {3, 9, 11}, 7, 11));
        assertThat(histogram.values).containsExactly(1, 4, 5, 3.5, 5);
        SeriesGroup summary =
                h.sendOne(group(MetricType.SUMMARY, labels(), T2, SUM_AND_COUNT, new double[] {12, 130}, null));
        assertThat(summary.values).containsExactly(1.5, 30);
        SeriesGroup ab = h.sendOne(group(MetricType.COUNTER, labels(), T2, A_AND_B, new double[] {5, 5}, null));
        assertThat(ab.names).as("b was forgotten after its NaN: it primes").containsExactly("a_total");
        assertThat(ab.values).containsExactly(3);
        assertThat(h.counter("samplesPrimed") - primedBefore).isEqualTo(1);
    }

    /** Writes the fixture with the current code (once per release that changes the delta state). */
    @Test
    @EnabledIfSystemProperty(named = "kubelogs.writeHarnessState", matches = ".+")
    void writeFixture() throws Exception {
        String release = System.getProperty("kubelogs.writeHarnessState");
        Path target =
                Paths.get("src/test/resources/harness-state").resolve(release).toAbsolutePath();
        Files.createDirectories(target);
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            before(h);
            OperatorSnapshotUtil.writeStateHandle(
                    h.savepoint(1), target.resolve("metrics-delta.snapshot").toString());
        }
    }
}
