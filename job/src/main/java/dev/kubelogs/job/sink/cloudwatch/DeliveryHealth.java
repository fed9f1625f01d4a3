package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one writer's or committer's delivery works, and what it waits for. Logs per state change, not per
 * attempt: one WARN when delivery starts failing (which call, which error), one INFO when it works again ("after N
 * failed attempts over T"). Read by the metrics ({@link SinkMetrics#track}) and, once {@link #publish()}ed, by
 * {@link DeliveryStatus#ofThisJvm()}. Thread-safe: a committer delivers several streams at once.
 */
final class DeliveryHealth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryHealth.class);
    /** Published instances of this JVM: the local-run view (see DeliveryStatus); metrics are the cluster view. */
    private static final Set<DeliveryHealth> PUBLISHED = ConcurrentHashMap.newKeySet();

    private final String name;
    private final LongSupplier clock;
    private final long startedAtMillis;
    private final AtomicLong eventsWaiting = new AtomicLong();
    private long lastSuccessMillis = -1;
    private long failingSinceMillis = -1;
    private int failedAttempts;
    private String lastError;
    private Kind lastErrorKind;

    DeliveryHealth(String name) {
        this(name, System::currentTimeMillis);
    }

    DeliveryHealth(String name, LongSupplier clock) {
        this.name = name;
        this.clock = clock;
        this.startedAtMillis = clock.getAsLong();
    }

    /** Makes this instance part of {@link DeliveryStatus#ofThisJvm()} until {@link #close()}. */
    DeliveryHealth publish() {
        PUBLISHED.add(this);
        return this;
    }

    /** An attempt of {@code call} ("PutLogEvents group/stream") failed; the first of a run logs one WARN. */
    void failed(String call, Kind kind, Throwable failure) {
        String error = CloudWatchLogsExceptionClassifier.errorOf(failure);
        boolean first;
        synchronized (this) {
            first = failingSinceMillis < 0;
            if (first) {
                failingSinceMillis = clock.getAsLong();
            }
            failedAttempts++;
            lastError = call + ": " + error;
            lastErrorKind = kind;
        }
        if (first && kind != Kind.FATAL) {
            LOG.warn(
                    "{}: {} failed ({}: {}); retrying with backoff, {} events waiting; the next "
                            + "line comes when delivery works again",
                    name,
                    call,
                    kind,
                    error,
                    eventsWaiting.get());
        }
    }

    /** A put succeeded (or a read-back found a batch stored); after failures this logs one INFO. */
    void delivered() {
        int attempts;
        long since;
        long now = clock.getAsLong();
        synchronized (this) {
            lastSuccessMillis = now;
            if (failingSinceMillis < 0) {
                return;
            }
            attempts = failedAttempts;
            since = failingSinceMillis;
            failingSinceMillis = -1;
            failedAttempts = 0;
        }
        LOG.info(
                "{}: delivering again after {} failed attempts over {}",
                name,
                attempts,
                format(Duration.ofMillis(now - since)));
    }

    /** Events buffered or handed over (+) and stored or handed on (-). */
    void waiting(long delta) {
        eventsWaiting.addAndGet(delta);
    }

    long eventsWaiting() {
        return eventsWaiting.get();
    }

    /** Milliseconds since the last successful put, or since this instance started if none yet. */
    synchronized long millisSinceLastSuccess() {
        return clock.getAsLong() - (lastSuccessMillis < 0 ? startedAtMillis : lastSuccessMillis);
    }

    synchronized int failedAttempts() {
        return failedAttempts;
    }

    /** The kind of the last failure ("none" before any). */
    synchronized String lastErrorKind() {
        return lastErrorKind == null ? "none" : lastErrorKind.name();
    }

    synchronized DeliveryStatus status() {
        return new DeliveryStatus(
                instant(lastSuccessMillis),
                instant(failingSinceMillis),
                failedAttempts,
                lastError,
                lastErrorKind == null ? null : lastErrorKind.name(),
                eventsWaiting.get());
    }

    static DeliveryStatus combinedStatus() {
        DeliveryStatus all = DeliveryStatus.IDLE;
        for (DeliveryHealth h : PUBLISHED) {
            all = combine(all, h.status());
        }
        return all;
    }

    static DeliveryStatus combine(DeliveryStatus a, DeliveryStatus b) {
        Instant success = latest(a.lastSuccess(), b.lastSuccess());
        Instant failing = a.failingSince() == null
                ? b.failingSince()
                : b.failingSince() == null ? a.failingSince() : earliest(a.failingSince(), b.failingSince());
        // the error shown is the failing one's; of two failing ones, the one failing longer
        DeliveryStatus errorOf;
        if (a.failing() != b.failing()) {
            errorOf = a.failing() ? a : b;
        } else if (a.failing()) {
            errorOf = b.failingSince().isBefore(a.failingSince()) ? b : a;
        } else {
            errorOf = a.lastError() != null ? a : b;
        }
        return new DeliveryStatus(
                success,
                failing,
                a.failedAttempts() + b.failedAttempts(),
                errorOf.lastError(),
                errorOf.lastErrorKind(),
                a.eventsWaiting() + b.eventsWaiting());
    }

    @Override
    public void close() {
        PUBLISHED.remove(this);
    }

    private static Instant instant(long millis) {
        return millis < 0 ? null : Instant.ofEpochMilli(millis);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** "850 ms", "12.3 s", "4 min 05 s". */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return String.format(java.util.Locale.ROOT, "%d min %02d s", ms / 60_000, (ms / 1000) % 60);
    }
}
