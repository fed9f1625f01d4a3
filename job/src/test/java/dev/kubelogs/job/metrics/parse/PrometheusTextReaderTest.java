package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Prometheus' promparse accepts and rejects (model/textparse/promparse.go, promlex.l). */
class PrometheusTextReaderTest {
    static List<Sample> read(String body) throws ExpositionParseException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ByteCursor c = new ByteCursor(b, b.length);
        NameStrings names = new NameStrings();
        SampleCollector out = new SampleCollector(false, b.length, new TargetMetadata());
        new PrometheusTextReader(c, new LabelReader(false, names), names, out).read();
        return out.samples();
    }

    static ExpositionParseException failure(String body) {
        try {
            read(body);
        } catch (ExpositionParseException e) {
            return e;
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void blankLinesCommentsHelpAndBlanksBetweenTokens() throws Exception {
        List<Sample> samples = read("\n   \n# a comment\n#no space comment\n# HELP m Some \\\\ help\\n here\n"
                + "# TYPE m gauge\n  m { a=\"1\" }  2.5  \t\n# HELPER not metadata\n#\n");
        assertThat(samples)
                .containsExactly(new Sample("m", "m", MetricType.GAUGE, Labels.of("a", "1"), 2.5, Sample.NO_TIMESTAMP));
    }

    @Test
    void valuesAndMillisecondTimestamps() throws Exception {
        List<Sample> samples = read("a NaN\nb +Inf 1700000000123\nc -Inf\nd 1e3\ne{}7\nf+1\n");
        assertThat(samples)
                .extracting(Sample::value)
                .containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1000.0, 7.0, 1.0);
        assertThat(samples.get(1).timestampMs()).isEqualTo(1700000000123L);
        assertThat(samples.get(0).hasTimestamp()).isFalse();
    }

    @Test
    void theLastTypeLineOfAFamilyTypesAllItsSamples() throws Exception {
        // the agent looks types up after the scrape, in the metadata store the last # TYPE line of a name set
        List<Sample> samples = read("x 1\n# TYPE x counter\nx{a=\"b\"} 2\n# TYPE x gauge\nx{a=\"c\"} 3\n");
        assertThat(samples)
                .extracting(Sample::type)
                .containsExactly(MetricType.GAUGE, MetricType.GAUGE, MetricType.GAUGE);
    }

    @Test
    void rejectedLines() {
        assertThat(failure("a\n").reason()).isEqualTo("expected value after metric");
        assertThat(failure("a 1x\n").reason()).isEqualTo("invalid value (not a number)");
        assertThat(failure("a 1 -5\n").reason()).isEqualTo("expected timestamp or end of line after value");
        assertThat(failure("a 1 1.5\n").reason()).isEqualTo("expected end of line after timestamp");
        assertThat(failure("a 1 2 3\n").reason()).isEqualTo("expected end of line after timestamp");
        assertThat(failure("a 1 99999999999999999999\n").reason()).isEqualTo("timestamp out of range");
        assertThat(failure("a 1\r\n").reason()).isEqualTo("invalid value (not a number)");
        assertThat(failure("{a=\"b\"} 1\n").reason()).isEqualTo("expected metric name or comment");
        assertThat(failure("# TYPE a gauge\n# TYPE b foo\n").reason()).isEqualTo("invalid metric type");
        assertThat(failure("# TYPE a unknown\n").reason()).isEqualTo("invalid metric type");
        assertThat(failure("# TYPE a gauge \n").reason()).isEqualTo("invalid metric type");
        assertThat(failure("# TYPE 1a gauge\n").reason()).isEqualTo("expected metric name after TYPE");
        assertThat(failure("a 1\n\u0000\u0000").reason()).isEqualTo("NUL byte where a line should start");
        assertThat(failure("a 1\nb 2\nc{x=\"1\" 3\n").lineNumber()).isEqualTo(3);
    }

    @Test
    void invalidUtf8InHelpFails() {
        byte[] b = {'#', ' ', 'H', 'E', 'L', 'P', ' ', 'a', ' ', (byte) 0xff, '\n'};
        ByteCursor c = new ByteCursor(b, b.length);
        NameStrings names = new NameStrings();
        SampleCollector out = new SampleCollector(false, b.length, new TargetMetadata());
        try {
            new PrometheusTextReader(c, new LabelReader(false, names), names, out).read();
            throw new AssertionError("accepted");
        } catch (ExpositionParseException e) {
            assertThat(e.reason()).isEqualTo("help text is not valid UTF-8");
        }
    }
}
