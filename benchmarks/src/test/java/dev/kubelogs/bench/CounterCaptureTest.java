package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class CounterCaptureTest {

    private static final class Group extends UnregisteredMetricsGroup {
        private final String[] scope;

        Group(String... scope) {
            this.scope = scope;
        }

        @Override
        public String[] getScopeComponents() {
            return scope;
        }
    }

    @Test
    void sumsACounterOverSubtasksByItsGroupAndNameUntilCleared() {
        CounterCapture capture = new CounterCapture();
        CounterCapture.clear();
        SimpleCounter a = new SimpleCounter();
        SimpleCounter b = new SimpleCounter();
        SimpleCounter other = new SimpleCounter();
        capture.notifyOfAddedMetric(a, "scrapes_ok", new Group("host", "job", "0", "metrics_scrape"));
        capture.notifyOfAddedMetric(b, "scrapes_ok", new Group("host", "job", "1", "metrics_scrape"));
        capture.notifyOfAddedMetric(other, "scrapes_ok", new Group("host", "job", "0", "elsewhere"));
        a.inc(3);
        b.inc(4);
        other.inc(100);
        capture.notifyOfRemovedMetric(a, "scrapes_ok", new Group("host", "job", "0", "metrics_scrape"));

        assertThat(CounterCapture.total("metrics_scrape.scrapes_ok")).isEqualTo(7);
        CounterCapture.clear();
        assertThat(CounterCapture.total("metrics_scrape.scrapes_ok")).isZero();
    }
}
