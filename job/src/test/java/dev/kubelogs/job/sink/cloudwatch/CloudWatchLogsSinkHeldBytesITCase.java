package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.model.CloudWatchEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * One log stream (as a scrape job's in the metrics pipeline), an endpoint slower than the source, and a held-bytes
 * limit smaller than a checkpoint's events: in a real task the writer waits for its committer, the checkpoint's
 * completion releases it (no deadlock), and every event still lands exactly once.
 */
class CloudWatchLogsSinkHeldBytesITCase {
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                    .build());

    static LocalCloudWatchLogs cw;
    static CloudWatchLogsClient sdk;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        cw = LocalCloudWatchLogs.start(0, null);
        sdk = SinkTestSupport.syncClient(cw.endpoint());
    }

    @AfterAll
    static void stop() {
        sdk.close();
        cw.close();
    }

    /** Event {@code i}: ~4 KB, all in one stream. */
    static final class LargeEvents implements GeneratorFunction<Long, CloudWatchEvent> {
        private static final long serialVersionUID = 1L;
        final long base;

        LargeEvents(long base) {
            this.base = base;
        }

        @Override
        public CloudWatchEvent map(Long i) {
            String message = "{\"seq\":" + i + ",\"pad\":\"" + "m".repeat(4_000) + "\"}";
            return new CloudWatchEvent("/kubelogs/it/held", "one-stream", base + i, message, "gen:held", i);
        }
    }

    @Test
    void theWriterWaitsForTheCommitsOfAStreamTheEndpointTakesSlowlyAndNothingIsLostOrDuplicated() throws Exception {
        cw.faults().slow("PutLogEvents", Duration.ofMillis(30));
        long n = 3_000; // 12 MB: 500 events (2 MB) per checkpoint against a 1 MiB limit
        LargeEvents gen = new LargeEvents(System.currentTimeMillis() - 3_600_000);
        StreamExecutionEnvironment env = CloudWatchLogsSinkITCase.env(2);
        CloudWatchLogsSink sink = SinkTestSupport.localBuilder(cw.endpoint(), tmp.resolve("dl"))
                .maxHeldBytes(1 << 20)
                .build();
        TestEventSource.events(env, null, gen, n, 500)
                .keyBy(CloudWatchLogsSink.streamKeySelector())
                .sinkTo(sink)
                .uid("sink-held")
                .name("cloudwatch-logs");
        JobExecutionResult result = env.execute("sink held bytes");

        TestEventSource.assertLandedExactlyOnce(cw, sdk, TestEventSource.expected(gen, n), e -> e.message);
        assertThat(count(result, "heldBytesWaits")).isPositive();
        assertThat(count(result, "heldBytesWaitTimeouts")).isZero();
    }

    /** The sum of a writer counter over the job's subtasks. */
    private static long count(JobExecutionResult result, String name) {
        long sum = 0;
        for (Map.Entry<String, Metric> m :
                METRICS.findMetrics(result.getJobID(), name).entrySet()) {
            if (m.getKey().contains("Writer")) {
                sum += ((Counter) m.getValue()).getCount();
            }
        }
        return sum;
    }
}
