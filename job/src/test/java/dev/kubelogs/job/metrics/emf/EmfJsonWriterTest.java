package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmfJsonWriterTest {
    private final EmfJsonWriter v0 = new EmfJsonWriter(EmfFormat.AGENT_V0, "NS", Map.of("m", "Count"));

    private static EventLabels labels(String... namesAndValues) {
        return EventLabels.of(Labels.of(namesAndValues), "c", MetricType.GAUGE);
    }

    @Test
    void stringsAreEscapedAsGoMarshalDoes() {
        String value = "a<b>&c\u0001\u000b\u001b\b\f\t\n\"\\/é\uD83D\uDE00\u2028\u2029\u007f";
        v0.write(labels("job", "j", "v", value), List.of(), List.of(), 1);
        String expected =
                "{\"ClusterName\":\"c\",\"Timestamp\":\"1\",\"Version\":\"0\",\"job\":\"j\",\"prom_metric_type\":\"gauge\","
                        + "\"v\":\"a\\u003cb\\u003e\\u0026c\\u0001\\u000b\\u001b\\b\\f\\t\\n\\\"\\\\/é\uD83D\uDE00"
                        + "\\u2028\\u2029\u007f\"}";
        assertThat(v0.message()).isEqualTo(expected);
        assertThat(v0.size()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void laterMapWritesWinOnCollidingNames() {
        // a metric replaces a label of its name; Timestamp and Version replace labels, with a directive or not
        v0.write(
                labels("job", "j", "Timestamp", "label", "Version", "label", "m", "label"),
                List.of(new MetricField("m", 1, null, 0)),
                List.of(),
                5);
        assertThat(v0.message())
                .isEqualTo("{\"ClusterName\":\"c\",\"Timestamp\":\"5\",\"Version\":\"0\","
                        + "\"job\":\"j\",\"m\":1,\"prom_metric_type\":\"gauge\"}");
        v0.write(
                labels("job", "j", "Version", "label"),
                List.of(new MetricField("m", 1, null, 0)),
                List.of(new Directive(List.of(List.of("job")), List.of("m"))),
                5);
        assertThat(v0.message())
                .isEqualTo("{\"CloudWatchMetrics\":[{\"Namespace\":\"NS\",\"Dimensions\":[[\"job\"]],"
                        + "\"Metrics\":[{\"Name\":\"m\",\"Unit\":\"Count\",\"StorageResolution\":60}]}],\"ClusterName\":\"c\",\"Timestamp\":\"5\","
                        + "\"Version\":\"0\",\"job\":\"j\",\"prom_metric_type\":\"gauge\",\"m\":1}");
    }

    @Test
    void declaredMetricsFollowEveryOtherKeyAsTheExporterAppendsThem() {
        // translateCWMetricToEMF marshals the map without the declared metrics, then appends them sorted; an
        // undeclared metric stays in sorted place; a declared one named like a label takes the label's value's place
        v0.write(
                labels("job", "j", "a", "label"),
                List.of(
                        new MetricField("a", 1, null, 0),
                        new MetricField("b", 2, null, -1),
                        new MetricField("m", 3, null, 0),
                        new MetricField("z", 4, null, -1)),
                List.of(new Directive(List.of(List.of("job")), List.of("m", "a"))),
                5);
        assertThat(v0.message())
                .isEqualTo("{\"CloudWatchMetrics\":[{\"Namespace\":\"NS\",\"Dimensions\":[[\"job\"]],"
                        + "\"Metrics\":[{\"Name\":\"m\",\"Unit\":\"Count\",\"StorageResolution\":60},{\"Name\":\"a\",\"Unit\":\"\",\"StorageResolution\":60}]}],\"ClusterName\":\"c\","
                        + "\"Timestamp\":\"5\",\"Version\":\"0\",\"b\":2,\"job\":\"j\",\"prom_metric_type\":\"gauge\","
                        + "\"z\":4,\"a\":1,\"m\":3}");
        // a declared metric named Version: the map holds the exporter's "0" under that name, moved to the end
        v0.write(
                labels("job", "j"),
                List.of(new MetricField("Version", 7, null, 0)),
                List.of(new Directive(List.of(List.of("job")), List.of("Version"))),
                5);
        assertThat(v0.message())
                .isEqualTo("{\"CloudWatchMetrics\":[{\"Namespace\":\"NS\",\"Dimensions\":[[\"job\"]],"
                        + "\"Metrics\":[{\"Name\":\"Version\",\"Unit\":\"\",\"StorageResolution\":60}]}],\"ClusterName\":\"c\",\"Timestamp\":\"5\","
                        + "\"job\":\"j\",\"prom_metric_type\":\"gauge\",\"Version\":\"0\"}");
    }

    @Test
    void theGeneratorIsReusedAcrossEvents() {
        for (int i = 0; i < 3; i++) {
            v0.write(labels("job", "j"), List.of(new MetricField("n", i, null, -1)), List.of(), i);
            assertThat(v0.message())
                    .isEqualTo("{\"ClusterName\":\"c\",\"Timestamp\":\"" + i
                            + "\",\"Version\":\"0\",\"job\":\"j\",\"n\":" + i + ",\"prom_metric_type\":\"gauge\"}");
        }
    }

    @Test
    void aLoneSurrogateIsEscapedNotAnError() {
        // UTF-8 decoding never yields one; should one come, the event is still valid JSON text
        v0.write(labels("job", "j", "v", "a\uD800b"), List.of(), List.of(), 1);
        assertThat(v0.message())
                .isEqualTo("{\"ClusterName\":\"c\",\"Timestamp\":\"1\",\"Version\":\"0\",\"job\":\"j\","
                        + "\"prom_metric_type\":\"gauge\",\"v\":\"a\\ud800b\"}");
    }
}
