package dev.kubelogs.job.metrics.delta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every drop is counted under its reason; the log says so at most once a minute per reason and log stream. */
class DroppedSamplesTest {
    private final MetricListener metrics = new MetricListener();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final DroppedSamples dropped = new DroppedSamples(metrics.getMetricGroup(), nanos::get);
    private final Capture log = Capture.open();

    @AfterEach
    void stopCapture() {
        log.close();
    }

    private long count(DropReason reason) {
        return metrics.getCounter("samplesDropped_" + reason.id()).orElseThrow().getCount();
    }

    @Test
    void everyReasonHasItsOwnCounter() {
        for (DropReason reason : DropReason.values()) {
            assertThat(count(reason)).as(reason.id()).isZero();
        }
        dropped.drop(DropReason.NAN, "app", "{a=\"1\"}", "x");
        dropped.drop(DropReason.NAN, "app", "{a=\"1\"}", "x");
        dropped.drop(DropReason.DUPLICATE, "app", "{a=\"1\"}", "x");

        assertThat(count(DropReason.NAN)).isEqualTo(2);
        assertThat(count(DropReason.DUPLICATE)).isEqualTo(1);
        assertThat(count(DropReason.INFINITE)).isZero();
        assertThat(metrics.getCounter("samplesDropped_stale_marker")).isPresent();
    }

    @Test
    void oneMessageAMinutePerReasonAndStreamWithHowManyWereSuppressed() {
        dropped.drop(DropReason.NAN, "app", "{a=\"1\"}", "requests_total");
        dropped.drop(DropReason.NAN, "app", "{a=\"2\"}", "requests_total");
        dropped.drop(DropReason.NAN, "app", "{a=\"3\"}", "requests_total");
        dropped.drop(DropReason.NAN, "other", "{a=\"1\"}", "requests_total");
        dropped.drop(DropReason.INFINITE, "app", "{a=\"1\"}", "requests_total");
        assertThat(log.lines).hasSize(3);

        nanos.addAndGet(DroppedSamples.LOG_INTERVAL_NANOS - 1);
        dropped.drop(DropReason.NAN, "app", "{a=\"4\"}", "requests_total");
        assertThat(log.lines).as("within the minute").hasSize(3);

        nanos.addAndGet(1);
        dropped.drop(DropReason.NAN, "app", "{a=\"5\"}", "requests_total");

        assertThat(log.lines).hasSize(4);
        assertThat(log.lines.get(0))
                .isEqualTo("INFO Metrics delta: dropped sample requests_total{a=\"1\"} of log stream app (nan); 0 more"
                        + " dropped for this reason and stream since the last message");
        assertThat(log.lines.get(3))
                .startsWith(
                        "INFO Metrics delta: dropped sample requests_total{a=\"5\"} of log stream app (nan); 3 more");
        assertThat(count(DropReason.NAN)).isEqualTo(6);
    }

    @Test
    void reasonsThatPointAtAProblemUpstreamAreWarnings() {
        dropped.drop(DropReason.STALE_TIMESTAMP, "app", "{}", "a");
        dropped.drop(DropReason.MALFORMED_GROUP, "app", "{}", "b");
        dropped.drop(DropReason.STALE_MARKER, "app", "{}", "c");
        dropped.drop(DropReason.INFINITE, "app", "{}", "d");

        assertThat(log.lines)
                .extracting(l -> l.substring(0, l.indexOf(' ')))
                .containsExactly("WARN", "WARN", "INFO", "INFO");
    }

    /** What DroppedSamples logs at INFO and above, as "LEVEL message". */
    private static final class Capture extends AbstractAppender implements AutoCloseable {
        final List<String> lines = new CopyOnWriteArrayList<>();

        private Capture() {
            super("capture-dropped-samples", null, null, true, Property.EMPTY_ARRAY);
        }

        static Capture open() {
            Capture c = new Capture();
            c.start();
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            LoggerConfig logger = new LoggerConfig(DroppedSamples.class.getName(), Level.INFO, false);
            logger.addAppender(c, Level.INFO, null);
            ctx.getConfiguration().addLogger(DroppedSamples.class.getName(), logger);
            ctx.updateLoggers();
            return c;
        }

        @Override
        public void append(LogEvent event) {
            lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
        }

        @Override
        public void close() {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            ctx.getConfiguration().removeLogger(DroppedSamples.class.getName());
            ctx.updateLoggers();
            stop();
        }
    }
}
