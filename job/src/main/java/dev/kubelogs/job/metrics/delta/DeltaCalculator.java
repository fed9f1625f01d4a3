package dev.kubelogs.job.metrics.delta;

import dev.kubelogs.job.config.ConfigChecks;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.functions.AbstractRichFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;

/**
 * Turns cumulative counters into per-scrape deltas, keyed by {@link SeriesGroupKey} (one key per log stream, label
 * set and type): {@link DeltaOperator} sets each group's key and hands it to {@link #process}. The CloudWatch agent's
 * rules (reference §7), with its state kept in checkpoints:
 * <ul>
 *   <li>counter-like samples — a counter's samples, a summary's {@code _sum}/{@code _count}, a histogram's
 *       {@code _bucket} (per {@code le}; the deltas stay cumulative over {@code le}), {@code _sum} and
 *       {@code _count} — become {@code cur − prev}; the first sample of a metric only primes (emits nothing, as
 *       the agent); {@code cur < prev} is a reset and emits {@code cur};</li>
 *   <li>a sample not newer than the stored one is dropped ({@link DropReason#STALE_TIMESTAMP}) and the stored value
 *       kept; the agent emits the raw cumulative value there, which counts everything since the start again, and
 *       stores it. Each sample is compared by its own time ({@link SeriesGroup#timestampOf}), as the agent's
 *       {@code delta_calculator.go} compares {@code pm.timeInMS}: with honored timestamps, a group's samples can
 *       differ;</li>
 *   <li>NaN, ±Inf and Prometheus' stale marker are dropped, and a counter's previous value is forgotten, so its
 *       next valid sample primes again;</li>
 *   <li>gauges, gauge histograms and summary quantiles pass through (NaN/±Inf dropped); untyped, info and
 *       stateset samples are dropped ({@link DropReason#UNSUPPORTED_TYPE}), the reader filters them first; so is a
 *       group whose arrays disagree in length ({@link DropReason#MALFORMED_GROUP}).</li>
 * </ul>
 * A group of which nothing is left emits nothing. State is forgotten {@code stateTtl} after its last write (the
 * agent's 5-minute expiry), and a metric whose stored sample is older than that in sample time primes again.
 * Because the state is checkpointed, the first scrape after a restore is a delta against the restored value: no
 * increase is lost (the agent loses one after every restart) and, with the exactly-once sink, none counted twice.
 *
 * <p>Counters (group {@code kubelogs}): {@code groupsIn}, {@code groupsOut}, {@code samplesOut},
 * {@code samplesPrimed}, {@code counterResets}, {@code samplesDropped_<reason>} per {@link DropReason}.
 */
public class DeltaCalculator extends AbstractRichFunction {
    private static final long serialVersionUID = 1L;
    /**
     * The uid of the operator; its state must stay restorable ({@code DeltaStateCompatibilityTest}). It was a
     * {@code KeyedProcessOperator} of this function until {@link DeltaOperator} took batches: same key, same state.
     */
    public static final String UID = "metrics-delta";

    static final String STATE_NAME = "previous-values";
    /** Prometheus' staleness marker, a NaN with this exact bit pattern (value.StaleNaN). */
    static final long STALE_MARKER_BITS = 0x7ff0000000000002L;

    private final Duration stateTtl;

    private transient ValueState<DeltaState> previous;
    private transient Counter groupsIn;
    private transient Counter groupsOut;
    private transient Counter samplesOut;
    private transient Counter samplesPrimed;
    private transient Counter counterResets;
    private transient DroppedSamples dropped;
    private transient MetricIds metricIds;
    private transient Pass scratch;

    public DeltaCalculator(Duration stateTtl) {
        if (stateTtl.isZero() || stateTtl.isNegative()) {
            throw new IllegalArgumentException("the delta state TTL must be longer than 0, not " + stateTtl);
        }
        this.stateTtl = stateTtl;
    }

