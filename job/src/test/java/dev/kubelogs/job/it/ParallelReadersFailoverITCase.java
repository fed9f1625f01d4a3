package dev.kubelogs.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.StoredEvent;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.LogPipelineJob;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import dev.kubelogs.job.source.SpoolSource;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SegmentWriter;
import dev.kubelogs.spool.SourceKind;
import dev.kubelogs.spool.SpoolPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source parallelism 4 over many nodes, with consecutive segments of one node read by different readers
 * at once, stack traces that straddle segment boundaries, and a TaskManager killed mid-stream: every
 * record arrives exactly once, joined, in file order per stream.
 */
class ParallelReadersFailoverITCase {
    private static final int NODES = 16;
    private static final int SEGMENTS = 8;
    private static final int LINES_PER_SEGMENT = 7;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4)
                    .setConfiguration(restartQuickly())
                    .build());

    private static Configuration restartQuickly() {
        Configuration c = new Configuration();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return c;
    }

    @TempDir
    Path spool;

    /** Per node: the expected log texts, in file order. */
    private final List<List<String>> expected = new ArrayList<>();

    private final long[] offsets = new long[NODES];
    private final Instant t0 = Instant.now().minusSeconds(600);

    @Test
    void exactlyOnceInFileOrderAcrossReadersAndAFailover(@InjectMiniCluster MiniCluster miniCluster) throws Exception {
        for (int n = 0; n < NODES; n++) {
            expected.add(new ArrayList<>());
        }
        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
            writeSegments(0, SEGMENTS / 2);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(4);
            env.enableCheckpointing(200);
            String url = endpoint.endpoint().toString();
            new LogPipelineJob(
                            SpoolSource.of(spool.toUri().toString(), Duration.ofMillis(50), true, true)
                                    .spreadingNodesOverReaders(),
                            category -> CloudWatchLogsSink.builder()
                                    .region("us-east-1")
                                    .endpoint(url)
                                    .staticCredentials("k", "s")
                                    .streamOwner(CloudWatchLogsSink.ownerKeySelector())
                                    .readBackSettleDelay(Duration.ofMillis(200))
                                    .build(),
                            // a trace split across the failover must still be joined: no timeout flush in between
                            JobOptions.defaults()
                                    .multilineFlushTimeout(Duration.ofMinutes(5))
                                    .metadataWait(Duration.ZERO, 0))
                    .build(env);
            JobClient job = env.executeAsync("parallel-readers-failover");
            JobID id = job.getJobID();

            CommonTestUtils.waitForAllTaskRunning(miniCluster, id, false);
            CommonTestUtils.waitForCheckpoint(id, miniCluster, 2);
            // the TaskManager dies with state in flight: buffers, pending traces, uncommitted batches
            miniCluster.terminateTaskManager(0).get();
            miniCluster.startTaskManager();
            writeSegments(SEGMENTS / 2, SEGMENTS);
            for (int n = 0; n < NODES; n++) {
                Files.writeString(
                        spool.resolve("c").resolve(node(n)).resolve(SpoolPaths.SEALED), Integer.toString(SEGMENTS - 1));
            }
            job.getJobExecutionResult().get();
            assertThat(miniCluster.getJobStatus(id).get()).isEqualTo(JobStatus.FINISHED);

            for (int n = 0; n < NODES; n++) {
                String stream = node(n) + "-application.var.log.containers." + fileName(n);
                List<String> logs = new ArrayList<>();
                for (StoredEvent e : endpoint.events("/aws/containerinsights/c/application", stream)) {
                    logs.add(Json.MAPPER.readTree(e.message()).get("log").textValue());
                }
                assertThat(logs).as("node %d", n).containsExactlyElementsOf(expected.get(n));
            }
            // consumed segments are deleted once checkpoints cover them
            try (var files = Files.walk(spool)) {
                assertThat(files.filter(p -> p.toString().endsWith(".seg")).count())
                        .isLessThan((long) NODES * SEGMENTS);
            }
        }
    }

    private void writeSegments(int fromSeq, int toSeq) throws IOException {
        for (int seq = fromSeq; seq < toSeq; seq++) {
            for (int n = 0; n < NODES; n++) {
                writeSegment(n, seq);
            }
        }
    }

    /** Per node, all lines of all segments: items alternate between single lines and 4-line java traces. */
    private List<List<String>> linesByNode;

    private List<String> nodeLines(int n) {
        if (linesByNode == null) {
            linesByNode = new ArrayList<>();
            for (int node = 0; node < NODES; node++) {
                List<String> lines = new ArrayList<>();
                for (int k = 0; lines.size() < SEGMENTS * LINES_PER_SEGMENT; k++) {
                    List<String> itemLines = k % 3 == 2
                            ? List.of(
                                    "java.lang.IllegalStateException: item " + k,
                                    "\tat com.shop.A.a(A.java:" + k + ")",
                                    "\tat com.shop.B.b(B.java:" + k + ")",
                                    "\tat com.shop.C.c(C.java:" + k + ")")
                            : List.of("item " + k + " on node " + node);
                    lines.addAll(itemLines);
                    expected.get(node).add(String.join("\n", itemLines));
                }
                linesByNode.add(lines);
            }
        }
        return linesByNode.get(n);
    }

    /** Segments cut every few lines, not at item boundaries, so traces straddle segments. */
    private void writeSegment(int n, int seq) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(bytes, new SegmentHeader("c", node(n), seq, t0.toEpochMilli(), Map.of()));
        String path = "/var/log/containers/" + fileName(n);
        int file = w.declareFile(new FileRef(path, 1, 1000 + n, 0, SourceKind.CONTAINER), offsets[n]);
        w.readTime(t0.toEpochMilli());
        List<String> all = nodeLines(n);
        int from = seq * LINES_PER_SEGMENT;
        int to = seq == SEGMENTS - 1 ? all.size() : from + LINES_PER_SEGMENT;
        for (int i = from; i < to; i++) {
            String line = t0.plusMillis(i) + " stderr F " + all.get(i);
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            w.line(file, b, 0, b.length, 0);
            offsets[n] += b.length + 1;
        }
        w.finish();
        Path dir = Files.createDirectories(spool.resolve("c").resolve(node(n)));
        Path tmp = dir.resolve(SpoolPaths.tempFileName(seq));
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, dir.resolve(SpoolPaths.segmentFileName(seq)));
    }

    private static String node(int n) {
        return "ip-10-0-0-" + n + ".ec2.internal";
    }

    private static String fileName(int n) {
        return "app-" + n + "_shop_app-" + String.format("%064x", n) + ".log";
    }
}
