package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * The spine end to end: real node collector ▶ spool ▶ the Flink job on a MiniCluster ▶ the local
 * CloudWatch-Logs-compatible endpoint, read back with the AWS SDK. Every line must land exactly once,
 * in its Container Insights group and stream, with the incumbent's event JSON — also while the endpoint
 * throttles, fails with 5xx, or stores a batch and loses the response.
 */
class PipelineIntegrationTest {
    private static final String CLUSTER = "prod";
    private static final String NODE = "ip-192-168-12-34.us-west-2.compute.internal";
    private static final String ORDERS_ID = "a".repeat(64);
    private static final String WEB_ID = "b".repeat(64);
    private static final String CNI_ID = "c".repeat(64);
    private static final String FLUENTD_ID = "d".repeat(64);
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

    /** What the local CloudWatch endpoint does to the job's calls while the whole pipeline runs. */
    enum Fault {
        NONE,
        THROTTLING_BURST,
        SERVER_ERRORS,
        STORED_BUT_RESPONSE_LOST
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void everyLineArrivesExactlyOnceWithContainerInsightsNamesAndJson(Fault fault) throws Exception {
        Path logRoot = dir.resolve("var/log");
        Instant t0 = Instant.now().minusSeconds(60);
        String orders = container(logRoot, "shop", "orders-7d9c6b7f9d-x2m4q", "orders", ORDERS_ID);
        String web = container(logRoot, "web", "web-0", "nginx", WEB_ID);
        String cni = container(logRoot, "kube-system", "aws-node-7xk2p", "aws-node", CNI_ID);
        String fluentd = container(logRoot, "logging", "fluentd-abcde", "fluentd", FLUENTD_ID);

        int n = 300;
        for (int i = 0; i < n; i++) {
            Instant t = t0.plusMillis(i * 10L);
            // Docker json-file, JSON message: log_processed added, trailing \n kept in log
            String payload = "{\"level\":\"info\",\"msg\":\"order " + i + "\",\"i\":" + i + "}";
            append(
                    logRoot.resolve("pods/shop/orders/0.log"),
                    "{\"log\":\"" + payload.replace("\"", "\\\"") + "\\n\",\"stream\":\"stdout\",\"time\":\"" + t
                            + "\"}");
            expect(
                    "application",
                    NODE + "-application.var.log.containers." + orders,
                    "{\"log\":\"" + payload.replace("\"", "\\\"") + "\\n\",\"stream\":\"stdout\",\"time\":\"" + t
                            + "\","
                            + "\"log_processed\":" + payload
                            + ",\"kubernetes\":{\"pod_name\":\"orders-7d9c6b7f9d-x2m4q\","
                            + "\"namespace_name\":\"shop\",\"container_name\":\"orders\",\"docker_id\":\"" + ORDERS_ID
                            + "\"}}");
            // CRI, plain text with non-ASCII
            String text = "GET /ünïcödé/" + i + " 200";
            append(logRoot.resolve("pods/web/nginx/0.log"), t + " stdout F " + text);
            // non-ASCII as Fluent Bit 4.x writes it (json.escape_unicode)
            String written = "GET /\\u00fcn\\u00efc\\u00f6d\\u00e9/" + i + " 200";
            expect(
                    "application",
                    NODE + "-application.var.log.containers." + web,
                    "{\"time\":\"" + t + "\",\"stream\":\"stdout\",\"_p\":\"F\",\"log\":\"" + written
                            + "\",\"kubernetes\":{\"pod_name\":\"web-0\","
                            + "\"namespace_name\":\"web\",\"container_name\":\"nginx\",\"docker_id\":\"" + WEB_ID
                            + "\"}}");
            if (i % 3 == 0) {
                append(logRoot.resolve("pods/kube-system/aws-node/0.log"), t + " stderr F ipamd " + i);
                expect(
                        "dataplane",
                        NODE + "-dataplane.tail.var.log.containers." + cni,
                        "{\"time\":\"" + t + "\",\"stream\":\"stderr\",\"_p\":\"F\",\"log\":\"ipamd " + i
                                + "\",\"az\":\"us-west-2a\",\"ec2_instance_id\":\"i-0abc\"}");
                append(logRoot.resolve("pods/logging/fluentd/0.log"), t + " stdout F dropped " + i);
                append(logRoot.resolve("messages"), SYSLOG.format(t) + " ip-192-168-12-34 kubelet[3366]: sync " + i);
                expect(
                        "host",
                        NODE + ".host.messages",
                        "{\"host\":\"ip-192-168-12-34\",\"ident\":\"kubelet\",\"pid\":\"3366\"," + "\"message\":\"sync "
                                + i + "\",\"az\":\"us-west-2a\",\"ec2_instance_id\":\"i-0abc\"}");
                append(logRoot.resolve("dmesg"), "[    " + i + ".000001] eth0: link up");
                expect(
                        "host",
                        NODE + ".host.dmesg",
                        "{\"message\":\"[    " + i
                                + ".000001] eth0: link up\",\"az\":\"us-west-2a\",\"ec2_instance_id\":\"i-0abc\"}");
            }
        }
        assertThat(fluentd).startsWith("fluentd-abcde_logging_fluentd-");

        Path spool = dir.resolve("spool");
        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
            switch (fault) {
                case THROTTLING_BURST:
                    endpoint.faults().throttle("PutLogEvents", 5).throttle("CreateLogStream", 2);
                    break;
                case SERVER_ERRORS:
                    endpoint.faults().unavailable("PutLogEvents", 4, 503).unavailable("GetLogEvents", 2, 500);
                    break;
                case STORED_BUT_RESPONSE_LOST:
                    endpoint.faults().dropResponses("PutLogEvents", 4);
                    break;
                default:
                    break;
            }
            NodeCollector collector = new NodeCollector(CollectorConfig.builder()
                    .logRoot(logRoot)
                    .spoolDir(spool)
                    .stateDir(dir.resolve("state"))
                    .cluster(CLUSTER)
                    .node(NODE)
                    .readFromHead(true)
                    .hostLogs(HostLogsMode.FILES)
                    .httpServer(false)
                    .kubeletEnabled(false)
                    .nodeAttributes(Map.of("az", "us-west-2a", "ec2_instance_id", "i-0abc"))
                    .build());
            collector.start();
            collector.drainAndSeal();
            collector.close();

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
            env.execute("integration");

            try (CloudWatchLogsClient client = CloudWatchLogsClient.builder()
                    .endpointOverride(endpoint.endpoint())
                    .region(Region.US_WEST_2)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                    .build()) {
                Map<String, List<String>> actual = new HashMap<>();
                for (String category : List.of("application", "dataplane", "host")) {
                    String group = "/aws/containerinsights/" + CLUSTER + "/" + category;
                    for (LogStream s : client.describeLogStreamsPaginator(r -> r.logGroupName(group))
                            .logStreams()) {
                        actual.put(group + " " + s.logStreamName(), readAll(client, group, s.logStreamName()));
                    }
                }
                assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
                for (Map.Entry<String, List<String>> e : expected.entrySet()) {
                    assertThat(actual.get(e.getKey())).as(e.getKey()).containsExactlyElementsOf(e.getValue());
                }
                if (fault != Fault.NONE) {
                    assertThat(endpoint.faults().injected().values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum())
                            .as("faults the job went through")
                            .isPositive();
                }
                assertThat(client.describeLogGroups(r -> r.logGroupNamePrefix("/aws/containerinsights/"))
                                .logGroups())
                        .extracting(g -> g.logGroupName())
                        .containsExactlyInAnyOrder(
                                "/aws/containerinsights/prod/application",
                                "/aws/containerinsights/prod/dataplane",
                                "/aws/containerinsights/prod/host");
            }
        }
    }

