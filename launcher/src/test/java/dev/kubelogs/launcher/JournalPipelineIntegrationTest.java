package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.kubelogs.collector.CollectorConfig;
import dev.kubelogs.collector.HostLogsMode;
import dev.kubelogs.collector.NodeCollector;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.JobCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;

/**
 * A node with both host files and a journal, as Amazon Linux 2 has them, with HOST_LOGS=files (the legacy Container
 * Insights configuration): host streams come from the files, the kubelet.service and containerd.service streams from
 * the journal, every entry exactly once, through a collector restart in the middle.
 */
class JournalPipelineIntegrationTest {
    private static final String CLUSTER = "prod";
    private static final String NODE = "ip-192-168-12-34.us-west-2.compute.internal";
    private static final String HOST = "ip-192-168-12-34";
    private static final String AZ = ",\"az\":\"us-west-2a\",\"ec2_instance_id\":\"i-0abc\"}";
    private static final DateTimeFormatter SYSLOG =
            DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path dir;

    /** Expected (group, stream) → messages in order. */
    private final Map<String, List<String>> expected = new HashMap<>();

    private final Instant t0 = Instant.now().minusSeconds(60);

    @Test
    void hostStreamsFromFilesAndDataplaneUnitsFromTheJournalEachEntryOnceThroughACollectorRestart() throws Exception {
        assumeThat(JournalWriter.remoteBinary())
                .as(JournalWriter.missingTools())
                .isNotNull();
        Path logRoot = dir.resolve("var/log");
        Path journalDir = logRoot.resolve("journal");
        write(logRoot, journalDir, 0, 40);

        Path spool = dir.resolve("spool");
        CollectorConfig config = CollectorConfig.builder()
                .logRoot(logRoot)
                .spoolDir(spool)
                .stateDir(dir.resolve("state"))
                .cluster(CLUSTER)
                .node(NODE)
                .readFromHead(true)
                .hostLogs(HostLogsMode.FILES)
                .journalDir(journalDir)
                .journalReadFromTail(false)
                .httpServer(false)
                .kubeletEnabled(false)
                .nodeAttributes(Map.of("az", "us-west-2a", "ec2_instance_id", "i-0abc"))
                .build();
        NodeCollector first = new NodeCollector(config);
        first.start();
        long firstLines = 40 * 3 + 40 * 2;
        awaitLines(first, firstLines);
        first.close();

        // written while no collector runs: the file offsets and the journal cursor both continue
        write(logRoot, journalDir, 40, 70);
        NodeCollector second =
                new NodeCollector(config.toBuilder().journalReadFromTail(true).build());
        second.start();
        awaitLines(second, 30 * 3 + 30 * 2);
        second.drainAndSeal();

        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
            JobCommand job = new JobCommand();
            new CommandLine(job)
                    .parseArgs(
                            "--spool",
                            spool.toString(),
                            "--cloudwatch-endpoint",
                            endpoint.endpoint().toString(),
                            "--region",
                            "us-west-2",
                            "--until-sealed",
                            "--discovery-interval",
                            "100ms",
                            "--checkpoint-interval",
                            "300ms");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(job.flinkConfiguration());
            env.setParallelism(2);
            job.newJob().build(env);
            env.execute("journal-integration");

            try (CloudWatchLogsClient client = CloudWatchLogsClient.builder()
                    .endpointOverride(endpoint.endpoint())
                    .region(Region.US_WEST_2)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                    .build()) {
                Map<String, List<String>> actual = new HashMap<>();
                for (String category : List.of("application", "dataplane", "host", "dead-letter")) {
                    String group = "/aws/containerinsights/" + CLUSTER + "/" + category;
                    if (client.describeLogGroups(r -> r.logGroupNamePrefix(group))
                            .logGroups()
                            .isEmpty()) {
                        continue;
                    }
                    for (LogStream s : client.describeLogStreamsPaginator(r -> r.logGroupName(group))
                            .logStreams()) {
                        actual.put(
                                group + " " + s.logStreamName(),
                                PipelineIntegrationTest.readAll(client, group, s.logStreamName()));
                    }
                }
                assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
                for (Map.Entry<String, List<String>> e : expected.entrySet()) {
                    assertThat(actual.get(e.getKey())).as(e.getKey()).containsExactlyElementsOf(e.getValue());
                }
            }
        }
    }

    /** Host file lines and journal entries {@code from} to {@code to}, and what each must become. */
    private void write(Path logRoot, Path journalDir, int from, int to) throws IOException {
        try (JournalWriter journal = new JournalWriter(
                journalDir,
                "0123456789abcdef0123456789abcdef",
                "fedcba9876543210fedcba9876543210",
                HOST,
                dir.resolve("journal-remote-" + from + ".log"))) {
            for (int i = from; i < to; i++) {
                Instant t = t0.plusMillis(i * 10L);
                // rsyslog copies the kubelet's lines into /var/log/messages: host.messages gets them from there only
                append(logRoot.resolve("messages"), SYSLOG.format(t) + " " + HOST + " kubelet[3366]: sync " + i);
                expect(
                        "host",
                        NODE + ".host.messages",
                        "{\"host\":\"" + HOST + "\",\"ident\":\"kubelet\",\"pid\":\"3366\",\"message\":\"sync " + i
                                + "\"" + AZ);
                append(
                        logRoot.resolve("secure"),
                        SYSLOG.format(t) + " " + HOST + " sshd[4121]: Accepted publickey " + i);
                expect(
                        "host",
                        NODE + ".host.secure",
                        "{\"host\":\"" + HOST + "\",\"ident\":\"sshd\",\"pid\":\"4121\","
                                + "\"message\":\"Accepted publickey " + i + "\"" + AZ);
                append(logRoot.resolve("dmesg"), "[    " + i + ".000001] eth0: link up");
                expect("host", NODE + ".host.dmesg", "{\"message\":\"[    " + i + ".000001] eth0: link up\"" + AZ);

                journal.write(t, "kubelet.service", "kubelet", 3366, 6, "sync " + i);
                expect(
                        "dataplane",
                        NODE + "-dataplane.systemd.kubelet.service",
                        "{\"hostname\":\"" + HOST + "\",\"systemd_unit\":\"kubelet.service\"," + "\"message\":\"sync "
                                + i + "\"" + AZ);
                journal.write(t, "containerd.service", "containerd", 2841, 6, "StartContainer " + i);
                expect(
                        "dataplane",
                        NODE + "-dataplane.systemd.containerd.service",
                        "{\"hostname\":\"" + HOST + "\",\"systemd_unit\":\"containerd.service\","
                                + "\"message\":\"StartContainer " + i + "\"" + AZ);
                // host-category journal entries: with host logs from files they must not become events a second time
                journal.write(t, "sshd.service", "sshd", 4121, 6, "Accepted publickey " + i);
            }
        }
    }

    /** Polls (no fixed sleep) until the collector has read {@code lines}, for at most a minute. */
    private static void awaitLines(NodeCollector collector, long lines) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (collector.stats().linesRead() < lines) {
            assertThat(System.nanoTime())
                    .as("collector read %s of %d lines", collector.stats(), lines)
                    .isLessThan(deadline);
            LockSupport.parkNanos(5_000_000L);
        }
        assertThat(collector.stats().linesRead()).isEqualTo(lines);
    }

    private void expect(String category, String stream, String message) {
        expected.computeIfAbsent(
                        "/aws/containerinsights/" + CLUSTER + "/" + category + " " + stream, k -> new ArrayList<>())
                .add(message);
    }

    private static void append(Path file, String line) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(
                file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
