package dev.kubelogs.job.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.spool.KinesisPublisher;
import dev.kubelogs.collector.spool.KinesisSettings;
import dev.kubelogs.collector.spool.SegmentSpool;
import dev.kubelogs.collector.testing.LocalKinesis;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.StoredEvent;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.LogPipelineJob;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SegmentWriter;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments the collectors' publisher puts into a local Kinesis-compatible stream (one record each, partition key
 * cluster/node) reach the local CloudWatch Logs endpoint through the whole job, every line once and in file order,
 * across a stop with a savepoint taken while segments were still arriving and a start from it with more put in
 * between.
 */
class KinesisSegmentSourceITCase {
    private static final String CLUSTER = "prod";
    private static final List<String> NODES =
            List.of("ip-10-0-0-1.ec2.internal", "ip-10-0-0-2.ec2.internal", "ip-10-0-0-3.ec2.internal");
    private static final String STREAM = "kubelogs-segments";
    private static final String ID = "cd".repeat(32);
    private static final String GROUP = "/aws/containerinsights/prod/application";
    private static final int LINES_PER_SEGMENT = 20;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path dir;

    @TempDir
    Path savepoints;

    private final long[] nextOffset = new long[NODES.size()];
    /** Each node's collector side: its local spool, and the publisher that puts its segments into the stream. */
    private final List<SegmentSpool> spools = new ArrayList<>();

    private final List<KinesisPublisher> publishers = new ArrayList<>();