    /** A calculator with the settings of {@link DeltaConfigOptions}; a TTL of 0 or less is a config error. */
    public static DeltaCalculator of(ReadableConfig config) {
        return new DeltaCalculator(ConfigChecks.longerThanZero(config, DeltaConfigOptions.STATE_TTL));
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<DeltaState> descriptor =
                new ValueStateDescriptor<>(STATE_NAME, DeltaStateSerializer.INSTANCE);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(stateTtl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupFullSnapshot()
                .cleanupInRocksdbCompactFilter(1000)
                .cleanupIncrementally(10, false)
                .build());
        previous = getRuntimeContext().getState(descriptor);
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("kubelogs");
        groupsIn = metrics.counter("groupsIn");
        groupsOut = metrics.counter("groupsOut");
        samplesOut = metrics.counter("samplesOut");
        samplesPrimed = metrics.counter("samplesPrimed");
        counterResets = metrics.counter("counterResets");
        dropped = new DroppedSamples(metrics, System::nanoTime);
        metricIds = new MetricIds();
        scratch = new Pass(stateTtl.toMillis());
    }

    /** Takes the deltas of {@code group}, whose key must be the keyed state's current key. */
    public void process(SeriesGroup group, Collector<SeriesGroup> out) throws Exception {
        groupsIn.inc();
        int n = group.names == null ? 0 : group.size();
        DropReason unusable = !supported(group.type)
                ? DropReason.UNSUPPORTED_TYPE
                : malformed(group, n) ? DropReason.MALFORMED_GROUP : null;
        if (unusable != null) {
            for (int i = 0; i < n; i++) {
                dropped.drop(unusable, group.logStream, group.labels, group.names[i]);
            }
            return;
        }
        boolean[] counterLike = scratch.counterLike(n);
        boolean anyCounterLike = false;
        for (int i = 0; i < n; i++) {
            counterLike[i] = counterLike(group.type, group.names[i]);
            anyCounterLike |= counterLike[i];
        }
        DeltaState prev = anyCounterLike ? previous.value() : null;
        Pass pass = scratch.start(group, prev);
        for (int i = 0; i < n; i++) {
            double v = group.values[i];
            DropReason notFinite = notFinite(v);
            if (notFinite != null) {
                dropped.drop(notFinite, group.logStream, group.labels, group.names[i]);
                if (counterLike[i]) {
                    pass.forget(i);
                }
            } else if (counterLike[i]) {
                pass.delta(i, v);
            } else {
                pass.emit(i, v);
            }
        }
        if (anyCounterLike) {
            pass.carryOver();
            if (pass.changed) {
                if (pass.next.size == 0) {
                    previous.clear();
                } else {
                    previous.update(pass.next);
                }
            }
        }
        if (pass.out > 0) {
            groupsOut.inc();
            samplesOut.inc(pass.out);
            out.collect(pass.output());
        }
    }

    private static boolean supported(MetricType type) {
        return type == MetricType.COUNTER
                || type == MetricType.GAUGE
                || type == MetricType.SUMMARY
                || type == MetricType.HISTOGRAM
                || type == MetricType.GAUGE_HISTOGRAM;
    }

    /** Arrays of other lengths than the names: a bug upstream, which must not fail the job over and over. */
    private static boolean malformed(SeriesGroup group, int n) {
        return group.values == null
                || group.values.length != n
                || (group.upperBounds != null && group.upperBounds.length != n)
                || (group.sampleTimestamps != null && group.sampleTimestamps.length != n);
    }

    /**
     * A summary sample is a delta when its name ends in {@code _sum} or {@code _count}, whatever its labels: the
     * agent's calculator decides by type and name suffix alone ({@code calculator.go}), so a quantile of a family
     * itself named {@code ..._count} is a delta there too.
     */
    private static boolean counterLike(MetricType type, String name) {
        switch (type) {
            case COUNTER:
            case HISTOGRAM:
                return true;
            case SUMMARY:
                return name.endsWith("_sum") || name.endsWith("_count");
            default:
                return false;
        }
    }

    private static DropReason notFinite(double v) {
        if (Double.isInfinite(v)) {
            return DropReason.INFINITE;
        }
        if (Double.isNaN(v)) {
            return Double.doubleToRawLongBits(v) == STALE_MARKER_BITS ? DropReason.STALE_MARKER : DropReason.NAN;
        }
        return null;
    }

