package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.model.CloudWatchEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Builder of {@link CloudWatchLogsSink}. Only {@link #region(String)} is required.
 *
 * <table>
 *   <caption>options and defaults</caption>
 *   <tr><td>{@link #region}</td><td>required</td></tr>
 *   <tr><td>{@link #endpoint}</td><td>none (regional AWS endpoint)</td></tr>
 *   <tr><td>{@link #defaultCredentials} / {@link #staticCredentials}</td><td>default chain</td></tr>
 *   <tr><td>{@link #apiCallTimeout}</td><td>30 s</td></tr>
 *   <tr><td>{@link #deliveryGuarantee}</td><td>EXACTLY_ONCE</td></tr>
 *   <tr><td>{@link #retentionInDays(int)} / {@link #retentionInDays(String, int)}</td><td>none (never expire)</td></tr>
 *   <tr><td>{@link #maxEventBytes}</td><td>1,048,550</td></tr>
 *   <tr><td>{@link #oversizeEventPolicy}</td><td>DEAD_LETTER (whole; nothing is cut unless asked)</td></tr>
 *   <tr><td>{@link #emptyMessagePolicy} / {@link #emptyMessageReplacement}</td><td>DEAD_LETTER / "(empty)"</td></tr>
 *   <tr><td>{@link #deadLetterDirectory} / {@link #deadLetterLogGroup} / {@link #deadLetterSiblingGroup} / {@link #deadLetterToLog}</td><td>log</td></tr>
 *   <tr><td>{@link #backoff}</td><td>100 ms .. 10 s, 30 attempts, 5 min</td></tr>
 *   <tr><td>{@link #readBackSettleDelay}</td><td>2 s</td></tr>
 *   <tr><td>{@link #invalidBatchPolicy}</td><td>DEAD_LETTER</td></tr>
 *   <tr><td>{@link #maxConcurrentStreams}</td><td>8</td></tr>
 *   <tr><td>{@link #streamOwnershipCheck} / {@link #streamOwner}</td><td>true, by
 *       {@link CloudWatchLogsSink#streamKeySelector()}</td></tr>
 *   <tr><td>{@link #atLeastOnceMaxBufferTime}</td><td>1 s</td></tr>
 *   <tr><td>{@link #fastRequestBodies}</td><td>true</td></tr>
 *   <tr><td>{@link #maxHeldBytes} / {@link #heldBytesMaxWait}</td><td>64 MiB / 2 min</td></tr>
 * </table>
 */
public final class CloudWatchLogsSinkBuilder {
    /** The values PutRetentionPolicy accepts. */
    public static final Set<Integer> RETENTION_DAYS = Set.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private String region;
    private String endpoint;
    private CloudWatchLogsClientConfig.Credentials credentials = CloudWatchLogsClientConfig.Credentials.DEFAULT_CHAIN;
    private String accessKeyId;
    private String secretAccessKey;
    private Duration apiCallTimeout = Duration.ofSeconds(30);
    private DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
    private Integer defaultRetentionDays;
    private final Map<String, Integer> retentionByGroup = new HashMap<>();
    private int maxEventBytes = BatchCutter.MAX_EVENT_BYTES;
    private OversizeEventPolicy oversizePolicy = OversizeEventPolicy.DEAD_LETTER;
    private EmptyMessagePolicy emptyPolicy = EmptyMessagePolicy.DEAD_LETTER;
    private String emptyReplacement = "(empty)";
    private DeadLetterTarget deadLetter = DeadLetterTarget.log();
    private BackoffConfig backoff = BackoffConfig.defaults();
    private Duration settleDelay = Duration.ofSeconds(2);
    private InvalidBatchPolicy invalidBatchPolicy = InvalidBatchPolicy.DEAD_LETTER;
    private int maxConcurrentStreams = 8;
    private boolean streamOwnershipCheck = true;
    private KeySelector<CloudWatchEvent, String> streamOwner = CloudWatchLogsSink.streamKeySelector();
    private Duration atLeastOnceMaxBufferTime = Duration.ofSeconds(1);
    private boolean fastRequestBodies = true;
    private boolean leanPuts = CloudWatchLogsSinkConfigOptions.LEAN_PUTS.defaultValue();
    private long maxHeldBytes =
            CloudWatchLogsSinkConfigOptions.MAX_HELD_BYTES.defaultValue().getBytes();
    private Duration heldBytesMaxWait = Duration.ofMinutes(2);

    CloudWatchLogsSinkBuilder() {}

    /** AWS region, e.g. {@code eu-west-1} (also signs requests to an endpoint override). */
    public CloudWatchLogsSinkBuilder region(String region) {
        this.region = Objects.requireNonNull(region);
        return this;
    }

    /** Endpoint override, e.g. {@code http://127.0.0.1:4566} for the local CloudWatch-Logs-compatible endpoint. */
    public CloudWatchLogsSinkBuilder endpoint(String endpointUri) {
        this.endpoint = endpointUri;
        return this;
    }

    /** Credentials from the SDK's default chain (env, system properties, web identity / IRSA, profile, container, instance). */
    public CloudWatchLogsSinkBuilder defaultCredentials() {
        this.credentials = CloudWatchLogsClientConfig.Credentials.DEFAULT_CHAIN;
        return this;
    }

    /** Static credentials; meant for local endpoints (dummy keys). They travel inside the job graph. */
    public CloudWatchLogsSinkBuilder staticCredentials(String accessKeyId, String secretAccessKey) {
        this.credentials = CloudWatchLogsClientConfig.Credentials.STATIC;
        this.accessKeyId = Objects.requireNonNull(accessKeyId);
        this.secretAccessKey = Objects.requireNonNull(secretAccessKey);
        return this;
    }

    /** Timeout of one API call (SDK retries are always off); a timed-out put is treated as ambiguous. */
    public CloudWatchLogsSinkBuilder apiCallTimeout(Duration timeout) {
        this.apiCallTimeout = Objects.requireNonNull(timeout);
        return this;
    }

    /** EXACTLY_ONCE (default) or AT_LEAST_ONCE; NONE is refused. */
    public CloudWatchLogsSinkBuilder deliveryGuarantee(DeliveryGuarantee guarantee) {
        if (guarantee == DeliveryGuarantee.NONE) {
            throw new IllegalArgumentException("DeliveryGuarantee.NONE is not supported; use AT_LEAST_ONCE");
        }
        this.deliveryGuarantee = Objects.requireNonNull(guarantee);
        return this;
    }

    /** Retention set (PutRetentionPolicy) on every log group this sink creates. */
    public CloudWatchLogsSinkBuilder retentionInDays(int days) {
        this.defaultRetentionDays = checkRetention(days);
        return this;
    }

    /** Retention for one log group when this sink creates it (overrides {@link #retentionInDays(int)}). */
    public CloudWatchLogsSinkBuilder retentionInDays(String logGroup, int days) {
        retentionByGroup.put(Objects.requireNonNull(logGroup), checkRetention(days));
        return this;
    }

    private static int checkRetention(int days) {
        if (!RETENTION_DAYS.contains(days)) {
            throw new IllegalArgumentException(
                    "retention must be one of " + new java.util.TreeSet<>(RETENTION_DAYS) + ", got " + days);
        }
        return days;
    }

    /** Maximum UTF-8 size of one message (at most and by default 1,048,550 = 1 MiB − 26). */
    public CloudWatchLogsSinkBuilder maxEventBytes(int bytes) {
        this.maxEventBytes = bytes;
        return this;
    }

    /** What happens to an event over {@link #maxEventBytes}: by default it is dead-lettered whole, never cut. */
    public CloudWatchLogsSinkBuilder oversizeEventPolicy(OversizeEventPolicy policy) {
        this.oversizePolicy = Objects.requireNonNull(policy);
        return this;
    }

    public CloudWatchLogsSinkBuilder emptyMessagePolicy(EmptyMessagePolicy policy) {
        this.emptyPolicy = Objects.requireNonNull(policy);
        return this;
    }

    /** Text sent instead of an empty message under {@link EmptyMessagePolicy#REPLACE}. */
    public CloudWatchLogsSinkBuilder emptyMessageReplacement(String replacement) {
        this.emptyReplacement = replacement;
        return this;
    }

    /** Dead letters as JSON lines files in this directory (one file per writer/committer instance). */
    public CloudWatchLogsSinkBuilder deadLetterDirectory(String directory) {
        this.deadLetter = DeadLetterTarget.directory(directory);
        return this;
    }

    /** Dead letters as JSON events in this log group (stream {@code dead-letter-<role>-<subtask>}). */
    public CloudWatchLogsSinkBuilder deadLetterLogGroup(String logGroup) {
        this.deadLetter = DeadLetterTarget.logGroup(logGroup);
        return this;
    }

    /**
     * Dead letters as JSON events in the log group {@code name} beside each rejected event's own group, e.g.
     * {@code /aws/containerinsights/<cluster>/kubelogs-dead-letter} for events of {@code .../<cluster>/application}.
     */
    public CloudWatchLogsSinkBuilder deadLetterSiblingGroup(String name) {
        this.deadLetter = DeadLetterTarget.siblingGroup(name);
        return this;
    }

    /** Dead letters logged at ERROR (default). */
    public CloudWatchLogsSinkBuilder deadLetterToLog() {
        this.deadLetter = DeadLetterTarget.log();
        return this;
    }

    /** Backoff for throttling, 5xx and network failures of one batch; when spent, the job fails. */
    public CloudWatchLogsSinkBuilder backoff(Duration initial, Duration max, int maxAttempts, Duration maxTotalTime) {
        this.backoff = new BackoffConfig(initial, max, maxAttempts, maxTotalTime);
        return this;
    }

    /** Wait between an ambiguous write (or a restart) and the read-back that decides what is missing. */
    public CloudWatchLogsSinkBuilder readBackSettleDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("settle delay must be >= 0");
        }
        this.settleDelay = delay;
        return this;
    }

    public CloudWatchLogsSinkBuilder invalidBatchPolicy(InvalidBatchPolicy policy) {
        this.invalidBatchPolicy = Objects.requireNonNull(policy);
        return this;
    }

    /** How many log streams one committer (or at-least-once writer) writes in parallel. */
    public CloudWatchLogsSinkBuilder maxConcurrentStreams(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxConcurrentStreams must be >= 1");
        }
        this.maxConcurrentStreams = n;
        return this;
    }

    /** Check that each stream arrives at the subtask its owner key ({@link #streamOwner}) hashes to (default on). */
    public CloudWatchLogsSinkBuilder streamOwnershipCheck(boolean enabled) {
        this.streamOwnershipCheck = enabled;
        return this;
    }

    /**
     * The key the sink's input was keyed by upstream, as a function of the event: the ownership check expects each
     * stream at the subtask Flink's key-group hashing assigns this key. Default
     * {@link CloudWatchLogsSink#streamKeySelector()} (input keyed by stream); a sink chained to a keyed stage whose key
     * the events carry uses {@link CloudWatchLogsSink#ownerKeySelector()}. All events of one stream must have the
     * same owner key.
     */
    public CloudWatchLogsSinkBuilder streamOwner(KeySelector<CloudWatchEvent, String> ownerKey) {
        this.streamOwner = Objects.requireNonNull(ownerKey);
        return this;
    }

    /** AT_LEAST_ONCE only: longest time an event waits in the writer's buffer before it is put. */
    public CloudWatchLogsSinkBuilder atLeastOnceMaxBufferTime(Duration d) {
        this.atLeastOnceMaxBufferTime = d;
        return this;
    }

    /**
     * Whether PutLogEvents bodies are written straight from the buffered UTF-8 bytes
     * ({@link dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody}, default) or by the SDK's own marshaller
     * (slower: every message is decoded and escaped again). Both put the same bytes on the wire.
     */
    public CloudWatchLogsSinkBuilder fastRequestBodies(boolean enabled) {
        this.fastRequestBodies = enabled;
        return this;
    }

    /**
     * Whether PutLogEvents calls with fast bodies are signed with the SDK's SigV4 signer and sent on the client's
     * HTTP client directly ({@link dev.kubelogs.job.sink.cloudwatch.lean.LeanPutLogEvents}) instead of through the
     * SDK client's request pipeline (see {@code CloudWatchLogsSinkConfigOptions.LEAN_PUTS}). Same bytes, same
     * failures; other calls always take the SDK client.
     */
    public CloudWatchLogsSinkBuilder leanPuts(boolean enabled) {
        this.leanPuts = enabled;
        return this;
    }

    /**
     * EXACTLY_ONCE: the event bytes (UTF-8 + 26 per event) one sink subtask may hold, buffered since the last barrier
     * and cut into committables not stored yet, before its writer stops taking input until the committer stored them
     * (see {@code CloudWatchLogsSinkConfigOptions.MAX_HELD_BYTES}).
     */
    public CloudWatchLogsSinkBuilder maxHeldBytes(long bytes) {
        if (bytes < BatchCutter.MAX_BATCH_BYTES) {
            throw new IllegalArgumentException(
                    "kubelogs.sink.max-held-bytes (maxHeldBytes) must be at least one batch ("
                            + BatchCutter.MAX_BATCH_BYTES + " bytes): " + bytes);
        }
        this.maxHeldBytes = bytes;
        return this;
    }

    /**
     * The longest the writer waits for a commit when over {@link #maxHeldBytes(long)} (default 2 min, the shipped
     * checkpoint timeout): a commit that has not come by then belongs to a checkpoint that failed, and only a later
     * checkpoint, whose barrier is in the input the writer does not read while it waits, commits it.
     */
    public CloudWatchLogsSinkBuilder heldBytesMaxWait(Duration maxWait) {
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("heldBytesMaxWait must be positive: " + maxWait);
        }
        this.heldBytesMaxWait = maxWait;
        return this;
    }

    public CloudWatchLogsSink build() {
        if (region == null) {
            throw new IllegalStateException("region is required");
        }
        CloudWatchLogsClientConfig client = new CloudWatchLogsClientConfig(
                region,
                endpoint,
                credentials,
                accessKeyId,
                secretAccessKey,
                apiCallTimeout,
                Math.max(50, maxConcurrentStreams * 2));
        BatchCutter cutter = new BatchCutter(maxEventBytes, oversizePolicy, emptyPolicy, emptyReplacement);
        return new CloudWatchLogsSink(new CloudWatchLogsSinkConfig(
                client,
                deliveryGuarantee,
                defaultRetentionDays,
                new HashMap<>(retentionByGroup),
                cutter,
                deadLetter,
                backoff,
                settleDelay,
                invalidBatchPolicy,
                maxConcurrentStreams,
                streamOwnershipCheck,
                streamOwner,
                atLeastOnceMaxBufferTime,
                fastRequestBodies,
                leanPuts,
                maxHeldBytes,
                heldBytesMaxWait,
                UUID.randomUUID().toString()));
    }
}
