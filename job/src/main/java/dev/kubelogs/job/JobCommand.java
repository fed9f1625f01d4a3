package dev.kubelogs.job;

import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.KUBERNETES_ANNOTATIONS;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.KUBERNETES_LABELS;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.LOG_GROUP_PREFIX;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.MAX_RECORD_BYTES;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.METADATA_WAIT;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.MULTILINE_FLUSH_TIMEOUT;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.MULTILINE_IDLE_FLUSH;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.MULTILINE_RULES;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.OVERSIZE_EVENTS;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.PARSERS_FILE;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.STACK_TRACE_JOINING;
import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.DEAD_LETTER_DIR;
import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.DEAD_LETTER_GROUP;
import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.DELIVERY_GUARANTEE;
import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.ENDPOINT;
import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.REGION;
import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.RETENTION_DAYS;
import static dev.kubelogs.job.source.SpoolSourceConfigOptions.DISCOVERY_INTERVAL;
import static dev.kubelogs.job.source.SpoolSourceConfigOptions.DISCOVERY_LEAD;
import static dev.kubelogs.job.source.SpoolSourceConfigOptions.KEEP_CONSUMED_SEGMENTS;
import static dev.kubelogs.job.source.SpoolSourceConfigOptions.QUIET_BELOW;
import static dev.kubelogs.job.source.SpoolSourceConfigOptions.SPOOL;
import static dev.kubelogs.job.source.SpoolSourceConfigOptions.SPREAD_NODES;
import static dev.kubelogs.job.source.SpoolSourceConfigOptions.UNTIL_SEALED;