    /**
     * One group's way through: the samples that go out and the key's next state. One instance per calculator, started
     * again for each group: its working arrays are kept and grown, so a group allocates only what leaves the pass
     * (the next state, which the heap backend keeps, and the output group).
     */
    private final class Pass {
        final long ttlMillis;
        SeriesGroup group;
        DeltaState prev;
        DeltaState next;
        long expiredBefore;
        boolean[] counterLike = new boolean[16];
        boolean[] matched = new boolean[16];
        String[] names = new String[16];
        double[] values = new double[16];
        double[] bounds = new double[16];
        /** {@link #bounds} when the group has upper bounds, else null. */
        double[] upperBounds;

        int out;
        boolean changed;

        Pass(long ttlMillis) {
            this.ttlMillis = ttlMillis;
        }

        /** The counter-like flags of the next group's {@code n} samples, to be filled by the caller. */
        boolean[] counterLike(int n) {
            if (counterLike.length < n) {
                counterLike = new boolean[n];
            }
            return counterLike;
        }

        Pass start(SeriesGroup group, DeltaState prev) {
            this.group = group;
            this.prev = prev;
            int n = group.names == null ? 0 : group.size();
            int prevSize = prev == null ? 0 : prev.size;
            if (matched.length < prevSize) {
                matched = new boolean[prevSize];
            } else {
                Arrays.fill(matched, 0, prevSize, false);
            }
            if (names.length < n) {
                names = new String[n];
                values = new double[n];
                bounds = new double[n];
            }
            next = new DeltaState(n + prevSize);
            expiredBefore = group.timestampMs - ttlMillis;
            upperBounds = group.upperBounds == null ? null : bounds;
            out = 0;
            changed = false;
            return this;
        }

        void emit(int i, double value) {
            names[out] = group.names[i];
            values[out] = value;
            if (upperBounds != null) {
                upperBounds[out] = group.upperBounds[i];
            }
            out++;
        }

        /** A counter-like sample that is not finite: its previous value (if any) is forgotten. */
        void forget(int i) {
            int j = lookup(i);
            if (j >= 0 && !matched[j]) {
                matched[j] = true;
                changed = true;
            }
        }

        void delta(int i, double v) {
            long id = id(i);
            int j = prev == null ? -1 : prev.indexOf(id, next.size);
            // the sample's own time, as the agent's calculator compares pm.timeInMS before merging
            long ts = group.timestampOf(i);
            if (j >= 0 ? matched[j] : next.indexOf(id, -1) >= 0) {
                dropped.drop(DropReason.DUPLICATE, group.logStream, group.labels, group.names[i]);
                return;
            }
            if (j >= 0) {
                matched[j] = true;
            }
            if (j < 0 || prev.timestamps[j] < ts - ttlMillis) {
                samplesPrimed.inc();
            } else if (ts <= prev.timestamps[j]) {
                dropped.drop(DropReason.STALE_TIMESTAMP, group.logStream, group.labels, group.names[i]);
                next.add(id, prev.values[j], prev.timestamps[j]);
                return;
            } else if (v < prev.values[j]) {
                counterResets.inc();
                emit(i, v);
            } else {
                emit(i, v - prev.values[j]);
            }
            next.add(id, v, ts);
            changed = true;
        }

        /** Keeps the stored metrics this group did not carry, unless they expired in sample time. */
        void carryOver() {
            int prevSize = prev == null ? 0 : prev.size;
            for (int j = 0; j < prevSize; j++) {
                if (matched[j]) {
                    continue;
                }
                if (prev.timestamps[j] < expiredBefore) {
                    changed = true;
                } else {
                    next.add(prev.ids[j], prev.values[j], prev.timestamps[j]);
                }
            }
        }

        private int lookup(int i) {
            return prev == null ? -1 : prev.indexOf(id(i), next.size);
        }

        private long id(int i) {
            return metricIds.of(group.names[i], group.upperBounds == null ? Double.NaN : group.upperBounds[i]);
        }

        SeriesGroup output() {
            return new SeriesGroup(
                    group.logStream,
                    group.labels,
                    group.type,
                    group.timestampMs,
                    Arrays.copyOf(names, out),
                    Arrays.copyOf(values, out),
                    upperBounds == null ? null : Arrays.copyOf(upperBounds, out));
        }
    }
}
