package dev.kubelogs.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.merge.NodeProcessor;
import dev.kubelogs.job.route.OutputTags;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions;
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
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's sinks check single writer per stream against the job's keyBy(cluster, node): the production topology
 * (sinks chained to the keyed stage) passes at parallelism 3, the same events rebalanced into the sink fail the job
 * with a message that names the stream and its owner.
 */
class CloudWatchSinksTest {
    private static final int NODES = 6;
    private static final int LINES = 20;
    private static final Instant T0 = Instant.now().minusSeconds(600);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(3)
                    .build());

    static LocalCloudWatchLogs cw;

    @TempDir
    Path spool;

    @BeforeAll
    static void start() {
        cw = LocalCloudWatchLogs.start(0, null);
    }

    @AfterAll
    static void stop() {
        cw.close();
    }

    @Test
    void theProductionSinksCheckTheOwnerKeyOfTheKeyedStage() {
        CloudWatchLogsSink sink = (CloudWatchLogsSink) sinks().create();
        assertThat(sink.config().streamOwnershipCheck()).isTrue();
        assertThat(sink.config().streamOwner()).isInstanceOf(CloudWatchLogsSink.OwnerKeySelector.class);
    }

    @Test
    void everySinkHoldsAtMostTheConfiguredBytesPerSubtask() {
        assertThat(((CloudWatchLogsSink) sinks().metricsSink()).config().maxHeldBytes())
                .isEqualTo(64L << 20);
        Configuration settings = settings();
        settings.set(CloudWatchLogsSinkConfigOptions.MAX_HELD_BYTES, MemorySize.parse("8mb"));
        CloudWatchSinks sinks = new CloudWatchSinks(settings);
        assertThat(((CloudWatchLogsSink) sinks.create()).config().maxHeldBytes())
                .isEqualTo(8L << 20);
        assertThat(((CloudWatchLogsSink) sinks.metricsSink()).config().maxHeldBytes())
                .isEqualTo(8L << 20);
        settings.set(CloudWatchLogsSinkConfigOptions.MAX_HELD_BYTES, MemorySize.parse("100kb"));
        assertThatThrownBy(() -> new CloudWatchSinks(settings).metricsSink())
                .hasMessageContaining("kubelogs.sink.max-held-bytes");
    }

    @Test
    void theJobsKeyedTopologyPassesTheCheck() throws Exception {
        writeSpool("passes");
        StreamExecutionEnvironment env = env();
        new LogPipelineJob(source(), sinks(), options()).build(env);
        env.execute("owner check: keyed");
        for (int n = 0; n < NODES; n++) {
            assertThat(cw.events("/aws/containerinsights/passes/application", stream(n)))
                    .hasSize(LINES);
        }
    }

    @Test
    void aTopologyThatBreaksTheChainFailsLoudly() throws Exception {
        writeSpool("fails");
        StreamExecutionEnvironment env = env();
        sinks().create()
                .addTo(
                        env.fromSource(source(), WatermarkStrategy.noWatermarks(), LogPipelineJob.SOURCE_UID)
                                .uid(LogPipelineJob.SOURCE_UID)
                                .keyBy(new LogPipelineJob.NodeKey())
                                .process(new NodeProcessor(options()))
                                .uid(LogPipelineJob.NODE_PROCESSOR_UID)
                                .getSideOutput(OutputTags.EVENTS)
                                // the sink's subtasks no longer own the nodes whose events they get
                                .rebalance(),
                        LogPipelineJob.SINK_UID);
        assertThatThrownBy(() -> env.execute("owner check: rebalanced"))
                .rootCause()
                .hasMessageContaining("/aws/containerinsights/fails/application/ip-10-0-0-")
                .hasMessageContaining("single writer per log stream")
                .hasMessageContaining("(owner key fails/ip-10-0-0-");
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(3);
        env.enableCheckpointing(200);
        return env;
    }

    private static CloudWatchSinks sinks() {
        return new CloudWatchSinks(settings());
    }

    private static Configuration settings() {
        Configuration settings = new Configuration();
        settings.set(CloudWatchLogsSinkConfigOptions.REGION, "us-east-1");
        settings.set(CloudWatchLogsSinkConfigOptions.ENDPOINT, cw.endpoint().toString());
        return settings;
    }

    private SpoolSource source() {
        return SpoolSource.of(spool.toUri().toString(), Duration.ofMillis(50), true, true);
    }

    private static JobOptions options() {
        return JobOptions.defaults().metadataWait(Duration.ZERO, 0);
    }

    /** One sealed segment per node of {@code cluster}, {@code LINES} container lines each. */
    private void writeSpool(String cluster) throws IOException {
        for (int n = 0; n < NODES; n++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            SegmentWriter w =
                    new SegmentWriter(bytes, new SegmentHeader(cluster, node(n), 0, T0.toEpochMilli(), Map.of()));
            int file = w.declareFile(
                    new FileRef("/var/log/containers/" + fileName(n), 1, 1000 + n, 0, SourceKind.CONTAINER), 0);
            w.readTime(T0.toEpochMilli());
            for (int i = 0; i < LINES; i++) {
                byte[] b =
                        (T0.plusMillis(i) + " stdout F line " + i + " of node " + n).getBytes(StandardCharsets.UTF_8);
                w.line(file, b, 0, b.length, 0);
            }
            w.finish();
            Path dir = Files.createDirectories(spool.resolve(cluster).resolve(node(n)));
            Files.write(dir.resolve(SpoolPaths.tempFileName(0)), bytes.toByteArray());
            Files.move(dir.resolve(SpoolPaths.tempFileName(0)), dir.resolve(SpoolPaths.segmentFileName(0)));
            Files.writeString(dir.resolve(SpoolPaths.SEALED), "0");
        }
    }

    private static String node(int n) {
        return "ip-10-0-0-" + n + ".ec2.internal";
    }

    private static String fileName(int n) {
        return "app-" + n + "_shop_app-" + String.format("%064x", n) + ".log";
    }

    private static String stream(int n) {
        return node(n) + "-application.var.log.containers." + fileName(n);
    }
}
