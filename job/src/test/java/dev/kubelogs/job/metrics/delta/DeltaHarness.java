package dev.kubelogs.job.metrics.delta;

import dev.kubelogs.job.merge.StageHarness;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Runs a {@link DeltaCalculator} in its {@link DeltaOperator} in Flink's keyed operator test harness, one subtask
 * owning every key group, a group per batch: its keyed state, TTL, snapshots and counters are the real ones.
 */
final class DeltaHarness implements AutoCloseable {
    static final String STREAM = "kubernetes-service-endpoints";
    static final Labels TARGET = Labels.of("job", STREAM, "instance", "192.168.12.34:9150", "Namespace", "shop");

    private final Duration ttl;
    private final StateBackend backend;
    private final Map<String, Metric> metrics = new HashMap<>();
    private KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, SeriesBatch, SeriesGroup> harness;
    private MockEnvironment environment;

    DeltaHarness(Duration ttl) throws Exception {
        this(ttl, null, null);
    }

    /** A harness on {@code backend} (null: the harness's heap backend), restored from {@code state} if not null. */
    DeltaHarness(Duration ttl, StateBackend backend, OperatorSubtaskState state) throws Exception {
        this.ttl = ttl;
        this.backend = backend;
        open(state);
    }

    private void open(OperatorSubtaskState restore) throws Exception {
        environment = StageHarness.environment(DeltaCalculator.UID, metrics);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new DeltaOperator(new DeltaCalculator(ttl)), new SeriesBatchKey(), SeriesGroupKey.TYPE, environment);
        if (backend != null) {
            harness.setStateBackend(backend);
        }
        harness.setup();
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
    }

    /** Closes the running operator (its output is lost, as on a failure) and opens one restored from {@code state}. */
    void restart(OperatorSubtaskState state) throws Exception {
        close();
        open(state);
    }

    /** Processes one group and returns what it emitted. */
    List<SeriesGroup> send(SeriesGroup group) throws Exception {
        int before = harness.extractOutputValues().size();
        harness.processElement(new SeriesBatch(0, 1, List.of(group)), group.timestampMs);
        List<SeriesGroup> all = harness.extractOutputValues();
        return new ArrayList<>(all.subList(before, all.size()));
    }

    /** The only group {@code group} emitted; fails if it emitted none or several. */
    SeriesGroup sendOne(SeriesGroup group) throws Exception {
        List<SeriesGroup> out = send(group);
        if (out.size() != 1) {
            throw new AssertionError("expected one group out of " + group + ", got " + out);
        }
        return out.get(0);
    }

    /** Sets the processing time the state TTL measures against. */
    void ttlTime(long millis) {
        harness.setStateTtlProcessingTime(millis);
    }

    OperatorSubtaskState checkpoint(long id) throws Exception {
        return harness.snapshot(id, id);
    }

    OperatorSubtaskState savepoint(long id) throws Exception {
        return harness.snapshotWithLocalState(id, id, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                .getJobManagerOwnedState();
    }

    int keyedStateEntries() {
        return harness.numKeyedStateEntries();
    }

    long counter(String name) {
        Metric metric = metrics.get(name);
        if (!(metric instanceof Counter counter)) {
            throw new AssertionError("no counter " + name + " among " + metrics.keySet());
        }
        return counter.getCount();
    }

    long dropped(DropReason reason) {
        return counter("samplesDropped_" + reason.id());
    }

    @Override
    public void close() throws Exception {
        harness.close();
        environment.close();
    }

    static SeriesGroup group(
            MetricType type, Labels labels, long ts, String[] names, double[] values, double[] upperBounds) {
        return new SeriesGroup(STREAM, labels, type, ts, names, values, upperBounds);
    }

    /** One counter sample {@code name} of the target's labels plus {@code extraLabels}. */
    static SeriesGroup counter(long ts, String name, double value, String... extraLabels) {
        return group(MetricType.COUNTER, labels(extraLabels), ts, new String[] {name}, new double[] {value}, null);
    }

    static Labels labels(String... extra) {
        Labels.Builder b = TARGET.toBuilder();
        for (int i = 0; i < extra.length; i += 2) {
            b.set(extra[i], extra[i + 1]);
        }
        return b.build();
    }

    /** A histogram group: buckets {@code le → count} (cumulative), then {@code _sum} and {@code _count}. */
    static SeriesGroup histogram(long ts, String family, double[] les, double[] buckets, double sum, double count) {
        int n = les.length;
        String[] names = new String[n + 2];
        double[] values = new double[n + 2];
        double[] bounds = new double[n + 2];
        for (int i = 0; i < n; i++) {
            names[i] = family + "_bucket";
            values[i] = buckets[i];
            bounds[i] = les[i];
        }
        names[n] = family + "_sum";
        values[n] = sum;
        bounds[n] = Double.NaN;
        names[n + 1] = family + "_count";
        values[n + 1] = count;
        bounds[n + 1] = Double.NaN;
        return group(MetricType.HISTOGRAM, labels(), ts, names, values, bounds);
    }
}