    static List<String> readAll(CloudWatchLogsClient client, String group, String stream) {
        List<String> messages = new ArrayList<>();
        String token = null;
        while (true) {
            String t = token;
            GetLogEventsResponse page = client.getLogEvents(r -> r.logGroupName(group)
                    .logStreamName(stream)
                    .startFromHead(true)
                    .nextToken(t));
            for (OutputLogEvent e : page.events()) {
                messages.add(e.message());
            }
            if (page.nextForwardToken() == null || page.nextForwardToken().equals(token)) {
                return messages;
            }
            token = page.nextForwardToken();
        }
    }

    private void expect(String category, String stream, String message) {
        expected.computeIfAbsent(
                        "/aws/containerinsights/" + CLUSTER + "/" + category + " " + stream, k -> new ArrayList<>())
                .add(message);
    }

    /** Creates pods/<ns>/<container>/0.log and the kubelet's symlink in containers/; returns the link's file name. */
    private static String container(Path logRoot, String ns, String pod, String container, String id)
            throws IOException {
        Path target = logRoot.resolve("pods").resolve(ns).resolve(container).resolve("0.log");
        Files.createDirectories(target.getParent());
        Files.createFile(target);
        String name = pod + "_" + ns + "_" + container + "-" + id + ".log";
        Files.createDirectories(logRoot.resolve("containers"));
        Files.createSymbolicLink(logRoot.resolve("containers").resolve(name), target);
        return name;
    }

    private static void append(Path file, String line) throws IOException {
        Files.writeString(
                file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
