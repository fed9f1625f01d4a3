package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.model.CloudWatchEvent;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Everything the writer and the committer need, as built by {@link CloudWatchLogsSinkBuilder}. Serializable. */
public final class CloudWatchLogsSinkConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    final CloudWatchLogsClientConfig client;
    final DeliveryGuarantee deliveryGuarantee;
    final Integer defaultRetentionDays;
    final Map<String, Integer> retentionDaysByGroup;
    final BatchCutter cutter;
    final DeadLetterTarget deadLetter;
    final BackoffConfig backoff;
    final Duration readBackSettleDelay;
    final InvalidBatchPolicy invalidBatchPolicy;
    final int maxConcurrentStreams;
    final boolean streamOwnershipCheck;
    /** The key the sink's input was keyed by upstream; the ownership check hashes it to the owning subtask. */
    final KeySelector<CloudWatchEvent, String> streamOwner;

    final Duration atLeastOnceMaxBufferTime;
    final boolean fastRequestBodies;
    /** With {@link #fastRequestBodies}: puts sent on the client's HTTP client without the SDK's request pipeline. */
    final boolean leanPuts;
    /** EXACTLY_ONCE: the event bytes a subtask may hold before its writer waits for commits ({@link HeldBytesGate}). */
    final long maxHeldBytes;
    /** The longest such wait. */
    final Duration heldBytesMaxWait;
    /** Unique per built sink: its writer and committer of one subtask find their shared {@link HeldBytes} by it. */
    final String sinkId;

    CloudWatchLogsSinkConfig(
            CloudWatchLogsClientConfig client,
            DeliveryGuarantee deliveryGuarantee,
            Integer defaultRetentionDays,
            Map<String, Integer> retentionDaysByGroup,
            BatchCutter cutter,
            DeadLetterTarget deadLetter,
            BackoffConfig backoff,
            Duration readBackSettleDelay,
            InvalidBatchPolicy invalidBatchPolicy,
            int maxConcurrentStreams,
            boolean streamOwnershipCheck,
            KeySelector<CloudWatchEvent, String> streamOwner,
            Duration atLeastOnceMaxBufferTime,
            boolean fastRequestBodies,
            boolean leanPuts,
            long maxHeldBytes,
            Duration heldBytesMaxWait,
            String sinkId) {
        this.client = Objects.requireNonNull(client);
        this.deliveryGuarantee = Objects.requireNonNull(deliveryGuarantee);
        this.defaultRetentionDays = defaultRetentionDays;
        this.retentionDaysByGroup = Collections.unmodifiableMap(retentionDaysByGroup);
        this.cutter = Objects.requireNonNull(cutter);
        this.deadLetter = Objects.requireNonNull(deadLetter);
        this.backoff = Objects.requireNonNull(backoff);
        this.readBackSettleDelay = Objects.requireNonNull(readBackSettleDelay);
        this.invalidBatchPolicy = Objects.requireNonNull(invalidBatchPolicy);
        this.maxConcurrentStreams = maxConcurrentStreams;
        this.streamOwnershipCheck = streamOwnershipCheck;
        this.streamOwner = Objects.requireNonNull(streamOwner);
        this.atLeastOnceMaxBufferTime = atLeastOnceMaxBufferTime;
        this.fastRequestBodies = fastRequestBodies;
        this.leanPuts = leanPuts;
        this.maxHeldBytes = maxHeldBytes;
        this.heldBytesMaxWait = Objects.requireNonNull(heldBytesMaxWait);
        this.sinkId = Objects.requireNonNull(sinkId);
    }

    /** Retention for a group the sink creates, or null for "never expire" (CloudWatch's default). */
    Integer retentionFor(String logGroup) {
        Integer r = retentionDaysByGroup.get(logGroup);
        return r != null ? r : defaultRetentionDays;
    }

    public CloudWatchLogsClientConfig client() {
        return client;
    }

    public DeliveryGuarantee deliveryGuarantee() {
        return deliveryGuarantee;
    }

    public BatchCutter cutter() {
        return cutter;
    }

    public DeadLetterTarget deadLetter() {
        return deadLetter;
    }

    public boolean streamOwnershipCheck() {
        return streamOwnershipCheck;
    }

    public KeySelector<CloudWatchEvent, String> streamOwner() {
        return streamOwner;
    }

    public BackoffConfig backoff() {
        return backoff;
    }

    public long maxHeldBytes() {
        return maxHeldBytes;
    }

    public Duration readBackSettleDelay() {
        return readBackSettleDelay;
    }

    @Override
    public String toString() {
        return "CloudWatchLogsSinkConfig{" + client + ", " + deliveryGuarantee + ", deadLetter=" + deadLetter
                + ", " + backoff + ", settle=" + readBackSettleDelay + ", invalidBatch=" + invalidBatchPolicy
                + ", maxConcurrentStreams=" + maxConcurrentStreams + ", ownershipCheck=" + streamOwnershipCheck
                + " by " + streamOwner.getClass().getSimpleName()
                + ", fastRequestBodies=" + fastRequestBodies + ", leanPuts=" + leanPuts + ", maxHeldBytes="
                + maxHeldBytes + '}';
    }
}
