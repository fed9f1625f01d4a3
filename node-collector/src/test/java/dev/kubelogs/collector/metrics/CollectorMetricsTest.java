package dev.kubelogs.collector.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The collector's metrics and their Prometheus text, as the Prometheus Java client wrote it. */
class CollectorMetricsTest {

    @Test
    void labelledSeriesSortedAndValuesFormattedLikeTheClient() throws Exception {
        CollectorMetrics m = new CollectorMetrics();
        m.records(CollectorMetrics.HOST).inc(3);
        m.records(CollectorMetrics.CONTAINER).inc(12_345_678);
        m.error("kubelet");
        m.error("a\"b\\c");
        m.backpressureSeconds.inc(0.25);
        m.spoolBytes.set(1.5e9);
        java.io.StringWriter w = new java.io.StringWriter();
        m.writeText(w);
        String text = w.toString();
        assertThat(text).contains("""
                # HELP kubelogs_collector_records_read_total LINE records read, per input
                # TYPE kubelogs_collector_records_read_total counter
                kubelogs_collector_records_read_total{input="container"} 1.2345678E7
                kubelogs_collector_records_read_total{input="host"} 3.0
                """);
        assertThat(text).contains("""
                kubelogs_collector_errors_total{kind="a\\"b\\\\c"} 1.0
                kubelogs_collector_errors_total{kind="kubelet"} 1.0
                """);
        assertThat(text)
                .contains(
                        "kubelogs_collector_backpressure_seconds_total 0.25\n",
                        "kubelogs_collector_spool_bytes 1.5E9\n");
        assertThat(text.indexOf("kubelogs_collector_errors_total"))
                .isLessThan(text.indexOf("kubelogs_collector_records_read_total"));
        assertThat(m.linesTotal()).isEqualTo(12_345_681);
        assertThat(m.errors("kubelet")).isEqualTo(1);
        assertThat(m.errorTotal()).isEqualTo(2);
    }

    @Test
    void aLabelledFamilyAppearsOnlyOnceItHasASeries() throws Exception {
        CollectorMetrics m = new CollectorMetrics();
        assertThat(text(m))
                .doesNotContain("kubelogs_collector_kubelet_requests_total")
                .contains("kubelogs_collector_committed_seq -1.0\n", "kubelogs_collector_segments_written_total 0.0\n");
        m.kubeletRequest("200");
        m.kubeletRequest("200");
        m.kubeletRequest("timeout");
        assertThat(text(m)).contains("""
                # TYPE kubelogs_collector_kubelet_requests_total counter
                kubelogs_collector_kubelet_requests_total{result="200"} 2.0
                kubelogs_collector_kubelet_requests_total{result="timeout"} 1.0
                """);
        assertThat(m.kubeletRequests("200")).isEqualTo(2);
        assertThat(m.kubeletRequests("401")).isZero();
    }

    @Test
    void totalsAddEveryInput() {
        CollectorMetrics m = new CollectorMetrics();
        m.bytes(CollectorMetrics.CONTAINER).inc(10);
        m.bytes(CollectorMetrics.HOST).inc(20);
        m.bytes(CollectorMetrics.JOURNAL).inc(30);
        m.records(CollectorMetrics.JOURNAL).inc(4);
        assertThat(m.bytesTotal()).isEqualTo(60);
        assertThat(m.linesTotal()).isEqualTo(4);
    }

    @Test
    void familiesAreSortedByNameAndHelpTextEscaped() throws Exception {
        String text = text(new CollectorMetrics());
        String previous = "";
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String name = line.split(" ")[2];
                assertThat(name).isGreaterThan(previous);
                previous = name;
            }
        }
        assertThat(CollectorMetrics.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(CollectorMetrics.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(CollectorMetrics.format(3)).isEqualTo("3.0");
    }

    @Test
    void valuesAreWrittenAsDoubleToStringWritesThem() {
        for (double v : new double[] {
            0, -0.0, 1, -1, 42, 9_999_999, 10_000_000, 12_345_678, -9_999_999, 0.25, 1e-4, 1.5e9, Double.NaN, 1e300
        }) {
            assertThat(CollectorMetrics.format(v)).as("%s", v).isEqualTo(Double.toString(v));
        }
    }

    @Test
    void aScrapeGetsTheTextAsUtf8() throws Exception {
        CollectorMetrics m = new CollectorMetrics();
        m.error("ünïcode");
        m.records(CollectorMetrics.HOST).inc(7);
        assertThat(new String(m.text(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(text(m))
                .contains("kubelogs_collector_errors_total{kind=\"ünïcode\"} 1.0\n");
    }

    private static String text(CollectorMetrics m) throws Exception {
        StringWriter w = new StringWriter();
        m.writeText(w);
        return w.toString();
    }
}