    @Test
    void everyLineLandsOnceAcrossAStopWithSavepointAndARestore(@InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        // the publisher signs with the default chain; the local server checks no signature
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        try (LocalKinesis kinesis = LocalKinesis.start(dir);
                LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
            kinesis.createStream(STREAM, 2);
            startPublishers(kinesis);
            putSegments(0, 3);
            JobClient v1 = environment().executeAsync(graph(kinesis, endpoint, null));
            CommonTestUtils.waitForAllTaskRunning(miniCluster, v1.getJobID(), false);
            CommonTestUtils.waitUntilCondition(() -> landed(endpoint) >= expectedLines(3));

            // more segments arrive while the job stops: some are read before the savepoint, the rest after the restore
            putSegments(3, 5);
            String savepoint = v1.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            putSegments(5, 7);

            JobClient v2 = environment().executeAsync(graph(kinesis, endpoint, savepoint));
            CommonTestUtils.waitForAllTaskRunning(miniCluster, v2.getJobID(), false);
            CommonTestUtils.waitUntilCondition(() -> landed(endpoint) >= expectedLines(7));
            // a stop commits whatever its savepoint holds: a duplicate would be in the endpoint after it
            v2.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();

            for (int n = 0; n < NODES.size(); n++) {
                assertThat(landedLogs(endpoint, NODES.get(n))).as(NODES.get(n)).containsExactlyElementsOf(lines(n, 7));
            }
        } finally {
            publishers.forEach(KinesisPublisher::close);
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    private void startPublishers(LocalKinesis kinesis) throws IOException {
        CollectorMetrics metrics = new CollectorMetrics();
        for (String node : NODES) {
            SegmentSpool spool = new SegmentSpool(dir.resolve("spool"), CLUSTER, node, Map.of());
            KinesisPublisher publisher = new KinesisPublisher(
                    new KinesisSettings(STREAM, kinesis.endpoint().toString(), LocalKinesis.REGION),
                    CLUSTER,
                    node,
                    spool,
                    metrics,
                    () -> {});
            publisher.start();
            spools.add(spool);
            publishers.add(publisher);
        }
    }

    /** Writes segments {@code from} (inclusive) to {@code to} of every node, and waits until all were put. */
    private void putSegments(int from, int to) throws IOException, InterruptedException {
        for (int seq = from; seq < to; seq++) {
            for (int n = 0; n < NODES.size(); n++) {
                writeSegment(n, seq);
            }
        }
        publishers.forEach(KinesisPublisher::wake);
        for (KinesisPublisher publisher : publishers) {
            assertThat(publisher.awaitIdle(Duration.ofSeconds(60)))
                    .as("every segment put")
                    .isTrue();
        }
    }

    private void writeSegment(int n, int seq) throws IOException {
        String node = NODES.get(n);
        long now = System.currentTimeMillis();
        SegmentSpool spool = spools.get(n);
        SegmentWriter w = spool.writer(now);
        assertThat(spool.openSeq()).isEqualTo(seq);
        w.readTime(now);
        if (seq == 0) {
            w.podMetadata(pod(node).getBytes(StandardCharsets.UTF_8));
        }
        int file = w.declareFile(new FileRef(path(), 1, 42 + n, 0, SourceKind.CONTAINER), nextOffset[n]);
        for (int i = 0; i < LINES_PER_SEGMENT; i++) {
            byte[] b = (Instant.ofEpochMilli(now) + " stdout F " + text(n, seq, i)).getBytes(StandardCharsets.UTF_8);
            w.line(file, b, 0, b.length, 0);
            nextOffset[n] += b.length + 1;
        }
        spool.sync();
        spool.publish();
    }

    private static String text(int n, int seq, int i) {
        return "node " + n + " segment " + seq + " line " + i;
    }

    private static List<String> lines(int n, int segments) {
        List<String> lines = new ArrayList<>();
        for (int seq = 0; seq < segments; seq++) {
            for (int i = 0; i < LINES_PER_SEGMENT; i++) {
                lines.add(text(n, seq, i));
            }
        }
        return lines;
    }

    private static long expectedLines(int segments) {
        return (long) NODES.size() * segments * LINES_PER_SEGMENT;
    }

    private static String path() {
        return "/var/log/containers/orders-0_shop_orders-" + ID + ".log";
    }

    private static String logStream(String node) {
        return node + "-application.var.log.containers.orders-0_shop_orders-" + ID + ".log";
    }

    private static String pod(String node) {
        return "{\"event\":\"upsert\",\"observedAt\":1,\"namespace\":\"shop\",\"name\":\"orders-0\",\"uid\":\"u-"
                + node + "\",\"podIp\":\"10.1.9.9\",\"nodeName\":\"" + node + "\",\"labels\":{},\"annotations\":{},"
                + "\"containers\":[{\"name\":\"orders\",\"containerId\":\"" + ID
                + "\",\"imageId\":\"repo/orders@sha256:1\",\"image\":\"repo/orders:1\"}]}";
    }

    private static long landed(LocalCloudWatchLogs endpoint) {
        return endpoint.logGroups().stream()
                .filter(g -> g.name().equals(GROUP))
                .mapToLong(g -> g.eventCount())
                .sum();
    }

    /** The log texts that landed in {@code node}'s stream, in order; fails unless each carries its pod. */
    private static List<String> landedLogs(LocalCloudWatchLogs endpoint, String node) throws IOException {
        List<String> logs = new ArrayList<>();
        for (StoredEvent e : endpoint.events(GROUP, logStream(node))) {
            JsonNode event = Json.MAPPER.readTree(e.message());
            assertThat(event.path("kubernetes").path("pod_id").asText()).isEqualTo("u-" + node);
            logs.add(event.get("log").textValue());
        }
        return logs;
    }

    private static StreamGraph graph(LocalKinesis kinesis, LocalCloudWatchLogs endpoint, String restoreFrom) {
        StreamExecutionEnvironment env = environment();
        KinesisStreamSettings settings =
                LocalStreams.settings(STREAM, kinesis.endpoint().toString(), InitialPosition.TRIM_HORIZON);
        new LogPipelineJob(
                        new KinesisSegmentSource(settings),
                        KinesisSegmentSource.UID,
                        () -> CloudWatchLogsSink.builder()
                                .region("us-east-1")
                                .endpoint(endpoint.endpoint().toString())
                                .staticCredentials("k", "s")
                                .streamOwner(CloudWatchLogsSink.ownerKeySelector())
                                .readBackSettleDelay(Duration.ofMillis(100))
                                .build(),
                        JobOptions.defaults())
                .build(env);
        StreamGraph graph = env.getStreamGraph();
        if (restoreFrom != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom, false));
        }
        return graph;
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        return env;
    }
}
