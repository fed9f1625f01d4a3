package dev.kubelogs.job;

import dev.kubelogs.job.merge.RuleSetsFile;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkBuilder;
import dev.kubelogs.job.source.SpoolSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Entry point of the job (the shaded jar's main class and {@code ./pipeline job}): reads arguments,
 * builds the spool source and the CloudWatch Logs sinks, and runs {@link LogPipelineJob} on whatever
 * environment it finds — the cluster when submitted, an embedded MiniCluster when run locally.
 */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        description = "Run the Flink job: spool ▶ keyBy(cluster,node) ▶ parse/route ▶ CloudWatch Logs (exactly-once).")
public final class JobCommand implements Callable<Integer> {
    /** Used when neither the cluster configuration nor --checkpoint-interval sets one. */
    static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

    @Option(names = "--spool", required = true, description = "Spool root: a directory, file:///… or s3://bucket/prefix.")
    String spool;

    @Option(names = "--region", description = "AWS region (default: $AWS_REGION, else us-east-1).")
    String region;

    @Option(names = "--cloudwatch-endpoint", description = "A CloudWatch-Logs-compatible endpoint instead of AWS's, e.g. http://127.0.0.1:4566.")
    String cloudwatchEndpoint;

    @Option(names = "--delivery-guarantee", defaultValue = "EXACTLY_ONCE", description = "EXACTLY_ONCE or AT_LEAST_ONCE (default: ${DEFAULT-VALUE}).")
    DeliveryGuarantee deliveryGuarantee;

    @Option(names = "--discovery-interval", defaultValue = "1s", converter = DurationConverter.class, description = "How often new segments are looked for (default: ${DEFAULT-VALUE}).")
    Duration discoveryInterval;

    @Option(names = "--multiline-flush-timeout", defaultValue = "4s", converter = DurationConverter.class, description = "Flush a pending multiline record after this long without a continuation (default: ${DEFAULT-VALUE}).")
    Duration multilineFlushTimeout;

    @Option(names = "--log-group-prefix", defaultValue = JobOptions.DEFAULT_GROUP_PREFIX, description = "Log groups are <prefix>/<cluster>/{application,host,dataplane} (default: ${DEFAULT-VALUE}).")
    String logGroupPrefix;

    @Option(names = "--retention-days", description = "PutRetentionPolicy on every log group the job creates (default: never expire, like Container Insights).")
    Integer retentionDays;

    @Option(names = "--dead-letter-group", description = "Events CloudWatch rejects (too old/new, invalid) go to this log group.")
    String deadLetterGroup;

    @Option(names = "--dead-letter-dir", description = "…or to JSON-lines files in this directory (default: logged as errors).")
    String deadLetterDir;

    @Option(names = "--until-sealed", description = "Finish once every node's collector has sealed its spool and all of it was delivered (demo, tests).")
    boolean untilSealed;

    @Option(names = "--keep-consumed-segments", description = "Do not delete segments after a checkpoint covers them.")
    boolean keepConsumedSegments;

    @Option(names = "--checkpoint-interval", converter = DurationConverter.class, description = "Checkpoint interval (default: the cluster configuration's, else 2s).")
    Duration checkpointInterval;

    @Option(names = "--checkpoint-dir", description = "Durable checkpoint storage (file:// or s3://); the sink's batches live in checkpoints, so the JobManager's in-memory storage is too small (default: the cluster's).")
    String checkpointDir;

    @Option(names = "--spread-nodes", description = "Let any reader take any node's next segment (few busy nodes, many readers); order is restored in the keyed stage.")
    boolean spreadNodes;

    @Option(names = "--parallelism", description = "Job parallelism (default: the cluster's).")
    Integer parallelism;

    @Option(names = "--no-stack-trace-joining", description = "Do not join java/python/go stack traces (runtime partial lines are always joined).")
    boolean noStackTraceJoining;

    @Option(names = "--multiline-rules", paramLabel = "FILE", description = "User multiline rule sets (JSON), tried first for the containers they select.")
    Path multilineRules;

    @Option(names = "--max-record-bytes", defaultValue = "2097152", description = "A joined record is flushed and marked multiline_truncated at this size (default: ${DEFAULT-VALUE}).")
    int maxRecordBytes;

    @Option(names = "--metadata-wait", defaultValue = "10s", converter = DurationConverter.class, description = "How long a line waits for its pod's metadata (default: ${DEFAULT-VALUE}).")
    Duration metadataWait;

