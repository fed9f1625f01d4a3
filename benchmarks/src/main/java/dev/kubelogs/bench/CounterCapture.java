package dev.kubelogs.bench;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter that keeps the MiniCluster's counters (the job runs in this JVM) so a bench can read the
 * pipeline's own counts after the job ended, when the REST API no longer has them: {@link #total} sums a counter
 * over all subtasks. {@link #install} adds it to a MiniCluster's configuration; {@link #clear} forgets a previous
 * run's counters.
 */
public final class CounterCapture implements MetricReporter, MetricReporterFactory {
    private static final Map<String, ConcurrentLinkedQueue<Counter>> COUNTERS = new ConcurrentHashMap<>();

    public static void install(Configuration conf) {
        conf.setString("metrics.reporter.bench.factory.class", CounterCapture.class.getName());
    }

    public static void clear() {
        COUNTERS.clear();
    }

    /** The sum over all subtasks of the counters named {@code group.name} (e.g. {@code metrics_scrape.scrapes_ok}). */
    public static long total(String groupAndName) {
        long sum = 0;
        for (Counter c : COUNTERS.getOrDefault(groupAndName, new ConcurrentLinkedQueue<>())) {
            sum += c.getCount();
        }
        return sum;
    }

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return this;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Counter counter) {
            String[] scope = group.getScopeComponents();
            String parent = scope.length == 0 ? "" : scope[scope.length - 1];
            COUNTERS.computeIfAbsent(parent + "." + name, k -> new ConcurrentLinkedQueue<>())
                    .add(counter);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // kept: the counts are read after the job ended
    }
}
