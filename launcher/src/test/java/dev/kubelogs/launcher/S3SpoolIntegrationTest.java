package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.CollectorConfig;
import dev.kubelogs.collector.HostLogsMode;
import dev.kubelogs.collector.NodeCollector;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.StoredEvent;
import dev.kubelogs.job.JobCommand;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * How it runs on EKS, where TaskManagers cannot see node disks: the collector uploads closed segments to S3
 * (a real S3-compatible server here, S3Proxy), the job reads {@code s3://} through Flink's S3 file system and
 * deletes what checkpoints covered. Every line lands once.
 */
class S3SpoolIntegrationTest {
    private static final String ACCESS = "local-access";
    private static final String SECRET = "local-secret";

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path dir;

    private BlobStoreContext blobs;
    private S3Proxy s3;

    @AfterEach
    void stop() throws Exception {
        if (s3 != null) {
            s3.stop();
        }
        if (blobs != null) {
            blobs.close();
        }
        FileSystem.initialize(new Configuration(), null);
    }

    @Test
    void collectorUploadsJobReadsS3AndEveryLineLandsOnce() throws Exception {
        blobs = ContextBuilder.newBuilder("transient")
                .credentials(ACCESS, SECRET)
                .build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, "logs-bucket");
        s3 = S3Proxy.builder()
                .blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .build();
        s3.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(s3.getState()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        String endpoint = "http://127.0.0.1:" + s3.getPort();

        Path logRoot = dir.resolve("var/log");
        Files.createDirectories(logRoot);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String line = "[    " + i + ".000000] kernel line " + i;
            lines.add(line);
            Files.writeString(
                    logRoot.resolve("dmesg"),
                    line + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }

        // the collector's AWS SDK finds the credentials where IRSA's chain would look: here, system properties
        System.setProperty("aws.accessKeyId", ACCESS);
        System.setProperty("aws.secretAccessKey", SECRET);
        NodeCollector collector = new NodeCollector(CollectorConfig.builder()
                .logRoot(logRoot)
                .spoolDir(dir.resolve("local-spool"))
                .stateDir(dir.resolve("state"))
                .cluster("prod")
                .node("ip-10-9-9-9.ec2.internal")
                .readFromHead(true)
                .hostLogs(HostLogsMode.FILES)
                .httpServer(false)
                .kubeletEnabled(false)
                .nodeAttributes(Map.of())
                .s3Uri("s3://logs-bucket/kubelogs/spool")
                .s3Endpoint(endpoint)
                .region("us-east-1")
                .maxSegmentBytes(4096)
                .build());
        collector.start();
        collector.drainAndSeal();
        collector.close();
        assertThat(blobs.getBlobStore().countBlobs("logs-bucket")).isGreaterThan(2);

        // Flink's S3 file system, configured as config.yaml would on EKS (plus the local endpoint)
        Configuration fs = new Configuration();
        fs.setString("s3.endpoint", endpoint);
        fs.setString("s3.path.style.access", "true");
        fs.setString("s3.access-key", ACCESS);
        fs.setString("s3.secret-key", SECRET);
        FileSystem.initialize(fs, null);

        try (LocalCloudWatchLogs cloudwatch = LocalCloudWatchLogs.start(0, null)) {
            JobCommand job = new JobCommand();
            new CommandLine(job)
                    .parseArgs(
                            "--spool",
                            "s3://logs-bucket/kubelogs/spool",
                            "--cloudwatch-endpoint",
                            cloudwatch.endpoint().toString(),
                            "--region",
                            "us-east-1",
                            "--until-sealed",
                            "--discovery-interval",
                            "100ms",
                            "--checkpoint-interval",
                            "300ms");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(job.flinkConfiguration());
            env.setParallelism(2);
            // the cluster's configuration reaches the job too: discovery lists the spool with the same S3 settings
            job.newJob(fs).build(env);
            env.execute("s3-spool");

            List<String> landed = new ArrayList<>();
            for (StoredEvent e :
                    cloudwatch.events("/aws/containerinsights/prod/host", "ip-10-9-9-9.ec2.internal.host.dmesg")) {
                landed.add(e.message());
            }
            assertThat(landed).hasSize(lines.size());
            for (int i = 0; i < lines.size(); i++) {
                assertThat(landed.get(i)).isEqualTo("{\"message\":\"" + lines.get(i) + "\"}");
            }
        }
    }
}
