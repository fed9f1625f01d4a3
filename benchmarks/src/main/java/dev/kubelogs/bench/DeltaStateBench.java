package dev.kubelogs.bench;

import dev.kubelogs.job.metrics.delta.DeltaCalculator;
import dev.kubelogs.job.metrics.delta.DeltaOperator;
import dev.kubelogs.job.metrics.delta.SeriesBatchKey;
import dev.kubelogs.job.metrics.delta.SeriesGroupKey;
import dev.kubelogs.job.metrics.model.Sample;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.ExpositionFormat;
import dev.kubelogs.job.metrics.parse.ExpositionParser;
import dev.kubelogs.job.metrics.scrape.SampleDropReason;
import dev.kubelogs.job.metrics.scrape.SeriesGrouping;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The delta stage's state per series, measured on the operator itself in Flink's keyed test harness: {@code targets}
 * scrapes of {@link ExporterText} (each target its own {@code instance}) prime a {@link DeltaCalculator}; then the
 * heap it holds on the heap backend (used heap after a full GC, after minus before) and the full snapshot's keyed
 * state size on the heap and on the RocksDB backend, each divided by the series that have a previous value, and how
 * long each snapshot took (synchronous and asynchronous part together, in this thread: the time a checkpoint's upload
 * waits for it).
 */
public final class DeltaStateBench {
    private static final Duration TTL = Duration.ofMinutes(5);

    private DeltaStateBench() {}

    public record Result(
            long seriesWithState,
            long heapBytes,
            long heapSnapshotBytes,
            long rocksDbSnapshotBytes,
            long heapSnapshotMillis,
            long rocksDbSnapshotMillis) {}

    public static Result run(int targets, PrintStream out) throws Exception {
        List<SeriesGroup> groups = groups(targets);
        long series = (long) targets * ExporterText.COUNTER_LIKE_SERIES;
        long[] heap = prime(groups, false);
        long[] rocks = prime(groups, true);
        Result r = new Result(series, heap[0], heap[1], rocks[1], heap[2], rocks[2]);
        out.printf(
                Locale.ROOT,
                "  delta state of %,d series with a previous value (%,d targets): heap %.1f bytes per "
                        + "series; full snapshot %.1f bytes per series (hashmap), %.1f (rocksdb); snapshot of all "
                        + "%,d bytes (hashmap) in %,d ms, %,d bytes (rocksdb) in %,d ms%n",
                series,
                targets,
                (double) r.heapBytes() / series,
                (double) r.heapSnapshotBytes() / series,
                (double) r.rocksDbSnapshotBytes() / series,
                r.heapSnapshotBytes(),
                r.heapSnapshotMillis(),
                r.rocksDbSnapshotBytes(),
                r.rocksDbSnapshotMillis());
        out.flush();
        return r;
    }

    /** One scrape of each target, grouped as the scrape source groups it. */
    public static List<SeriesGroup> groups(int targets) throws Exception {
        ExpositionParser parser = new ExpositionParser();
        List<SeriesGroup> groups = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            groups.addAll(scrape(parser, t, 0, 1_000L));
        }
        return groups;
    }

    /** Scrape {@code scrape} of target {@code t}, grouped as the scrape source groups it, stamped {@code timestampMs}. */
    static List<SeriesGroup> scrape(ExpositionParser parser, int t, long scrape, long timestampMs) throws Exception {
        byte[] body = ExporterText.render(t, scrape);
        List<Sample> samples = new ArrayList<>();
        for (Sample s : parser.parse(body, body.length, ExpositionFormat.TEXT_0_0_4)) {
            samples.add(s.withLabels(
                    s.name(),
                    s.labels()
                            .with("job", "bench")
                            .with("instance", "10.0." + (t >> 8) + "." + (t & 255) + ":9100")
                            .with("Namespace", "shop-" + t % 10)
                            .with("pod_name", "orders-7d9c6b7f9d-" + t)));
        }
        return SeriesGrouping.group(samples, timestampMs, true, new EnumMap<>(SampleDropReason.class));
    }

    /**
     * Primes a calculator with {@code groups}; returns {heap bytes held (heap backend only), snapshot bytes, snapshot
     * milliseconds}.
     */
    private static long[] prime(List<SeriesGroup> groups, boolean rocksDb) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, SeriesBatch, SeriesGroup> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new DeltaOperator(new DeltaCalculator(TTL)), new SeriesBatchKey(), SeriesGroupKey.TYPE)) {
            harness.setStateBackend(rocksDb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
            harness.open();
            long before = rocksDb ? 0 : DiscoveryMemoryBench.usedHeapAfterGc();
            for (SeriesGroup g : groups) {
                harness.processElement(new SeriesBatch(0, 1, List.of(g)), g.timestampMs);
                harness.getOutput().clear();
            }
            long held = rocksDb ? 0 : DiscoveryMemoryBench.usedHeapAfterGc() - before;
            long start = System.nanoTime();
            OperatorSubtaskState snapshot = harness.snapshot(1, 2_000L);
            long millis = (System.nanoTime() - start) / 1_000_000;
            long size = 0;
            for (KeyedStateHandle h : snapshot.getManagedKeyedState()) {
                size += h.getStateSize();
            }
            return new long[] {held, size, millis};
        }
    }
}
