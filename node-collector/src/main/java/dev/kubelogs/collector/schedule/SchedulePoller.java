package dev.kubelogs.collector.schedule;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the job's {@link DiscoverySchedule} on a thread of its own, at once and then every DISCOVERY_SCHEDULE_POLL,
 * and hands the latest to the tail thread through a volatile ({@link #current()}): a slow or hanging read never holds
 * up tailing. A missing object, or one of a version the collector does not know, is no schedule. A failed read or an
 * unparsable object keeps the last good schedule (it still expires) and is counted as error {@code schedule_read}.
 */
public final class SchedulePoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulePoller.class);
    /** Failed reads are logged at most this often: they are counted every time. */
    private static final long FAILURE_LOG_NANOS = 60_000_000_000L;

    private final ScheduleSource source;
    private final long intervalMillis;
    private final CollectorMetrics metrics;
    private final Set<Long> versionsLogged = new HashSet<>();
    private volatile DiscoverySchedule current;
    private long lastFailureLogNanos;
    private boolean failureLogged;
    private ScheduledExecutorService timer;

    public SchedulePoller(ScheduleSource source, Duration interval, CollectorMetrics metrics) {
        this.source = source;
        this.intervalMillis = interval.toMillis();
        this.metrics = metrics;
    }

    /** The latest schedule read, or null: none yet, none published, or of an unknown version. Any thread. */
    public DiscoverySchedule current() {
        return current;
    }

    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubelogs-schedule");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::poll, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** One read of the schedule (the thread's work; tests call it directly). */
    public void poll() {
        byte[] bytes;
        DiscoverySchedule read;
        try {
            bytes = source.read();
            read = bytes == null ? null : DiscoverySchedule.parse(bytes);
        } catch (IOException | RuntimeException e) {
            failed(e);
            return;
        }
        if (failureLogged) {
            failureLogged = false;
            LOG.info("the discovery schedule at {} can be read again", source.where());
        }
        if (read != null && read.version() != DiscoverySchedule.SUPPORTED_VERSION) {
            metrics.error("schedule_version");
            if (versionsLogged.add(read.version())) {
                LOG.warn(
                        "the discovery schedule at {} has version {}, this collector reads version {} only: "
                                + "ignored, segments roll by age",
                        source.where(),
                        read.version(),
                        DiscoverySchedule.SUPPORTED_VERSION);
            }
            read = null;
        }
        current = read;
    }

    private void failed(Exception e) {
        metrics.error("schedule_read");
        long now = System.nanoTime();
        if (!failureLogged || now - lastFailureLogNanos >= FAILURE_LOG_NANOS) {
            failureLogged = true;
            lastFailureLogNanos = now;
            LOG.warn(
                    "could not read the discovery schedule at {} ({}); the last one read, if any, is followed until "
                            + "it expires, then segments roll by age",
                    source.where(),
                    e.toString());
        }
    }

    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