import dev.kubelogs.job.config.ConfigChecks;
import dev.kubelogs.job.metrics.MetricsConfigOptions;
import dev.kubelogs.job.metrics.MetricsPipeline;
import dev.kubelogs.job.metrics.MetricsPipelines;
import dev.kubelogs.job.metrics.MetricsSetup;
import dev.kubelogs.job.metrics.source.ScrapeSourceConfigOptions;
import dev.kubelogs.job.source.SpoolSourceConfigOptions;
import dev.kubelogs.job.source.Transport;
import dev.kubelogs.job.source.kinesis.InitialPosition;
import dev.kubelogs.job.source.kinesis.KinesisSegmentSource;
import dev.kubelogs.job.source.kinesis.KinesisSourceConfigOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Entry point of the job (the shaded jar's main class and {@code ./pipeline job}). Every flag sets one Flink
 * {@code ConfigOption} ({@link #FLAGS}): the stage's own ({@code SpoolSourceConfigOptions},
 * {@code NodeProcessorConfigOptions}, {@code CloudWatchLogsSinkConfigOptions}) or Flink's. The options hold the
 * defaults; a flag overrides the cluster's configuration, which overrides the default. The command builds the spool
 * source and the CloudWatch Logs sinks and runs {@link LogPipelineJob} on whatever environment it finds.
 */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        defaultValueProvider = JobCommand.OptionDefaults.class,
        description = "Run the Flink job: spool ▶ keyBy(cluster,node) ▶ parse/route ▶ CloudWatch Logs (exactly-once).")
public final class JobCommand implements Callable<Integer> {
    /** Used when neither the cluster configuration nor --checkpoint-interval sets one. */
    static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

    /** Flink's smallest checkpoint interval. */
    static final Duration MIN_CHECKPOINT_INTERVAL = Duration.ofMillis(10);

    /** The retention periods PutRetentionPolicy accepts, in days. */
    static final java.util.Set<Integer> RETENTION_DAYS_ALLOWED = java.util.Set.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    /** Each flag and the setting it sets. */
    public static final Map<String, ConfigOption<?>> FLAGS = flags();

    /** Switches that turn a setting off: given, the setting is false. */
    public static final Map<String, ConfigOption<Boolean>> OFF_SWITCHES =
            Map.of("--no-stack-trace-joining", STACK_TRACE_JOINING);

    private static Map<String, ConfigOption<?>> flags() {
        Map<String, ConfigOption<?>> f = new LinkedHashMap<>();
        f.put("--spool", SPOOL);
        f.put("--transport", Transport.OPTION);
        f.put("--kinesis-stream", KinesisSourceConfigOptions.STREAM);
        f.put("--kinesis-endpoint", KinesisSourceConfigOptions.ENDPOINT);
        f.put("--kinesis-region", KinesisSourceConfigOptions.REGION);
        f.put("--kinesis-initial-position", KinesisSourceConfigOptions.INITIAL_POSITION);
        f.put("--discovery-interval", DISCOVERY_INTERVAL);
        f.put("--discovery-lead", DISCOVERY_LEAD);
        f.put("--quiet-below", QUIET_BELOW);
        f.put("--until-sealed", UNTIL_SEALED);
        f.put("--keep-consumed-segments", KEEP_CONSUMED_SEGMENTS);
        f.put("--spread-nodes", SPREAD_NODES);
        f.put("--log-group-prefix", LOG_GROUP_PREFIX);
        f.put("--multiline-flush-timeout", MULTILINE_FLUSH_TIMEOUT);
        f.put("--multiline-idle-flush", MULTILINE_IDLE_FLUSH);
        f.put("--multiline-rules", MULTILINE_RULES);
        f.put("--max-record-bytes", MAX_RECORD_BYTES);
        f.put("--oversize-events", OVERSIZE_EVENTS);
        f.put("--metadata-wait", METADATA_WAIT);
        f.put("--kubernetes-labels", KUBERNETES_LABELS);
        f.put("--kubernetes-annotations", KUBERNETES_ANNOTATIONS);
        f.put("--parsers-file", PARSERS_FILE);
        f.put("--region", REGION);
        f.put("--cloudwatch-endpoint", ENDPOINT);
        f.put("--delivery-guarantee", DELIVERY_GUARANTEE);
        f.put("--retention-days", RETENTION_DAYS);
        f.put("--dead-letter-group", DEAD_LETTER_GROUP);
        f.put("--dead-letter-dir", DEAD_LETTER_DIR);
        f.put("--checkpoint-interval", CheckpointingOptions.CHECKPOINTING_INTERVAL);
        f.put("--checkpoint-dir", CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        f.put("--parallelism", CoreOptions.DEFAULT_PARALLELISM);
        f.put("--rest-bind-address", RestOptions.BIND_ADDRESS);
        f.put("--prometheus-config", MetricsConfigOptions.PROMETHEUS_CONFIG);
        f.put("--cluster", MetricsConfigOptions.CLUSTER_NAME);
        f.put("--drop-undeclared-metrics", MetricsConfigOptions.DROP_UNDECLARED_METRICS);
        f.put("--metrics-scrapes-per-target", ScrapeSourceConfigOptions.SCRAPES_PER_TARGET);
        return java.util.Collections.unmodifiableMap(f);
    }

    @Option(
            names = "--spool",
            description = "Spool root: a directory, file:///… or s3://bucket/prefix (the SPOOL transport).")
    String spool;

    @Option(
            names = "--transport",
            description = "How segments reach the job: SPOOL (--spool) or KINESIS (--kinesis-stream) "
                    + "(default: ${DEFAULT-VALUE}).")
    Transport transport;

    @Option(names = "--kinesis-stream", description = "The Kinesis data stream of the KINESIS transport: name or ARN.")
    String kinesisStream;

    @Option(
            names = "--kinesis-endpoint",
            description = "A Kinesis-compatible endpoint instead of AWS's, e.g. http://127.0.0.1:4568.")
    String kinesisEndpoint;

    @Option(
            names = "--kinesis-region",
            description = "The stream's region (default: the ARN's, else $AWS_REGION, else us-east-1).")
    String kinesisRegion;

    @Option(
            names = "--kinesis-initial-position",
            description = "Where a job without a checkpoint starts reading the stream: TRIM_HORIZON or LATEST "
                    + "(default: ${DEFAULT-VALUE}).")
    InitialPosition kinesisInitialPosition;

    @Option(names = "--region", description = "AWS region (default: $AWS_REGION, else us-east-1).")
    String region;

    @Option(
            names = "--cloudwatch-endpoint",
            description = "A CloudWatch-Logs-compatible endpoint instead of AWS's, e.g. http://127.0.0.1:4566.")
    String cloudwatchEndpoint;

    @Option(names = "--delivery-guarantee", description = "EXACTLY_ONCE or AT_LEAST_ONCE (default: ${DEFAULT-VALUE}).")
    org.apache.flink.connector.base.DeliveryGuarantee deliveryGuarantee;

    @Option(
            names = "--discovery-interval",
            converter = DurationConverter.class,
            description = "How often new segments are looked for (default: ${DEFAULT-VALUE}).")
    Duration discoveryInterval;

    @Option(
            names = "--discovery-lead",
            converter = DurationConverter.class,
            description =
                    "How long before each checkpoint trigger discovery runs, while triggers come every checkpoint "
                            + "interval and one interval is a multiple of the other; at most half the checkpoint interval, 0 "
                            + "keeps discovery on its own timer (default: ${DEFAULT-VALUE}).")
    Duration discoveryLead;

    @Option(
            names = "--quiet-below",
            converter = MemorySizeConverter.class,
            description =
                    "Bytes of new segments a second (e.g. 384kb) below which the spool is quiet: checkpoints then "
                            + "come every execution.checkpointing.interval-during-backlog, which must be set and longer than "
                            + "the checkpoint interval (default: one interval).")
    org.apache.flink.configuration.MemorySize quietBelow;

    @Option(
            names = "--multiline-flush-timeout",
            converter = DurationConverter.class,
            description =
                    "Flush a pending multiline record after this long without a continuation (default: ${DEFAULT-VALUE}).")
    Duration multilineFlushTimeout;

    @Option(
            names = "--multiline-idle-flush",
            converter = DurationConverter.class,
            description =
                    "A pending multiline record is complete once its stream read nothing for this long before a "
                            + "segment's caught-up time, Fluent Bit's flush decided from the segments (default: ${DEFAULT-VALUE}).")
    Duration multilineIdleFlush;

    @Option(
            names = "--log-group-prefix",
            description = "Log groups are <prefix>/<cluster>/{application,host,dataplane} (default: ${DEFAULT-VALUE}).")
    String logGroupPrefix;

    @Option(
            names = "--retention-days",
            description =
                    "PutRetentionPolicy on every log group the job creates (default: never expire, like Container Insights).")
    Integer retentionDays;

    @Option(
            names = "--dead-letter-group",
            description = "Events CloudWatch rejects (too old/new, invalid) go to this log group "
                    + "(default: <prefix>/<cluster>/kubelogs-dead-letter, beside the event's own group).")
    String deadLetterGroup;

    @Option(names = "--dead-letter-dir", description = "…or to JSON-lines files in this directory.")
    String deadLetterDir;

    @Option(
            names = "--until-sealed",
            description =
                    "Finish once every node's collector has sealed its spool and all of it was delivered (demo, tests).")
    boolean untilSealed;

    @Option(names = "--keep-consumed-segments", description = "Do not delete segments after a checkpoint covers them.")
    boolean keepConsumedSegments;

    @Option(
            names = "--checkpoint-interval",
            converter = DurationConverter.class,
            description = "Checkpoint interval (default: the cluster configuration's, else 2s).")
    Duration checkpointInterval;

    @Option(
            names = "--checkpoint-dir",
            description =
                    "Durable checkpoint storage (file:// or s3://); the sink's batches live in checkpoints, so the JobManager's in-memory storage is too small (default: the cluster's).")
    String checkpointDir;

    @Option(
            names = "--spread-nodes",
            description =
                    "Let any reader take any node's next segment (few busy nodes, many readers): lines are then shuffled to the keyed stage by node, which restores their order.")
    boolean spreadNodes;

    @Option(names = "--parallelism", description = "Job parallelism (default: the cluster's).")
    Integer parallelism;

    @Option(
            names = "--no-stack-trace-joining",
            description = "Do not join java/python/go stack traces (runtime partial lines are always joined).")
    boolean noStackTraceJoining;

    @Option(
            names = "--multiline-rules",
            paramLabel = "FILE",
            description = "User multiline rule sets (JSON), tried first for the containers they select.")
    String multilineRules;

    @Option(
            names = "--max-record-bytes",
            description = "A joined record is flushed and marked multiline_truncated at this size, "
                    + "the rest following as the next record (default: ${DEFAULT-VALUE}).")
    int maxRecordBytes;

    @Option(
            names = "--oversize-events",
            description =
                    "An event over CloudWatch's 1,048,550 bytes: SPLIT into consecutive events with a "
                            + "kubelogs_part index (nothing lost), TRUNCATE (cut with a marker, bytes lost) or DEAD_LETTER (default: ${DEFAULT-VALUE}).")
    dev.kubelogs.job.merge.OversizeEvents oversizeEvents;

    @Option(
            names = "--metadata-wait",
            converter = DurationConverter.class,
            description = "How long a line waits for its pod's metadata (default: ${DEFAULT-VALUE}).")
    Duration metadataWait;

    @Option(
            names = "--kubernetes-labels",
            description = "Add pod labels to the kubernetes block (Container Insights: off).")
    boolean kubernetesLabels;

    @Option(
            names = "--kubernetes-annotations",
            description = "Add pod annotations to the kubernetes block (Container Insights: off).")
    boolean kubernetesAnnotations;

    @Option(
            names = "--parsers-file",
            paramLabel = "FILE",
            description = "Fluent Bit parsers file ([PARSER] sections, regex or json) whose parsers pods may name "
                    + "with fluentbit.io/parser annotations, in place of Container Insights' parsers.conf.")
    String parsersFile;

    @Option(
            names = "--rest-bind-address",
            description = "Local runs: the address the embedded Flink REST API (web UI, job cancel) listens on; "
                    + "0.0.0.0 exposes it to the network (default: ${DEFAULT-VALUE}).")
    String restBindAddress;

    @Option(
            names = "--prometheus-config",
            paramLabel = "PATH",
            description = "Run the metrics pipeline (the CloudWatch "
                    + "agent's Prometheus half) from the agent's cwagentconfig.json (or its directory), which names its "
                    + "prometheus.yaml; 'default' for the agent's EKS defaults. Unset: logs only.")
    String prometheusConfig;

    @Option(
            names = "--cluster",
            description = "Cluster name for the metrics pipeline when cwagentconfig.json has no "
                    + "cluster_name (default: $K8S_CLUSTER_NAME).")
    String cluster;

    @Option(
            names = "--drop-undeclared-metrics",
            description = "Leave metrics no metric_declaration selects out of the "
                    + "prometheus log group (the agent writes them as plain fields).")
    boolean dropUndeclaredMetrics;

    @Option(
            names = "--metrics-scrapes-per-target",
            paramLabel = "N",
            description = "Scrape each target N times, then "
                    + "end the metrics source, so a job with --until-sealed can finish (demos, tests; static_configs targets); "
                    + "0 scrapes for ever (default: ${DEFAULT-VALUE}).")
    int metricsScrapesPerTarget;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration());
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            // exactly-once delivery commits on checkpoints: never run without them
            env.enableCheckpointing(DEFAULT_CHECKPOINT_INTERVAL.toMillis());
        }
        newJob(env.getConfiguration()).build(env);
        System.out.println(outcome(env.execute("kubelogs")));
        return 0;
    }

    /**
     * What {@code execute} returned, in words. A jar run by a cluster (application mode, or {@code /jars/:id/run}) is
     * submitted detached: its result knows the job id only, and asking it for the runtime throws.
     */
    static String outcome(JobExecutionResult result) {
        return result.isJobExecutionResult()
                ? String.format("Job finished after %d ms", result.getNetRuntime())
                : String.format("Job %s submitted", result.getJobID());
    }

    /** The job these flags describe over the defaults, with its real source and sinks. */
    public LogPipelineJob newJob() throws IOException {
        return newJob(new Configuration());
    }

    /** The job these flags describe over {@code cluster} (the cluster's configuration), with its real source and sinks. */
    public LogPipelineJob newJob(ReadableConfig cluster) throws IOException {
        Configuration settings = settings(cluster);
        return checked(() -> {
            CloudWatchSinks sinks = sinkFactory(settings);
            LogPipelineJob job = logPipeline(settings, sinks);
            return settings.get(MetricsConfigOptions.PROMETHEUS_CONFIG) == null
                    ? job
                    : job.withMetrics(metricsPipeline(settings, sinks));
        });
    }

    /** The log pipeline over the transport {@code settings} choose; a setting of the other transport is an error. */
    private LogPipelineJob logPipeline(ReadableConfig settings, CloudWatchSinks sinks) {
        if (settings.get(Transport.OPTION) == Transport.KINESIS) {
            notSetWith(settings, SpoolSourceConfigOptions.OPTIONS, Transport.KINESIS);
            return new LogPipelineJob(
                    KinesisSourceConfigOptions.source(settings),
                    KinesisSegmentSource.UID,
                    sinks,
                    keyedStageOptions(settings));
        }
        notSetWith(settings, KinesisSourceConfigOptions.OPTIONS, Transport.SPOOL);
        if (settings.get(SPOOL) == null) {
            throw new IllegalConfigurationException(SPOOL.key() + " must name the spool (or " + Transport.OPTION.key()
                    + " be KINESIS, with " + KinesisSourceConfigOptions.STREAM.key() + ")");
        }
        return new LogPipelineJob(
                SpoolSourceConfigOptions.source(settings, spoolUri(settings.get(SPOOL))),
                sinks,
                keyedStageOptions(settings));
    }

    private static void notSetWith(ReadableConfig settings, List<ConfigOption<?>> options, Transport transport) {
        for (ConfigOption<?> option : options) {
            if (settings.getOptional(option).isPresent()) {
                throw new IllegalConfigurationException(option.key() + " is not read when " + Transport.OPTION.key()
                        + " is " + transport + ": drop one of them");
            }
        }
    }

    /** The metrics pipeline from the agent's files; a file that cannot be used is a usage error (exit 2) naming it. */
    private MetricsPipeline metricsPipeline(ReadableConfig settings, CloudWatchSinks sinks) {
        try {
            MetricsSetup setup = MetricsSetup.load(
                    settings.get(MetricsConfigOptions.PROMETHEUS_CONFIG),
                    settings.get(MetricsConfigOptions.CLUSTER_NAME),
                    System::getenv);
            if (setup.region() != null && !setup.region().equals(sinks.region())) {
                throw new IllegalArgumentException("cwagentconfig.json names region " + setup.region()
                        + " but the job writes to " + sinks.region() + " (--region or $AWS_REGION)");
            }
            return MetricsPipelines.create(settings, setup, sinks.metricsSink());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prometheus-config: " + e.getMessage(), e);
        }
    }

    /**
     * The keyed stage's options; a --multiline-rules or --parsers-file file that cannot be used is a usage error (exit
     * 2) naming it.
     */
    private JobOptions keyedStageOptions(ReadableConfig settings) {
        try {
            JobOptions.parsers(settings.get(PARSERS_FILE));
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--parsers-file: " + e.getMessage(), e);
        }
        try {
            return JobOptions.from(settings);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--multiline-rules: " + e.getMessage(), e);
        }
    }

    /** {@code base} with every flag given on the command line set over it. */
    public Configuration settings(ReadableConfig base) {
        Configuration settings = new Configuration();
        base.toMap().forEach(settings::setString);
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        FLAGS.forEach((flag, option) -> {
            OptionSpec o = spec.findOption(flag);
            if (given != null && given.hasMatchedOption(o)) {
                set(settings, option, o.getValue());
            }
        });
        OFF_SWITCHES.forEach((flag, option) -> {
            if (given != null && given.hasMatchedOption(flag)) {
                settings.set(option, false);
            }
        });
        return settings;
    }

    @SuppressWarnings("unchecked")
    private static void set(Configuration settings, ConfigOption<?> option, Object value) {
        settings.set((ConfigOption<Object>) option, value);
    }

    /** Pipeline settings every run of this job needs, whatever the cluster configuration says. */
    public Configuration flinkConfiguration() {
        Configuration settings = settings(new Configuration());
        return checked(() -> {
            Configuration conf = new Configuration();
            // savepoints must map state to operators by the uids we chose, never by generated ones
            conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
            // every type on the wire and in state has a Flink serializer; Kryo would hide schema changes
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
            // a local run's REST API can cancel the job: loopback unless asked (a cluster's own configuration wins
            // there)
            String rest = settings.get(RestOptions.BIND_ADDRESS) != null
                    ? settings.get(RestOptions.BIND_ADDRESS)
                    : "127.0.0.1";
            conf.set(RestOptions.BIND_ADDRESS, rest);
            conf.set(RestOptions.ADDRESS, "0.0.0.0".equals(rest) ? "127.0.0.1" : rest);
            if (settings.contains(CoreOptions.DEFAULT_PARALLELISM)) {
                conf.set(
                        CoreOptions.DEFAULT_PARALLELISM,
                        ConfigChecks.atLeast(settings, CoreOptions.DEFAULT_PARALLELISM, 1));
            }
            if (settings.contains(CheckpointingOptions.CHECKPOINTING_INTERVAL)) {
                conf.set(
                        CheckpointingOptions.CHECKPOINTING_INTERVAL,
                        ConfigChecks.atLeast(
                                settings, CheckpointingOptions.CHECKPOINTING_INTERVAL, MIN_CHECKPOINT_INTERVAL));
            }
            if (settings.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
                conf.set(
                        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                        spoolUri(settings.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)));
            }
            return conf;
        });
    }

    /** The CloudWatch Logs sinks (the log events' and the metrics pipeline's), configured alike by {@code settings}. */
    public CloudWatchSinks sinkFactory(ReadableConfig settings) {
        ConfigChecks.oneOf(
                settings,
                DELIVERY_GUARANTEE,
                java.util.List.of(
                        org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE,
                        org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE),
                "EXACTLY_ONCE or AT_LEAST_ONCE");
        ConfigChecks.oneOf(
                settings,
                RETENTION_DAYS,
                RETENTION_DAYS_ALLOWED,
                "one of CloudWatch's periods " + new java.util.TreeSet<>(RETENTION_DAYS_ALLOWED));
        if (settings.get(DEAD_LETTER_GROUP) != null && settings.get(DEAD_LETTER_DIR) != null) {
            throw new IllegalConfigurationException(
                    DEAD_LETTER_GROUP.key() + " and " + DEAD_LETTER_DIR.key() + " exclude each other");
        }
        return new CloudWatchSinks(settings);
    }

    /** {@link #sinkFactory(ReadableConfig)} with these flags over the defaults. */
    public CloudWatchSinks sinkFactory() {
        Configuration settings = settings(new Configuration());
        return checked(() -> sinkFactory(settings));
    }

    /** Runs {@code build}; a setting out of range becomes a command-line error naming the flag that sets it. */
    private <T, E extends Exception> T checked(ThrowingSupplier<T, E> build) throws E {
        try {
            return build.get();
        } catch (IllegalConfigurationException e) {
            String message = e.getMessage();
            for (Map.Entry<String, ConfigOption<?>> f : FLAGS.entrySet()) {
                // the whole key only: execution.checkpointing.interval is not the start of ...interval-during-backlog
                message = message.replaceAll(
                        "(?<![\\w.-])"
                                + java.util.regex.Pattern.quote(f.getValue().key()) + "(?![\\w.-])",
                        java.util.regex.Matcher.quoteReplacement(f.getKey()));
            }
            throw new CommandLine.ParameterException(spec.commandLine(), message, e);
        }
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T, E extends Exception> {
        T get() throws E;
    }

    /** A plain path becomes a file URI; anything with a scheme is kept. */
    static String spoolUri(String spool) {
        URI uri = URI.create(spool.replace(" ", "%20"));
        return uri.getScheme() == null
                ? Paths.get(spool).toAbsolutePath().toUri().toString()
                : spool;
    }

    /** A flag's default, as help shows it and as the flag's field starts: the default of the option it sets. */
    public static final class OptionDefaults implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec)) {
                return null;
            }
            ConfigOption<?> option = FLAGS.get(((OptionSpec) arg).longestName());
            if (option == null || !option.hasDefaultValue()) {
                return null;
            }
            Object value = option.defaultValue();
            return value instanceof Duration
                    ? TimeUtils.formatWithHighestUnit((Duration) value)
                    : String.valueOf(value);
        }
    }

    /** Accepts Flink's duration syntax: 500ms, 2s, 1min, PT2S. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return value.startsWith("P") ? Duration.parse(value) : TimeUtils.parseDuration(value);
        }
    }

    /** Accepts Flink's memory size syntax: 384kb, 1mb, 1048576. */
    public static final class MemorySizeConverter
            implements CommandLine.ITypeConverter<org.apache.flink.configuration.MemorySize> {
        @Override
        public org.apache.flink.configuration.MemorySize convert(String value) {
            return org.apache.flink.configuration.MemorySize.parse(value);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses the arguments and runs the job; returns picocli's exit code (2 for bad arguments). */
    static int run(String[] args) {
        return OneLineParameterErrors.install(new CommandLine(new JobCommand())).execute(args);
    }
}
