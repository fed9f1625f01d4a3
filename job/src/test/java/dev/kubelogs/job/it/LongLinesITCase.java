package dev.kubelogs.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.StoredEvent;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.LogPipelineJob;
import dev.kubelogs.job.merge.NodeProcessorSplitLinesTest;
import dev.kubelogs.job.merge.NodeProcessorSplitLinesTest.LongLine;
import dev.kubelogs.job.sink.cloudwatch.BatchCutter;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import dev.kubelogs.job.source.SpoolSource;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineFlags;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines far over CloudWatch's event size, as the collector spools them (split at its 1 MiB maximum), through the
 * whole job into the local endpoint, which enforces the real limits: every byte lands, in valid events of at most
 * 1,048,550 bytes, in order, with the line's own time and its kubernetes block, and nothing is dead-lettered.
 */
class LongLinesITCase {
    private static final String CLUSTER = "c";
    private static final String NODE = "ip-10-0-0-1.ec2.internal";
    private static final String CRI_FILE = "big-0_shop_big-" + "a".repeat(64) + ".log";
    private static final String DOCKER_FILE = "dock-0_shop_dock-" + "b".repeat(64) + ".log";
    private static final int COLLECTOR_MAX_LINE = 1 << 20;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(1)
                    .build());

    @TempDir
    Path tmp;

    private long seq;

    @Test
    void aFiftyMegabyteCriLineAndAOneMegabyteDockerLineLandWholeAndValid() throws Exception {
        Instant t = Instant.now().minusSeconds(600);
        String content = NodeProcessorSplitLinesTest.awkwardText(50_000_000);
        byte[] cri = (t + " stdout F " + content).getBytes(StandardCharsets.UTF_8);
        String dockerLog = "d".repeat(COLLECTOR_MAX_LINE) + "\n";
        byte[] docker = ("{\"log\":\"" + dockerLog.replace("\n", "\\n") + "\",\"stream\":\"stderr\"," + "\"time\":\""
                        + t + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Path spool = tmp.resolve("spool");
        writeAsCollector(spool, "/var/log/containers/" + CRI_FILE, cri, LineFlags.NO_NEWLINE, t);
        writeAsCollector(spool, "/var/log/containers/" + DOCKER_FILE, docker, 0, t);
        Path nodeDir = SpoolPaths.nodeDirectory(spool, CLUSTER, NODE);
        Files.writeString(nodeDir.resolve(SpoolPaths.SEALED), Long.toString(seq - 1));

        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
            run(spool, endpoint.endpoint().toString());

            String group = "/aws/containerinsights/" + CLUSTER + "/application";
            List<StoredEvent> criEvents = endpoint.events(group, NODE + "-application.var.log.containers." + CRI_FILE);
            LongLine landed =
                    LongLine.of(criEvents.stream().map(StoredEvent::message).toList());
            NodeProcessorSplitLinesTest.assertSameText(landed.text(), content);
            assertThat(landed.maxEventBytes()).isLessThanOrEqualTo(BatchCutter.MAX_EVENT_BYTES);
            assertThat(landed.records()).isEqualTo(26);
            assertThat(criEvents.size()).isEqualTo(25 * 3 + 1);
            assertThat(criEvents).allSatisfy(e -> assertThat(e.timestamp()).isEqualTo(t.toEpochMilli()));
            for (JsonNode event : landed.events()) {
                assertThat(event.get("time").textValue()).isEqualTo(t.toString());
                assertThat(event.get("kubernetes").get("pod_name").textValue()).isEqualTo("big-0");
            }

            List<StoredEvent> dockerEvents =
                    endpoint.events(group, NODE + "-application.var.log.containers." + DOCKER_FILE);
            LongLine dockerLine =
                    LongLine.of(dockerEvents.stream().map(StoredEvent::message).toList());
            assertThat(dockerLine.text()).isEqualTo(dockerLog);
            assertThat(dockerEvents.size()).isEqualTo(2);
            assertThat(dockerLine.events()).allSatisfy(e -> {
                assertThat(e.get("stream").textValue()).isEqualTo("stderr");
                assertThat(e.get("kubernetes").get("pod_name").textValue()).isEqualTo("dock-0");
            });
            try (Stream<Path> deadLetters = Files.walk(tmp.resolve("dead-letter"))) {
                assertThat(deadLetters
                                .filter(Files::isRegularFile)
                                .filter(p -> p.toFile().length() > 0))
                        .isEmpty();
            }
        }
    }

    private void run(Path spool, String endpoint) throws Exception {
        Configuration conf = new Configuration();
        // the sink's batches travel in checkpoints: tens of MB here, too much for the JobManager's memory
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                tmp.resolve("checkpoints").toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(500);
        String deadLetters = tmp.resolve("dead-letter").toString();
        new LogPipelineJob(
                        SpoolSource.of(spool.toUri().toString(), Duration.ofMillis(50), true, true),
                        () -> CloudWatchLogsSink.builder()
                                .region("us-east-1")
                                .endpoint(endpoint)
                                .staticCredentials("k", "s")
                                .streamOwner(CloudWatchLogsSink.ownerKeySelector())
                                .readBackSettleDelay(Duration.ofMillis(200))
                                .deadLetterDirectory(deadLetters)
                                .build(),
                        JobOptions.defaults().metadataWait(Duration.ZERO, 0))
                .build(env);
        env.execute("long-lines");
    }

    /** The line as the collector spools it: PARTIAL pieces of its maximum, four per segment, the rest last. */
    private void writeAsCollector(Path spool, String path, byte[] line, int lastFlags, Instant readAt)
            throws IOException {
        FileRef file = new FileRef(path, 1, path.hashCode() & 0xffff, 0, SourceKind.CONTAINER);
        for (int from = 0; from < line.length; ) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            SegmentWriter w =
                    new SegmentWriter(bytes, new SegmentHeader(CLUSTER, NODE, seq, readAt.toEpochMilli(), Map.of()));
            int id = w.declareFile(file, from);
            w.readTime(readAt.toEpochMilli());
            for (int n = 0; n < 4 && from < line.length; n++) {
                int to = Math.min(line.length, from + COLLECTOR_MAX_LINE);
                byte[] piece = Arrays.copyOfRange(line, from, to);
                w.line(id, piece, 0, piece.length, to < line.length ? LineFlags.PARTIAL : lastFlags);
                from = to;
            }
            w.finish();
            Path dir = Files.createDirectories(SpoolPaths.nodeDirectory(spool, CLUSTER, NODE));
            Path temp = dir.resolve(SpoolPaths.tempFileName(seq));
            Files.write(temp, bytes.toByteArray());
            Files.move(temp, dir.resolve(SpoolPaths.segmentFileName(seq)));
            seq++;
        }
    }
}
