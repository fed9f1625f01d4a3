package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleCollectorTest {
    @Test
    void samplesAreTypedByTheDeclarationsOfTheWholeBody() {
        SampleCollector out = new SampleCollector(false, 100, new TargetMetadata());
        out.add("a_total", Labels.EMPTY, List.of(), 1, Sample.NO_TIMESTAMP, 0, 0);
        out.families.declare("a", MetricType.COUNTER);
        out.add("a_total", Labels.EMPTY, List.of("x"), 2, 5, 0, 0);
        out.add("b", Labels.of("k", "v"), List.of(), 3, Sample.NO_TIMESTAMP, 0, 0);
        assertThat(out.samples())
                .containsExactly(
                        new Sample("a_total", "a", MetricType.COUNTER, Labels.EMPTY, 1, Sample.NO_TIMESTAMP),
                        new Sample("a_total", "a", MetricType.COUNTER, Labels.EMPTY, 2, 5, List.of("x")),
                        new Sample("b", "b", MetricType.UNTYPED, Labels.of("k", "v"), 3, Sample.NO_TIMESTAMP));
    }

    @Test
    void manySamplesKeepTheirOrder() {
        SampleCollector out = new SampleCollector(false, 0, new TargetMetadata());
        for (int i = 0; i < 1000; i++) {
            out.add("g", Labels.EMPTY, List.of(), i, i, 0, 0);
        }
        out.families.declare("g", MetricType.GAUGE);
        List<Sample> samples = out.samples();
        assertThat(samples).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(samples.get(i).value()).isEqualTo(i);
            assertThat(samples.get(i).timestampMs()).isEqualTo(i);
            assertThat(samples.get(i).type()).isEqualTo(MetricType.GAUGE);
        }
    }

    @Test
    void typeNamesAreMatchedExactlyAndUnknownIsUntyped() {
        byte[] b = "gauge gaugex unknown".getBytes(StandardCharsets.US_ASCII);
        ByteCursor c = new ByteCursor(b, b.length);
        String[] accepted = {"gauge", "unknown"};
        assertThat(SampleCollector.typeNamed(c, 0, 5, accepted)).isEqualTo(MetricType.GAUGE);
        assertThat(SampleCollector.typeNamed(c, 6, 12, accepted)).isNull();
        assertThat(SampleCollector.typeNamed(c, 13, 20, accepted)).isEqualTo(MetricType.UNTYPED);
    }

    @Test
    void aCollectorTakesOverTheEmptiedArraysOfTheLastOneAndStartsEmpty() {
        SampleCollector first = new SampleCollector(false, 0, new TargetMetadata());
        first.add("a", Labels.of("k", "v"), List.of("x"), 1, 1, 0, 0);
        first.add("b", Labels.EMPTY, List.of(), 2, 2, 0, 0);
        assertThat(first.samples()).hasSize(2);

        SampleCollector next = new SampleCollector(false, 0, new TargetMetadata(), first);
        next.families.declare("c", MetricType.GAUGE);
        next.add("c", Labels.EMPTY, List.of(), 3, Sample.NO_TIMESTAMP, 0, 0);

        assertThat(next.samples())
                .containsExactly(new Sample("c", "c", MetricType.GAUGE, Labels.EMPTY, 3, Sample.NO_TIMESTAMP));
        assertThat(next.samples()).isEmpty();
    }
}
