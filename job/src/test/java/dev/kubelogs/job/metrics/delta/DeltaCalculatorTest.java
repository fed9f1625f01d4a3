package dev.kubelogs.job.metrics.delta;

import static dev.kubelogs.job.metrics.delta.DeltaHarness.counter;
import static dev.kubelogs.job.metrics.delta.DeltaHarness.group;
import static dev.kubelogs.job.metrics.delta.DeltaHarness.histogram;
import static dev.kubelogs.job.metrics.delta.DeltaHarness.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.junit.jupiter.api.Test;

class DeltaCalculatorTest {
    static final Duration TTL = Duration.ofMinutes(5);
    static final long T0 = 1_700_000_000_000L;
    static final long MINUTE = 60_000L;
    static final double STALE_MARKER = Double.longBitsToDouble(DeltaCalculator.STALE_MARKER_BITS);

    /** Reference §7's worked example, one counter scraped every minute. */
    @Test
    void theAgentsWorkedExampleRowByRow() throws Exception {
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            assertThat(h.send(counter(T0, "requests_total", 100)))
                    .as("t0: first sample primes")
                    .isEmpty();
            assertThat(h.sendOne(counter(T0 + MINUTE, "requests_total", 130)).values)
                    .as("t1")
                    .containsExactly(30);
            assertThat(h.sendOne(counter(T0 + 2 * MINUTE, "requests_total", 130)).values)
                    .as("t2")
                    .containsExactly(0);
            assertThat(h.sendOne(counter(T0 + 3 * MINUTE, "requests_total", 5)).values)
                    .as("t3: reset")
                    .containsExactly(5);
            assertThat(h.send(counter(T0 + 4 * MINUTE, "requests_total", Double.NaN)))
                    .as("t4: NaN")
                    .isEmpty();
            assertThat(h.send(counter(T0 + 5 * MINUTE, "requests_total", 20)))
                    .as("t5: primes again")
                    .isEmpty();
            assertThat(h.sendOne(counter(T0 + 6 * MINUTE, "requests_total", 26)).values)
                    .as("t6")
                    .containsExactly(6);

            assertThat(h.counter("groupsIn")).isEqualTo(7);
            assertThat(h.counter("groupsOut")).isEqualTo(4);
            assertThat(h.counter("samplesOut")).isEqualTo(4);
            assertThat(h.counter("samplesPrimed")).isEqualTo(2);
            assertThat(h.counter("counterResets")).isEqualTo(1);
            assertThat(h.dropped(DropReason.NAN)).isEqualTo(1);
        }
    }

    @Test
    void anEmittedGroupKeepsTheStreamLabelsTypeAndTimestamp() throws Exception {
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            h.send(counter(T0, "requests_total", 100, "code", "200"));
            SeriesGroup out = h.sendOne(counter(T0 + MINUTE, "requests_total", 130, "code", "200"));
            assertThat(out)
                    .isEqualTo(group(
                            MetricType.COUNTER,
                            labels("code", "200"),
                            T0 + MINUTE,
                            new String[] {"requests_total"},
                            new double[] {30},
                            null));
        }
    }

    /**
     * A failover after the checkpoint of t1: the scrape t2 was processed but its output never committed, so the
     * restored operator sees t2 again. Against the checkpointed t1 it emits t2's increase once, and t3's after it:
     * the committed deltas add up to the counter's whole increase (the agent loses the first after a restart).
     */
    @Test
    void aRestoreTakesTheNextDeltaAgainstTheCheckpointedValueNothingLostNothingDoubled() throws Exception {
        List<Double> committed = new ArrayList<>();
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            h.send(counter(T0, "requests_total", 100));
            committed.add(h.sendOne(counter(T0 + MINUTE, "requests_total", 130)).values[0]);
            OperatorSubtaskState checkpoint = h.checkpoint(1);
            h.sendOne(counter(T0 + 2 * MINUTE, "requests_total", 150)); // lost with the failure

            h.restart(checkpoint);
            committed.add(h.sendOne(counter(T0 + 2 * MINUTE, "requests_total", 150)).values[0]);
            committed.add(h.sendOne(counter(T0 + 3 * MINUTE, "requests_total", 171)).values[0]);
            assertThat(committed).containsExactly(30.0, 20.0, 21.0);
            assertThat(committed.stream().mapToDouble(Double::doubleValue).sum())
                    .isEqualTo(171 - 100);
            assertThat(h.counter("samplesPrimed"))
                    .as("nothing primes after the restore")
                    .isZero();
        }
    }

    @Test
    void aSampleNotNewerThanTheStoredOneIsDroppedNotEmittedRaw() throws Exception {
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            h.send(counter(T0, "requests_total", 100));
            h.sendOne(counter(T0 + MINUTE, "requests_total", 130));
            assertThat(h.send(counter(T0 + MINUTE, "requests_total", 140)))
                    .as("same timestamp")
                    .isEmpty();
            assertThat(h.send(counter(T0 + 30_000, "requests_total", 120)))
                    .as("older timestamp")
                    .isEmpty();
            assertThat(h.dropped(DropReason.STALE_TIMESTAMP)).isEqualTo(2);
            assertThat(h.sendOne(counter(T0 + 2 * MINUTE, "requests_total", 150)).values)
                    .as("the next delta is against the stored sample, not a dropped one")
                    .containsExactly(20);
            assertThat(h.counter("counterResets")).isZero();
        }
    }

    @Test
    void eachSampleIsComparedByItsOwnTimeNotItsGroups() throws Exception {
        // delta_calculator.go compares each pm.timeInMS before mergeMetrics merges by label set: a sample whose honored
        // time stands still must not hold back the deltas of another in its event
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            h.send(counterPair(T0, T0, 10, T0 + 5, 100));
            SeriesGroup second = h.sendOne(counterPair(T0, T0, 10, T0 + MINUTE, 130));
            assertThat(second.names).containsExactly("scraped_total");
            assertThat(second.values).containsExactly(30);
            assertThat(second.timestampMs)
                    .as("the event keeps the first sample's time")
                    .isEqualTo(T0);
            assertThat(h.dropped(DropReason.STALE_TIMESTAMP)).isEqualTo(1);
            SeriesGroup third = h.sendOne(counterPair(T0 + 2 * MINUTE, T0 + 2 * MINUTE, 11, T0 + MINUTE, 140));
            assertThat(third.names).as("its own time stood still").containsExactly("stamped_total");
            assertThat(third.values).containsExactly(1);
        }
    }

    /** One counter group of {@code stamped_total} and {@code scraped_total}, each at its own time. */
    private static SeriesGroup counterPair(
            long groupTs, long stampedTs, double stamped, long scrapedTs, double scraped) {
        SeriesGroup g = group(
                MetricType.COUNTER,
                labels(),
                groupTs,
                new String[] {"stamped_total", "scraped_total"},
                new double[] {stamped, scraped},
                null);
        g.sampleTimestamps = new long[] {stampedTs, scrapedTs};
        return g;
    }

    @Test
    void stateExpiresTheTtlAfterItsLastWrite() throws Exception {
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            h.ttlTime(0);
            h.send(counter(T0, "requests_total", 100));
            h.ttlTime(TTL.toMillis() - 1);
            assertThat(h.sendOne(counter(T0 + MINUTE, "requests_total", 130)).values)
                    .containsExactly(30);
            assertThat(h.keyedStateEntries()).isEqualTo(1);

            h.ttlTime(2 * TTL.toMillis());
            assertThat(h.send(counter(T0 + 2 * MINUTE, "requests_total", 150)))
                    .as("expired: primes again")
                    .isEmpty();
            assertThat(h.counter("samplesPrimed")).isEqualTo(2);
            assertThat(h.sendOne(counter(T0 + 3 * MINUTE, "requests_total", 160)).values)
                    .containsExactly(10);
        }
    }

    /**
     * On the heap backend no compaction filter runs: a series that stopped being scraped must still leave the heap,
     * through the incremental cleanup other series' accesses drive, and must not be written into a snapshot.
     */
    @Test
    void onTheHeapBackendAnExpiredSeriesIsRemovedNotOnlyHidden() throws Exception {
        try (DeltaHarness h = new DeltaHarness(TTL, new HashMapStateBackend(), null)) {
            h.ttlTime(0);
            for (int pod = 0; pod < 50; pod++) {
                h.send(counter(T0, "requests_total", 100, "pod", "gone-" + pod));
            }
            assertThat(h.keyedStateEntries()).isEqualTo(50);

            h.ttlTime(TTL.toMillis() + 1);
            OperatorSubtaskState expired = h.checkpoint(1);
            for (int scrape = 0; scrape < 10; scrape++) {
                h.send(counter(T0 + scrape * MINUTE, "requests_total", 100 + scrape, "pod", "alive"));
            }
            assertThat(h.keyedStateEntries())
                    .as("the 50 expired series cleaned up by the live series' accesses")
                    .isEqualTo(1);

            h.restart(expired);
            assertThat(h.keyedStateEntries())
                    .as("a snapshot taken after the expiry holds none of them")
                    .isZero();
        }
    }

    @Test
    void aMetricWhoseStoredSampleIsOlderThanTheTtlInSampleTimePrimesAgain() throws Exception {
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            h.send(counter(T0, "requests_total", 100));
            assertThat(h.send(counter(T0 + TTL.toMillis() + 1, "requests_total", 500)))
                    .isEmpty();
            assertThat(h.counter("samplesPrimed")).isEqualTo(2);
        }
    }

    @Test
    void histogramBucketsSumAndCountAreDeltasPerLeAndStayCumulative() throws Exception {
        double[] les = {0.1, 1, Double.POSITIVE_INFINITY};
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            assertThat(h.send(histogram(T0, "latency_seconds", les, new double[] {2, 5, 6}, 3.5, 6)))
                    .isEmpty();
            SeriesGroup out = h.sendOne(histogram(T0 + MINUTE, "latency_seconds", les, new double[] {3, 9, 11}, 7, 11));
            assertThat(out.names)
                    .containsExactly(
                            "latency_seconds_bucket",
                            "latency_seconds_bucket",
                            "latency_seconds_bucket",
                            "latency_seconds_sum",
                            "latency_seconds_count");
            assertThat(out.values).containsExactly(1, 4, 5, 3.5, 5);
            assertThat(out.upperBounds).containsExactly(0.1, 1, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN);
            assertThat(h.counter("samplesPrimed")).isEqualTo(5);
        }
    }

    @Test
    void aNewBucketPrimesAloneAndTheOthersKeepTheirDeltas() throws Exception {
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            h.send(histogram(
                    T0, "latency_seconds", new double[] {1, Double.POSITIVE_INFINITY}, new double[] {5, 6}, 3, 6));
            SeriesGroup out = h.sendOne(histogram(
                    T0 + MINUTE,
                    "latency_seconds",
                    new double[] {0.5, 1, Double.POSITIVE_INFINITY},
                    new double[] {4, 7, 8},
                    4,
                    8));
            assertThat(out.upperBounds).containsExactly(1, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN);
            assertThat(out.values).containsExactly(2, 2, 1, 2);
        }
    }

    @Test
    void notFiniteValuesAreDroppedByReasonAndForgetOnlyThatMetric() throws Exception {
        String[] names = {"a_total", "b_total", "c_total", "d_total"};
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            h.send(counters(T0, names, 1, 1, 1, 1));
            SeriesGroup out = h.sendOne(group(
                    MetricType.COUNTER,
                    labels(),
                    T0 + MINUTE,
                    names,
                    new double[] {Double.NaN, STALE_MARKER, Double.POSITIVE_INFINITY, 3},
                    null));
            assertThat(out.names).containsExactly("d_total");
            assertThat(out.values).containsExactly(2);
            assertThat(h.dropped(DropReason.NAN)).isEqualTo(1);
            assertThat(h.dropped(DropReason.STALE_MARKER)).isEqualTo(1);
            assertThat(h.dropped(DropReason.INFINITE)).isEqualTo(1);

            out = h.sendOne(counters(T0 + 2 * MINUTE, names, 5, 5, 5, 4));
            assertThat(out.names).as("a, b and c prime again").containsExactly("d_total");
            assertThat(out.values).containsExactly(1);
            assertThat(h.counter("samplesPrimed")).isEqualTo(4 + 3);
        }
    }

    @Test
    void aMetricMissingFromAScrapeKeepsItsPreviousValue() throws Exception {
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            h.send(counters(T0, new String[] {"a_total", "b_total"}, 1, 10));
            h.sendOne(counters(T0 + MINUTE, new String[] {"b_total"}, 12));
            SeriesGroup out = h.sendOne(group(
                    MetricType.COUNTER,
                    labels(),
                    T0 + 2 * MINUTE,
                    new String[] {"a_total", "b_total"},
                    new double[] {4, 13},
                    null));
            assertThat(out.values).containsExactly(3, 1);
        }
    }

    /**
     * The calculator keeps its working arrays from one group to the next: what a wide group of one series marked
     * (its matched metrics, its output) must not reach a narrower group of another series after it.
     */
    @Test
    void aGroupAfterAWiderGroupOfAnotherSeriesStartsClean() throws Exception {
        double[] les = {0.1, 1, Double.POSITIVE_INFINITY};
        String[] ab = {"a_total", "b_total"};
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            h.send(counters(T0, ab, 1, 10));
            h.send(histogram(T0, "latency_seconds", les, new double[] {2, 5, 6}, 3.5, 6));
            assertThat(h.sendOne(histogram(T0 + MINUTE, "latency_seconds", les, new double[] {3, 9, 11}, 7, 11)).values)
                    .containsExactly(1, 4, 5, 3.5, 5);

            SeriesGroup out = h.sendOne(counters(T0 + MINUTE, new String[] {"b_total"}, 12));
            assertThat(out.names).containsExactly("b_total");
            assertThat(out.values).containsExactly(2);
            assertThat(out.upperBounds).isNull();
            assertThat(h.sendOne(counters(T0 + 2 * MINUTE, ab, 4, 13)).values)
                    .as("a_total carried over from T0")
                    .containsExactly(3, 1);
            assertThat(h.dropped(DropReason.DUPLICATE)).isZero();
        }
    }

    @Test
    void gaugesAndQuantilesPassThroughAndTheirNaNsAreDropped() throws Exception {
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            SeriesGroup gauge = group(
                    MetricType.GAUGE,
                    labels(),
                    T0,
                    new String[] {"memory_bytes", "threads"},
                    new double[] {1024, Double.NaN},
                    null);
            SeriesGroup out = h.sendOne(gauge);
            assertThat(out.names).containsExactly("memory_bytes");
            assertThat(out.values).containsExactly(1024);

            SeriesGroup quantile = group(
                    MetricType.SUMMARY,
                    labels("quantile", "0.99"),
                    T0,
                    new String[] {"rpc_seconds"},
                    new double[] {0.25},
                    null);
            assertThat(h.sendOne(quantile)).isEqualTo(quantile);
            assertThat(h.dropped(DropReason.NAN)).isEqualTo(1);
            assertThat(h.keyedStateEntries())
                    .as("pass-through groups keep no state")
                    .isZero();
        }
    }

    @Test
    void aSummarysSumAndCountBecomeDeltas() throws Exception {
        String[] names = {"rpc_seconds_sum", "rpc_seconds_count"};
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            assertThat(h.send(group(MetricType.SUMMARY, labels(), T0, names, new double[] {10.5, 100}, null)))
                    .isEmpty();
            SeriesGroup out =
                    h.sendOne(group(MetricType.SUMMARY, labels(), T0 + MINUTE, names, new double[] {12, 130}, null));
            assertThat(out.values).containsExactly(1.5, 30);
        }
    }

    @Test
    void aSummarySampleNamedWithASumOrCountSuffixIsADeltaEvenWithAQuantileLabel() throws Exception {
        // the agent's calculator decides by type and name suffix alone (calculator.go: isSummary() and _count/_sum)
        String[] names = {"queue_count"};
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            Labels quantile = labels("quantile", "0.5");
            assertThat(h.send(group(MetricType.SUMMARY, quantile, T0, names, new double[] {10}, null)))
                    .isEmpty();
            SeriesGroup out =
                    h.sendOne(group(MetricType.SUMMARY, quantile, T0 + MINUTE, names, new double[] {15}, null));
            assertThat(out.values).containsExactly(5);
        }
    }

    @Test
    void unsupportedTypesAreCountedAndDropped() throws Exception {
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            for (MetricType type : new MetricType[] {MetricType.UNTYPED, MetricType.INFO, MetricType.STATESET}) {
                assertThat(h.send(group(type, labels(), T0, new String[] {"x", "y"}, new double[] {1, 2}, null)))
                        .isEmpty();
            }
            assertThat(h.dropped(DropReason.UNSUPPORTED_TYPE)).isEqualTo(6);
            assertThat(h.counter("groupsOut")).isZero();
        }
    }

    @Test
    void aGroupWhoseArraysDisagreeIsCountedAndDroppedNotAFailure() throws Exception {
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            assertThat(h.send(counters(T0, new String[] {"a_total", "b_total"}, 1)))
                    .isEmpty();
            assertThat(h.send(group(
                            MetricType.HISTOGRAM,
                            labels(),
                            T0,
                            new String[] {"x_bucket"},
                            new double[] {1},
                            new double[0])))
                    .isEmpty();
            assertThat(h.dropped(DropReason.MALFORMED_GROUP)).isEqualTo(3);
        }
    }

    @Test
    void aMetricTwiceInOneGroupCountsOnce() throws Exception {
        String[] names = {"a_total", "a_total"};
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            h.send(counters(T0, names, 1, 50));
            SeriesGroup out = h.sendOne(counters(T0 + MINUTE, names, 3, 60));
            assertThat(out.values).containsExactly(2);
            assertThat(h.dropped(DropReason.DUPLICATE)).isEqualTo(2);
        }
    }

    @Test
    void seriesWithOtherLabelsStreamsOrTypesKeepTheirOwnState() throws Exception {
        try (DeltaHarness h = new DeltaHarness(TTL)) {
            h.send(counter(T0, "requests_total", 100, "code", "200"));
            h.send(counter(T0, "requests_total", 7, "code", "500"));
            assertThat(h.sendOne(counter(T0 + MINUTE, "requests_total", 110, "code", "200")).values)
                    .containsExactly(10);
            assertThat(h.sendOne(counter(T0 + MINUTE, "requests_total", 9, "code", "500")).values)
                    .containsExactly(2);
            assertThat(h.keyedStateEntries()).isEqualTo(2);
        }
    }

    @Test
    void theStateTtlComesFromItsConfigOptionAndMustBePositive() {
        Configuration config = new Configuration();
        config.set(DeltaConfigOptions.STATE_TTL, Duration.ZERO);
        assertThatThrownBy(() -> DeltaCalculator.of(config))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("kubelogs.metrics.delta.state-ttl");
        assertThat(DeltaConfigOptions.STATE_TTL.defaultValue()).isEqualTo(Duration.ofMinutes(5));
    }

    private static SeriesGroup counters(long ts, String[] names, double... values) {
        return group(MetricType.COUNTER, labels(), ts, names, values, null);
    }
}
