package dev.kubelogs.job;

import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.DEAD_LETTER_DIR;
import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.DEAD_LETTER_GROUP;
import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.DELIVERY_GUARANTEE;
import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.ENDPOINT;
import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.LEAN_PUTS;
import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.MAX_HELD_BYTES;
import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.REGION;
import static dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkConfigOptions.RETENTION_DAYS;

import dev.kubelogs.job.config.AwsCredentials;
import dev.kubelogs.job.merge.NodeProcessorConfigOptions;
import dev.kubelogs.job.merge.OversizeEvents;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSinkBuilder;
import dev.kubelogs.job.sink.cloudwatch.OversizeEventPolicy;
import java.nio.file.Paths;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The job's CloudWatch Logs sinks, built alike from {@code CloudWatchLogsSinkConfigOptions}: the log events' (every
 * category) and the metrics pipeline's.
 */
public final class CloudWatchSinks implements LogPipelineJob.SinkFactory {
    private static final long serialVersionUID = 1L;

    private final String region;
    private final String endpoint;
    private final boolean dummyCredentials;
    private final DeliveryGuarantee guarantee;
    private final Integer retentionDays;
    private final String deadLetterGroup;
    private final String deadLetterDir;
    private final OversizeEventPolicy oversizePolicy;
    private final long maxHeldBytes;
    private final boolean leanPuts;

    CloudWatchSinks(ReadableConfig settings) {
        this.region = settings.getOptional(REGION).orElse(System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
        this.endpoint = settings.get(ENDPOINT);
        this.dummyCredentials = endpoint != null && !AwsCredentials.defaultChainResolves();
        this.guarantee = settings.get(DELIVERY_GUARANTEE);
        this.retentionDays = settings.get(RETENTION_DAYS);
        this.deadLetterGroup = settings.get(DEAD_LETTER_GROUP);
        this.deadLetterDir = settings.get(DEAD_LETTER_DIR);
        this.oversizePolicy = sinkOversizePolicy(settings.get(NodeProcessorConfigOptions.OVERSIZE_EVENTS));
        this.maxHeldBytes = settings.get(MAX_HELD_BYTES).getBytes();
        this.leanPuts = settings.get(LEAN_PUTS);
    }

    /** The region the sinks write to. */
    public String region() {
        return region;
    }

    /** The keyed stage splits what is too large; what still reaches the sink too large is cut only when asked. */
    static OversizeEventPolicy sinkOversizePolicy(OversizeEvents oversizeEvents) {
        return oversizeEvents == OversizeEvents.TRUNCATE
                ? OversizeEventPolicy.TRUNCATE
                : OversizeEventPolicy.DEAD_LETTER;
    }

    /** The subdirectory of {@code --dead-letter-dir} for the log events' sink. */
    static final String LOGS_DEAD_LETTER_SUBDIR = "logs";

    @Override
    public CloudWatchLogsSink create() {
        // single writer per stream comes from keyBy(cluster, node): every stream name carries its node, and the
        // sink is chained to the node's subtask; each event carries that key, so the sink checks it and a
        // topology that breaks the chain fails the job
        return builder(CloudWatchLogsSink.ownerKeySelector(), LOGS_DEAD_LETTER_SUBDIR)
                .build();
    }

    /** The metrics pipeline's sink: it follows keyBy(log group, log stream), the key its ownership check uses. */
    public CloudWatchLogsSink metricsSink() {
        return builder(CloudWatchLogsSink.streamKeySelector(), "prometheus").build();
    }

    private CloudWatchLogsSinkBuilder builder(
            org.apache.flink.api.java.functions.KeySelector<CloudWatchEvent, String> owner, String deadLetterSubdir) {
        CloudWatchLogsSinkBuilder builder = CloudWatchLogsSink.builder()
                .region(region)
                .deliveryGuarantee(guarantee)
                .oversizeEventPolicy(oversizePolicy)
                .maxHeldBytes(maxHeldBytes)
                .leanPuts(leanPuts)
                .streamOwner(owner);
        if (endpoint != null) {
            builder.endpoint(endpoint);
        }
        if (dummyCredentials) {
            // a local CloudWatch-Logs-compatible endpoint does not check signatures
            builder.staticCredentials("local", "local");
        }
        if (retentionDays != null) {
            builder.retentionInDays(retentionDays);
        }
        if (deadLetterGroup != null) {
            builder.deadLetterLogGroup(deadLetterGroup);
        } else if (deadLetterDir != null) {
            builder.deadLetterDirectory(
                    Paths.get(deadLetterDir).resolve(deadLetterSubdir).toString());
        } else {
            // never only a log line: a rejected event is kept with its cluster's other dead letters
            builder.deadLetterSiblingGroup(Category.DEAD_LETTER.groupSuffix());
        }
        return builder;
    }
}
