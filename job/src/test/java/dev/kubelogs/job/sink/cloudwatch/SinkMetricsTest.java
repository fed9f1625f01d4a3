package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** The sink's metric names are what dashboards and the README name; counters count across committer threads. */
class SinkMetricsTest {

    /** A metric group that keeps what is registered, by dotted name under its parent. */
    static final class RecordingGroup extends UnregisteredMetricsGroup {
        final String prefix;
        final Map<String, Metric> metrics;

        RecordingGroup(String prefix, Map<String, Metric> metrics) {
            this.prefix = prefix;
            this.metrics = metrics;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(prefix + name + ".", metrics);
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            metrics.put(prefix + name, counter);
            return counter;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            metrics.put(prefix + name, gauge);
            return gauge;
        }

        @Override
        public <H extends Histogram> H histogram(String name, H histogram) {
            metrics.put(prefix + name, histogram);
            return histogram;
        }
    }

    @Test
    void registersEveryMetricUnderCloudwatchlogs() {
        Map<String, Metric> registered = new LinkedHashMap<>();
        SinkMetrics m = new SinkMetrics(new RecordingGroup("", registered));
        m.track(new DeliveryHealth("sink-application", () -> 0L));
        m.track(HeldBytes.unshared());
        assertThat(registered.keySet()).allMatch(k -> k.startsWith(SinkMetrics.GROUP + "."));
        assertThat(registered.keySet())
                .extracting(k -> k.substring(SinkMetrics.GROUP.length() + 1))
                .containsExactlyInAnyOrder(
                        "eventsWritten",
                        "bytesWritten",
                        "batchesWritten",
                        "putRequests",
                        "retries",
                        "throttles",
                        "serverErrors",
                        "networkErrors",
                        "readBacks",
                        "eventsAlreadyPresent",
                        "batchesAlreadyCommitted",
                        "heldBytes",
                        "heldBytesWaits",
                        "heldBytesWaitTimeouts",
                        "rejectedTooOld",
                        "rejectedTooNew",
                        "rejectedExpired",
                        "deadLettered",
                        "eventsTruncated",
                        "resourcesCreated",
                        "commitLatencyMs",
                        "putLatencyMs",
                        "millisSinceLastSuccessfulPut",
                        "eventsWaiting",
                        "failedAttempts",
                        "lastErrorKind");
    }

    @Test
    void eachGetterReadsItsOwnCounter() {
        Map<String, Metric> registered = new LinkedHashMap<>();
        SinkMetrics m = new SinkMetrics(new RecordingGroup("", registered));
        List<String> names = List.of(
                "eventsWritten",
                "bytesWritten",
                "batchesWritten",
                "putRequests",
                "retries",
                "throttles",
                "serverErrors",
                "networkErrors",
                "readBacks",
                "eventsAlreadyPresent",
                "batchesAlreadyCommitted",
                "rejectedTooOld",
                "rejectedTooNew",
                "rejectedExpired",
                "deadLettered",
                "eventsTruncated",
                "resourcesCreated");
        for (int i = 0; i < names.size(); i++) {
            ((Counter) registered.get(SinkMetrics.GROUP + "." + names.get(i))).inc(i + 1);
        }
        List<Long> read = List.of(
                m.eventsWritten(),
                m.bytesWritten(),
                m.batchesWritten(),
                m.putRequests(),
                m.retries(),
                m.throttles(),
                m.serverErrors(),
                m.networkErrors(),
                m.readBacks(),
                m.eventsAlreadyPresent(),
                m.batchesAlreadyCommitted(),
                m.rejectedTooOld(),
                m.rejectedTooNew(),
                m.rejectedExpired(),
                m.deadLettered(),
                m.eventsTruncated(),
                m.resourcesCreated());
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            expected.add((long) i + 1);
        }
        assertThat(read).isEqualTo(expected);
        m.commitLatency(12);
        m.commitLatency(30);
        m.putLatency(5);
        assertThat(m.commitLatencyCount()).isEqualTo(2);
        assertThat(((Histogram) registered.get(SinkMetrics.GROUP + ".putLatencyMs")).getCount())
                .isEqualTo(1);
    }

    @Test
    void countersAndHistogramsLoseNothingUnderConcurrentUpdates() throws Exception {
        SinkMetrics m = new SinkMetrics(new UnregisteredMetricsGroup());
        int threads = 4;
        int each = 50_000;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    m.eventsWritten.inc();
                    m.commitLatency(i);
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread t : started) {
            t.join();
        }
        assertThat(m.eventsWritten()).isEqualTo((long) threads * each);
        assertThat(m.commitLatencyCount()).isEqualTo((long) threads * each);
    }

    @Test
    void theHealthGaugesReadTheDeliveryHealth() {
        Map<String, Metric> registered = new LinkedHashMap<>();
        SinkMetrics m = new SinkMetrics(new RecordingGroup("", registered));
        AtomicLong clock = new AtomicLong(1_000);
        DeliveryHealth health = new DeliveryHealth("sink-test", clock::get);
        m.track(health);
        health.waiting(7);
        clock.set(4_000);
        assertThat(((Gauge<?>) registered.get("cloudwatchlogs.eventsWaiting")).getValue())
                .isEqualTo(7L);
        assertThat(((Gauge<?>) registered.get("cloudwatchlogs.millisSinceLastSuccessfulPut")).getValue())
                .isEqualTo(3_000L);
        assertThat(((Gauge<?>) registered.get("cloudwatchlogs.failedAttempts")).getValue())
                .isEqualTo(0);
    }
}
