package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * The parts a {@link BatchDeliverer} composes, wired to the local endpoint the way it wires them (one client, one
 * policy, one metrics), for the tests of each part. Close it to close the client.
 */
final class DeliveryParts implements AutoCloseable {
    private static final AtomicInteger GROUPS = new AtomicInteger();

    final CloudWatchLogsSinkConfig config;
    final CloudWatchLogsClientConfig.Client client;
    final SinkMetrics metrics = new SinkMetrics(new UnregisteredMetricsGroup());
    final DeliveryHealth health = new DeliveryHealth("test");
    final RetryPolicy policy;

    DeliveryParts(LocalCloudWatchLogs endpoint, Path deadLetterDir, int maxAttempts) {
        this(SinkTestSupport.localBuilder(endpoint.endpoint(), deadLetterDir)
                .backoff(Duration.ZERO, Duration.ZERO, maxAttempts, Duration.ofMinutes(1))
                .build()
                .config());
    }

    DeliveryParts(CloudWatchLogsSinkConfig config) {
        this.config = config;
        this.client = config.client().createClient();
        this.policy = new RetryPolicy(config, metrics, health);
    }

    static String newGroup(String test) {
        return "/kubelogs/" + test + "/" + GROUPS.incrementAndGet();
    }

    /** {@code n} events from {@code startTs}, three to a millisecond. */
    static List<SinkEvent> events(int n, long startTs, String prefix) {
        List<SinkEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SinkEvent(startTs + i / 3, "{\"log\":\"" + prefix + " line " + i + " é€😀\"}", "src", i));
        }
        return out;
    }

    static List<Integer> indexes(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    @Override
    public void close() {
        health.close();
        client.close();
    }
}