    @Option(names = "--kubernetes-labels", description = "Add pod labels to the kubernetes block (Container Insights: off).")
    boolean kubernetesLabels;

    @Option(names = "--kubernetes-annotations", description = "Add pod annotations to the kubernetes block (Container Insights: off).")
    boolean kubernetesAnnotations;

    @Override
    public Integer call() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration());
        if (parallelism != null) {
            env.setParallelism(parallelism);
        }
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            // exactly-once delivery commits on checkpoints: never run without them
            env.enableCheckpointing(DEFAULT_CHECKPOINT_INTERVAL.toMillis());
        }
        newJob().build(env);
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

    /** The job this command describes, with its real source and sinks. */
    public LogPipelineJob newJob() throws IOException {
        JobOptions options = new JobOptions(logGroupPrefix, JobOptions.defaults().routingRules(),
                        JobOptions.defaults().journalRouting(), multilineFlushTimeout)
                .stackTraceJoining(!noStackTraceJoining)
                .userRuleSets(multilineRules == null ? List.of() : RuleSetsFile.read(multilineRules))
                .maxRecordBytes(maxRecordBytes)
                .metadataWait(metadataWait, JobOptions.defaults().maxAwaitingEventsPerNode())
                .kubernetesLabelsAndAnnotations(kubernetesLabels, kubernetesAnnotations);
        SpoolSource source = SpoolSource.of(spoolUri(spool), discoveryInterval, untilSealed, !keepConsumedSegments);
        if (spreadNodes) {
            source = source.spreadingNodesOverReaders();
        }
        return new LogPipelineJob(source, sinkFactory(), options);
    }

    /** Pipeline settings every run of this job needs, whatever the cluster configuration says. */
    public Configuration flinkConfiguration() {
        Configuration conf = new Configuration();
        // savepoints must map state to operators by the uids we chose, never by generated ones
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        // every type on the wire and in state has a Flink serializer; Kryo would hide schema changes
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        if (checkpointInterval != null) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        }
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, spoolUri(checkpointDir));
        }
        return conf;
    }

    /** One CloudWatch Logs sink per category, all configured alike. */
    public LogPipelineJob.SinkFactory sinkFactory() {
        String resolvedRegion = region != null ? region : System.getenv().getOrDefault("AWS_REGION", "us-east-1");
        String endpoint = cloudwatchEndpoint;
        boolean dummyCredentials = endpoint != null && !defaultCredentialsAvailable();
        DeliveryGuarantee guarantee = deliveryGuarantee;
        Integer retention = retentionDays;
        String dlGroup = deadLetterGroup;
        String dlDir = deadLetterDir;
        return (Category category) -> {
            CloudWatchLogsSinkBuilder builder = CloudWatchLogsSink.builder()
                    .region(resolvedRegion)
                    .deliveryGuarantee(guarantee)
                    // single writer per stream comes from keyBy(cluster, node): every stream name carries its
                    // node, and the sinks are chained to the node's subtask; the sink's own check assumes a
                    // keyBy(stream) instead, so it does not apply here
                    .streamOwnershipCheck(false);
            if (endpoint != null) {
                builder.endpoint(endpoint);
            }
            if (dummyCredentials) {
                // a local CloudWatch-Logs-compatible endpoint does not check signatures
                builder.staticCredentials("local", "local");
            }
            if (retention != null) {
                builder.retentionInDays(retention);
            }
            if (dlGroup != null) {
                builder.deadLetterLogGroup(dlGroup);
            } else if (dlDir != null) {
                builder.deadLetterDirectory(Paths.get(dlDir).resolve(category.id()).toString());
            }
            return builder.build();
        };
    }

    private static boolean defaultCredentialsAvailable() {
        try (DefaultCredentialsProvider provider = DefaultCredentialsProvider.builder().build()) {
            provider.resolveCredentials();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A plain path becomes a file URI; anything with a scheme is kept. */
    static String spoolUri(String spool) {
        URI uri = URI.create(spool.replace(" ", "%20"));
        return uri.getScheme() == null ? Paths.get(spool).toAbsolutePath().toUri().toString() : spool;
    }

    /** Accepts Flink's duration syntax: 500ms, 2s, 1min, PT2S. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return value.startsWith("P") ? Duration.parse(value) : TimeUtils.parseDuration(value);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses the arguments and runs the job; returns picocli's exit code (2 for bad arguments). */
    static int run(String[] args) {
        return new CommandLine(new JobCommand()).execute(args);
    }
}
