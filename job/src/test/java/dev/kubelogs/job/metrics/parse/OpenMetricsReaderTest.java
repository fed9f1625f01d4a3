package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Prometheus' openmetricsparse accepts and rejects (model/textparse/openmetricsparse.go, openmetricslex.l). */
class OpenMetricsReaderTest {
    static List<Sample> read(String body) throws ExpositionParseException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ByteCursor c = new ByteCursor(b, b.length);
        NameStrings names = new NameStrings();
        SampleCollector out = new SampleCollector(true, b.length, new TargetMetadata());
        new OpenMetricsReader(c, new LabelReader(true, names), names, out).read();
        return out.samples();
    }

    static String failure(String body) {
        try {
            read(body);
        } catch (ExpositionParseException e) {
            return e.reason();
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void familiesUnitsSecondsTimestampsAndExemplars() throws Exception {
        List<Sample> samples = read("# TYPE rpc_seconds histogram\n# UNIT rpc_seconds seconds\n"
                + "# HELP rpc_seconds RPC \\\"latency\\\".\n"
                + "rpc_seconds_bucket{le=\"0.5\"} 3 1520879607.789 # {trace_id=\"KOO5S4vxi0o\"} 0.67 1520879602.6\n"
                + "rpc_seconds_bucket{le=\"+Inf\"} 4 # {trace_id=\"x\"} 9\n"
                + "rpc_seconds_sum 2.5\nrpc_seconds_count 4\nrpc_seconds_created 1520430000.123\n"
                + "# TYPE build info\nbuild_info{version=\"1.0\"} 1\n"
                + "# TYPE state stateset\nstate{state=\"a\"} 1\n"
                + "# TYPE other unknown\nother -Inf\n# EOF\n");
        assertThat(samples).hasSize(8);
        assertThat(samples.get(0))
                .isEqualTo(new Sample(
                        "rpc_seconds_bucket",
                        "rpc_seconds",
                        MetricType.HISTOGRAM,
                        Labels.of("le", "0.5"),
                        3,
                        1520879607789L));
        assertThat(samples.get(1).hasTimestamp()).isFalse();
        assertThat(samples.get(4).family()).isEqualTo("rpc_seconds");
        assertThat(samples)
                .extracting(Sample::type)
                .containsExactly(
                        MetricType.HISTOGRAM,
                        MetricType.HISTOGRAM,
                        MetricType.HISTOGRAM,
                        MetricType.HISTOGRAM,
                        MetricType.HISTOGRAM,
                        MetricType.INFO,
                        MetricType.STATESET,
                        MetricType.UNTYPED);
        assertThat(samples.get(7).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void eofWithoutTrailingNewlineIsAccepted() throws Exception {
        assertThat(read("a 1\n# EOF")).hasSize(1);
        assertThat(read("# EOF\n")).isEmpty();
    }

    @Test
    void missingEofOrDataAfterItFails() {
        assertThat(failure("a 1\n")).isEqualTo("data does not end with # EOF");
        assertThat(failure("")).isEqualTo("data does not end with # EOF");
        assertThat(failure("a 1")).isEqualTo("data does not end with # EOF");
        assertThat(failure("a 1\n# EOF\n\n")).isEqualTo("unexpected data after # EOF");
        assertThat(failure("a 1\n# EOF\nb 2\n")).isEqualTo("unexpected data after # EOF");
    }

    @Test
    void strictGrammar() throws Exception {
        assertThat(failure("a 1\n\n# EOF\n")).isEqualTo("blank line");
        assertThat(failure("# a comment\n# EOF\n")).isEqualTo("expected HELP, TYPE, UNIT or EOF after '# '");
        assertThat(failure("#EOF\n")).isEqualTo("expected metric name, # HELP, # TYPE, # UNIT or # EOF");
        assertThat(failure("a  1\n# EOF\n")).isEqualTo("expected value");
        assertThat(failure("a\t1\n# EOF\n")).isEqualTo("expected value");
        assertThat(failure("a 1 NaN\n# EOF\n")).isEqualTo("invalid timestamp");
        assertThat(failure("a 1 # {x=\"y\"}\n# EOF\n")).isEqualTo("expected exemplar value");
        assertThat(failure("# TYPE a untyped\n# EOF\n")).isEqualTo("invalid metric type");
        assertThat(failure("# HELP a\n# EOF\n")).isEqualTo("expected text after HELP metric name");
        assertThat(failure("# UNIT a_bytes seconds\n# EOF\n")).isEqualTo("unit is not a suffix of the metric name");
        assertThat(failure("# UNIT seconds seconds\n# EOF\n")).isEqualTo("unit is not a suffix of the metric name");
        // the name needs only one byte, '_', before the unit
        assertThat(read("# UNIT _seconds seconds\n_seconds 1\n# EOF\n")).hasSize(1);
    }
}
