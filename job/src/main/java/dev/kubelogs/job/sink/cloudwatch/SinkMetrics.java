package dev.kubelogs.job.sink.cloudwatch;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The sink's metrics, registered under the subgroup {@code cloudwatchlogs} of the writer's or the committer's
 * metric group. Counters are thread-safe (the committer works on several streams at once).
 */
public final class SinkMetrics {
    public static final String GROUP = "cloudwatchlogs";

    final Counter eventsWritten;
    final Counter bytesWritten;
    final Counter batchesWritten;
    final Counter putRequests;
    final Counter retries;
    final Counter throttles;
    final Counter serverErrors;
    final Counter networkErrors;
    final Counter readBacks;
    final Counter eventsAlreadyPresent;
    final Counter batchesAlreadyCommitted;
    final Counter rejectedTooOld;
    final Counter rejectedTooNew;
    final Counter rejectedExpired;
    final Counter deadLettered;
    final Counter eventsTruncated;
    final Counter resourcesCreated;
    /** Times the writer waited in write for the committer to store what the subtask holds over its limit. */
    final Counter heldBytesWaits;
    /** Such waits that ended without a commit (after the longest wait). */
    final Counter heldBytesWaitTimeouts;

    private final Histogram commitLatencyMs;
    private final Histogram putLatencyMs;
    private final MetricGroup group;

    public SinkMetrics(MetricGroup parent) {
        MetricGroup g = parent.addGroup(GROUP);
        group = g;
        eventsWritten = g.counter("eventsWritten", new ThreadSafeSimpleCounter());
        bytesWritten = g.counter("bytesWritten", new ThreadSafeSimpleCounter());
        batchesWritten = g.counter("batchesWritten", new ThreadSafeSimpleCounter());
        putRequests = g.counter("putRequests", new ThreadSafeSimpleCounter());
        retries = g.counter("retries", new ThreadSafeSimpleCounter());
        throttles = g.counter("throttles", new ThreadSafeSimpleCounter());
        serverErrors = g.counter("serverErrors", new ThreadSafeSimpleCounter());
        networkErrors = g.counter("networkErrors", new ThreadSafeSimpleCounter());
        readBacks = g.counter("readBacks", new ThreadSafeSimpleCounter());
        eventsAlreadyPresent = g.counter("eventsAlreadyPresent", new ThreadSafeSimpleCounter());
        batchesAlreadyCommitted = g.counter("batchesAlreadyCommitted", new ThreadSafeSimpleCounter());
        rejectedTooOld = g.counter("rejectedTooOld", new ThreadSafeSimpleCounter());
        rejectedTooNew = g.counter("rejectedTooNew", new ThreadSafeSimpleCounter());
        rejectedExpired = g.counter("rejectedExpired", new ThreadSafeSimpleCounter());
        deadLettered = g.counter("deadLettered", new ThreadSafeSimpleCounter());
        eventsTruncated = g.counter("eventsTruncated", new ThreadSafeSimpleCounter());
        resourcesCreated = g.counter("resourcesCreated", new ThreadSafeSimpleCounter());
        heldBytesWaits = g.counter("heldBytesWaits", new ThreadSafeSimpleCounter());
        heldBytesWaitTimeouts = g.counter("heldBytesWaitTimeouts", new ThreadSafeSimpleCounter());
        commitLatencyMs = g.histogram("commitLatencyMs", new DescriptiveStatisticsHistogram(1024));
        putLatencyMs = g.histogram("putLatencyMs", new DescriptiveStatisticsHistogram(1024));
    }

    /**
     * Gauges of {@code health}: {@code millisSinceLastSuccessfulPut} (since the start if none yet), {@code
     * eventsWaiting} (not yet stored), {@code failedAttempts} (since delivery last worked), {@code lastErrorKind}.
     */
    void track(DeliveryHealth health) {
        group.gauge("millisSinceLastSuccessfulPut", (Gauge<Long>) health::millisSinceLastSuccess);
        group.gauge("eventsWaiting", (Gauge<Long>) health::eventsWaiting);
        group.gauge("failedAttempts", (Gauge<Integer>) health::failedAttempts);
        group.gauge("lastErrorKind", (Gauge<String>) health::lastErrorKind);
    }

    /** Gauge {@code heldBytes}: the event bytes the subtask holds, buffered or cut and not stored yet. */
    void track(HeldBytes held) {
        group.gauge("heldBytes", (Gauge<Long>) held::total);
    }

    void commitLatency(long ms) {
        synchronized (commitLatencyMs) {
            commitLatencyMs.update(ms);
        }
    }

    void putLatency(long ms) {
        synchronized (putLatencyMs) {
            putLatencyMs.update(ms);
        }
    }

    public long eventsWritten() {
        return eventsWritten.getCount();
    }

    public long bytesWritten() {
        return bytesWritten.getCount();
    }

    public long batchesWritten() {
        return batchesWritten.getCount();
    }

    public long putRequests() {
        return putRequests.getCount();
    }

    public long retries() {
        return retries.getCount();
    }

    public long throttles() {
        return throttles.getCount();
    }

    public long serverErrors() {
        return serverErrors.getCount();
    }

    public long networkErrors() {
        return networkErrors.getCount();
    }

    public long readBacks() {
        return readBacks.getCount();
    }

    public long eventsAlreadyPresent() {
        return eventsAlreadyPresent.getCount();
    }

    public long batchesAlreadyCommitted() {
        return batchesAlreadyCommitted.getCount();
    }

    public long rejectedTooOld() {
        return rejectedTooOld.getCount();
    }

    public long rejectedTooNew() {
        return rejectedTooNew.getCount();
    }

    public long rejectedExpired() {
        return rejectedExpired.getCount();
    }

    public long deadLettered() {
        return deadLettered.getCount();
    }

    public long eventsTruncated() {
        return eventsTruncated.getCount();
    }

    public long resourcesCreated() {
        return resourcesCreated.getCount();
    }

    public long heldBytesWaits() {
        return heldBytesWaits.getCount();
    }

    public long heldBytesWaitTimeouts() {
        return heldBytesWaitTimeouts.getCount();
    }

    public long commitLatencyCount() {
        synchronized (commitLatencyMs) {
            return commitLatencyMs.getCount();
        }
    }
}
