package dev.kubelogs.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.merge.NodeProcessorConfigOptions;
import dev.kubelogs.job.metrics.source.ScrapeSourceConfigOptions;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.sink.cloudwatch.BatchCutter;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import dev.kubelogs.job.sink.cloudwatch.DeadLetterReason;
import dev.kubelogs.job.source.SpoolSourceConfigOptions;
import dev.kubelogs.job.source.kinesis.KinesisSegmentSource;
import dev.kubelogs.job.source.kinesis.KinesisSourceConfigOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.DetachedJobExecutionResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class JobCommandTest {
    @TempDir
    Path tmp;

    private JobCommand parse(String... args) {
        JobCommand job = new JobCommand();
        new CommandLine(job).parseArgs(args);
        return job;
    }

    @Test
    void aLocalRunsRestApiListensOnLoopbackOnly() throws Exception {
        Configuration conf = parse("--spool", tmp.toString()).flinkConfiguration();
        conf.set(RestOptions.BIND_PORT, "0");
        List<InetAddress> others = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .collect(Collectors.toList());
        assertThat(others).as("a non-loopback address to try the REST port on").isNotEmpty();

        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(1)
                .build())) {
            cluster.start();
            int port = cluster.getRestAddress().get().getPort();
            assertThat(cluster.getRestAddress().get().getHost()).isEqualTo("127.0.0.1");
            connect(InetAddress.getLoopbackAddress(), port);
            for (InetAddress other : others) {
                assertThatThrownBy(() -> connect(other, port))
                        .as(other.toString())
                        .isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void theRestApiListensElsewhereOnlyWhenAsked() {
        Configuration conf = parse("--spool", tmp.toString(), "--rest-bind-address", "0.0.0.0")
                .flinkConfiguration();
        assertThat(conf.get(RestOptions.BIND_ADDRESS)).isEqualTo("0.0.0.0");
        assertThat(conf.get(RestOptions.ADDRESS)).isEqualTo("127.0.0.1");
    }

    @Test
    void optionsOutOfRangeAreRefusedNamingTheOption() {
        assertThatThrownBy(
                        () -> parse("--spool", "x", "--max-record-bytes", "-1").newJob())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--max-record-bytes");
        assertThatThrownBy(() ->
                        parse("--spool", "x", "--checkpoint-interval", "0s").flinkConfiguration())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--checkpoint-interval");
        assertThatThrownBy(() -> parse("--spool", "x", "--dead-letter-group", "/g", "--dead-letter-dir", "d")
                        .newJob())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("exclude each other");
    }

    @Test
    void aFlagOverridesTheClustersConfigurationWhichOverridesTheDefault() {
        Configuration cluster = new Configuration();
        cluster.set(NodeProcessorConfigOptions.METADATA_WAIT, Duration.ofSeconds(3));
        cluster.set(NodeProcessorConfigOptions.MULTILINE_FLUSH_TIMEOUT, Duration.ofSeconds(7));

        Configuration settings =
                parse("--spool", "x", "--multiline-flush-timeout", "9s").settings(cluster);

        assertThat(settings.get(NodeProcessorConfigOptions.MULTILINE_FLUSH_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(9));
        assertThat(settings.get(NodeProcessorConfigOptions.METADATA_WAIT)).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.get(NodeProcessorConfigOptions.MAX_RECORD_BYTES))
                .isEqualTo(NodeProcessorConfigOptions.MAX_RECORD_BYTES.defaultValue());
        assertThat(settings.get(SpoolSourceConfigOptions.SPOOL)).isEqualTo("x");
    }

    @Test
    void everyFlagSetsItsOptionAndShowsItsDefault() throws Exception {
        CommandLine cmd = new CommandLine(new JobCommand());
        for (var flag : JobCommand.FLAGS.entrySet()) {
            var option = cmd.getCommandSpec().findOption(flag.getKey());
            assertThat(option).as(flag.getKey()).isNotNull();
            if (flag.getValue().hasDefaultValue()) {
                assertThat(cmd.getDefaultValueProvider().defaultValue(option))
                        .as(flag.getKey())
                        .isNotNull();
            }
        }
        assertThat(cmd.getCommandSpec().options())
                .allSatisfy(o -> assertThat(o.longestName())
                        .isIn(concat(
                                JobCommand.FLAGS.keySet(),
                                concat(JobCommand.OFF_SWITCHES.keySet(), List.of("--help", "--version")))));
        assertThat(parse("--spool", "x", "--no-stack-trace-joining")
                        .settings(new Configuration())
                        .get(NodeProcessorConfigOptions.STACK_TRACE_JOINING))
                .isFalse();
        assertThat(parse("--spool", "x")
                        .settings(new Configuration())
                        .get(NodeProcessorConfigOptions.STACK_TRACE_JOINING))
                .isTrue();
    }

    @Test
    void theKinesisTransportReadsTheStreamUnderTheKinesisSourcesUid() throws Exception {
        LogPipelineJob job = parse(
                        "--transport",
                        "KINESIS",
                        "--kinesis-stream",
                        "arn:aws:kinesis:eu-west-1:123456789012:stream/segments",
                        "--kinesis-initial-position",
                        "LATEST")
                .newJob();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        job.build(env);

        assertThat(env.getStreamGraph().getStreamNodes())
                .extracting(StreamNode::getTransformationUID)
                .contains(KinesisSegmentSource.UID)
                .doesNotContain(LogPipelineJob.SOURCE_UID);
        Configuration settings = parse("--transport", "KINESIS", "--kinesis-stream", "s", "--kinesis-region", "r")
                .settings(new Configuration());
        assertThat(KinesisSourceConfigOptions.source(settings).settings().region())
                .isEqualTo("r");
    }

    @Test
    void eachTransportNeedsItsOwnSettingAndRefusesTheOthers() {
        assertThatThrownBy(() -> parse().newJob())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--spool must name the spool");
        assertThatThrownBy(() -> parse("--transport", "KINESIS").newJob())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--kinesis-stream must name the stream");
        assertThatThrownBy(() -> parse("--transport", "KINESIS", "--kinesis-stream", "s", "--spool", "x")
                        .newJob())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--spool is not read when --transport is KINESIS");
        assertThatThrownBy(() -> parse("--spool", "x", "--kinesis-stream", "s").newJob())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--kinesis-stream is not read when --transport is SPOOL");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--discovery-interval=5s",
                "--discovery-lead=1s",
                "--quiet-below=384kb",
                "--until-sealed",
                "--keep-consumed-segments",
                "--spread-nodes"
            })
    void aSpoolSettingWithTheKinesisTransportIsAnErrorNamingIt(String spoolFlag) {
        assertThatThrownBy(() -> parse("--transport", "KINESIS", "--kinesis-stream", "s", spoolFlag)
                        .newJob())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith(spoolFlag.split("=")[0] + " is not read when --transport is KINESIS");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--kinesis-endpoint=http://127.0.0.1:1",
                "--kinesis-region=r",
                "--kinesis-initial-position=LATEST"
            })
    void aKinesisSettingWithTheSpoolTransportIsAnErrorNamingIt(String kinesisFlag) {
        assertThatThrownBy(() -> parse("--spool", "x", kinesisFlag).newJob())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith(kinesisFlag.split("=")[0] + " is not read when --transport is SPOOL");
    }

    @Test
    void aKinesisSettingOnlyInTheClusterConfigurationIsAnErrorWithTheSpool() {
        Configuration cluster = new Configuration();
        cluster.set(KinesisSourceConfigOptions.IDLE_POLL_INTERVAL, Duration.ofSeconds(1));
        assertThatThrownBy(() -> parse("--spool", "x").newJob(cluster))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith(
                        "kubelogs.source.kinesis.idle-poll-interval is not read when --transport is SPOOL");
    }

    @Test
    void quietBelowNeedsALongerIntervalDuringBacklogAndIsNamedByItsFlag() throws Exception {
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(5));
        assertThatThrownBy(() -> parse("--spool", "x", "--quiet-below", "384kb").newJob(cluster))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--quiet-below")
                .hasMessageContaining("execution.checkpointing.interval-during-backlog");
        cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL_DURING_BACKLOG, Duration.ofSeconds(10));
        assertThat(parse("--spool", "x", "--quiet-below", "384kb")
                        .settings(cluster)
                        .get(SpoolSourceConfigOptions.QUIET_BELOW))
                .isEqualTo(org.apache.flink.configuration.MemorySize.parse("384kb"));
        parse("--spool", "x", "--quiet-below", "384kb").newJob(cluster);
    }

    @Test
    void theMetricsScrapesPerTargetFlagBoundsTheScrapeSource() {
        assertThat(parse("--spool", "x", "--metrics-scrapes-per-target", "7")
                        .settings(new Configuration())
                        .get(ScrapeSourceConfigOptions.SCRAPES_PER_TARGET))
                .isEqualTo(7);
        assertThat(parse("--spool", "x")
                        .settings(new Configuration())
                        .get(ScrapeSourceConfigOptions.SCRAPES_PER_TARGET))
                .isZero();
        assertThatThrownBy(() -> parse(
                                "--spool",
                                "x",
                                "--prometheus-config",
                                "default",
                                "--cluster",
                                "c",
                                "--metrics-scrapes-per-target",
                                "-1")
                        .newJob())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--metrics-scrapes-per-target");
    }

    private static List<String> concat(java.util.Collection<String> a, java.util.Collection<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2_000);
        }
    }

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new JobCommand())
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void aMultilineRulesFileThatIsNotJsonIsAUsageErrorNamingTheFileAndThePosition() throws IOException {
        Path rules = Files.writeString(tmp.resolve("rules.json"), "[{\"name\": \"x\",\n  rules: []}]");
        assertThat(run("--spool", tmp.toString(), "--multiline-rules", rules.toString()))
                .isEqualTo(2);
        assertThat(err.toString())
                .startsWith("--multiline-rules: " + rules + ": ")
                .contains("(line 2, column 3)")
                .doesNotContain("\tat ");
    }

    @Test
    void aMissingMultilineRulesFileIsAUsageErrorWithoutAStackTrace() {
        Path missing = tmp.resolve("missing.json");
        assertThat(run("--spool", tmp.toString(), "--multiline-rules", missing.toString()))
                .isEqualTo(2);
        assertThat(err.toString().lines().findFirst()).hasValue("--multiline-rules: " + missing + ": no such file");
        assertThat(err.toString()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aParsersFileWithAKeyThatIsNotImplementedIsAUsageErrorNamingIt() throws IOException {
        Path parsers = Files.writeString(
                tmp.resolve("parsers.conf"), "[PARSER]\n    Name json\n    Format json\n    Decode_Field json log\n");
        assertThat(run("--spool", tmp.toString(), "--parsers-file", parsers.toString()))
                .isEqualTo(2);
        assertThat(err.toString().lines().findFirst())
                .hasValue("--parsers-file: " + parsers + ": line 4: key Decode_Field is not supported");
        assertThat(err.toString()).doesNotContain("\tat ");
    }

    private static final CloudWatchEvent OVERSIZE =
            new CloudWatchEvent("g", "s", 1L, "x".repeat(BatchCutter.MAX_EVENT_BYTES + 1));

    private static BatchCutter.Prepared sinkOf(String... args) {
        JobCommand command = new JobCommand();
        new CommandLine(command).parseArgs(args);
        CloudWatchLogsSink sink = (CloudWatchLogsSink) command.sinkFactory().create();
        return sink.config().cutter().prepare(OVERSIZE);
    }

    @Test
    void anOversizeEventThatStillReachesTheSinkIsDeadLetteredWholeNotCut() {
        BatchCutter.Prepared p = sinkOf("--spool", "/tmp/spool");
        assertThat(p.event).isNull();
        assertThat(p.deadLetter).isEqualTo(DeadLetterReason.OVERSIZE);
    }

    @Test
    void truncationOnlyWhenAskedFor() {
        BatchCutter.Prepared p = sinkOf("--spool", "/tmp/spool", "--oversize-events", "TRUNCATE");
        assertThat(p.truncated).isTrue();
        assertThat(p.event.message()).endsWith(BatchCutter.truncationMarker(BatchCutter.MAX_EVENT_BYTES + 1));
    }

    @Test
    void aDetachedSubmissionIsReportedByItsJobId() {
        JobID id = new JobID();
        // a cluster running the jar (REST /jars/:id/run, application mode) returns this; its runtime is unknown
        assertThat(JobCommand.outcome(new DetachedJobExecutionResult(id))).isEqualTo("Job " + id + " submitted");
    }

    @Test
    void anAttachedRunIsReportedByItsRuntime() {
        assertThat(JobCommand.outcome(new JobExecutionResult(new JobID(), 1234, java.util.Map.of())))
                .isEqualTo("Job finished after 1234 ms");
    }

    @Test
    void thePrometheusConfigAddsTheMetricsBranchWithTheAgentsDefaults() throws Exception {
        assertThat(parse("--spool", tmp.toString()).newJob().hasMetrics()).isFalse();
        LogPipelineJob job = parse("--spool", tmp.toString(), "--prometheus-config", "default", "--cluster", "prod")
                .newJob();
        assertThat(job.hasMetrics()).isTrue();
    }

    @Test
    void anAgentFileThatCannotBeUsedIsAUsageErrorNamingIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("agent"));
        Files.writeString(
                dir.resolve("cwagentconfig.json"),
                "{\"logs\":{\"metrics_collected\":{\"prometheus\":{"
                        + "\"cluster_name\":\"c\",\"ecs_service_discovery\":{}}}}}");
        assertThat(run("--spool", tmp.toString(), "--prometheus-config", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString().lines().findFirst().orElseThrow())
                .startsWith("--prometheus-config: ")
                .contains("cwagentconfig.json")
                .contains("ecs_service_discovery");
    }

    @Test
    void theAgentsPrometheusFileIsFoundBesideItsConfigAndItsRegionMustBeTheJobs() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("agent"));
        Files.writeString(
                dir.resolve("prometheus.yaml"),
                "scrape_configs:\n  - job_name: app\n" + "    static_configs:\n      - targets: ['127.0.0.1:9100']\n");
        Files.writeString(
                dir.resolve("cwagentconfig.json"),
                "{\"agent\":{\"region\":\"eu-west-1\"},"
                        + "\"logs\":{\"metrics_collected\":{\"prometheus\":{\"cluster_name\":\"c\"}}}}");
        assertThat(parse("--spool", tmp.toString(), "--region", "eu-west-1", "--prometheus-config", dir.toString())
                        .newJob()
                        .hasMetrics())
                .isTrue();
        assertThat(run("--spool", tmp.toString(), "--region", "us-east-1", "--prometheus-config", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("region eu-west-1").contains("us-east-1");
    }

    @Test
    void withoutAClusterNameTheMetricsLogGroupCannotBeNamed() {
        assertThat(run("--spool", tmp.toString(), "--prometheus-config", "default"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("no cluster name");
    }
}
