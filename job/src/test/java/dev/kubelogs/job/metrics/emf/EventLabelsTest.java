package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import org.junit.jupiter.api.Test;

class EventLabelsTest {

    @Test
    void addsClusterNameAndTypeInSortedOrder() {
        EventLabels l = EventLabels.of(Labels.of("job", "j", "Namespace", "n", "zone", "z"), "c", MetricType.GAUGE);
        assertThat(l.toString()).isEqualTo("{ClusterName=c,Namespace=n,job=j,prom_metric_type=gauge,zone=z}");
    }

    @Test
    void keepsARelabeledClusterNameAndAddsJobNameWithoutJob() {
        EventLabels l = EventLabels.of(Labels.of("ClusterName", "other"), "c", MetricType.COUNTER);
        assertThat(l.toString()).isEqualTo("{ClusterName=other,JobName=default,prom_metric_type=counter}");
    }

    @Test
    void theTypeReplacesALabelOfTheSameName() {
        EventLabels l = EventLabels.of(Labels.of("job", "j", "prom_metric_type", "x"), "c", MetricType.SUMMARY);
        assertThat(l.get("prom_metric_type")).isEqualTo("summary");
        assertThat(l.size()).isEqualTo(3);
    }

    @Test
    void aReusedInstanceHoldsOnlyTheLabelsItWasFilledWithLast() {
        EventLabels l = EventLabels.reusable();
        Labels many = Labels.builder().build();
        for (int i = 0; i < 20; i++) {
            many = many.with("label_" + (char) ('a' + i), "v" + i);
        }
        assertThat(l.fill(many, "c", MetricType.GAUGE).size()).isEqualTo(23);

        l.fill(Labels.of("job", "j", "JobName", "x"), "c", MetricType.COUNTER);

        assertThat(l.toString()).isEqualTo("{ClusterName=c,JobName=x,job=j,prom_metric_type=counter}");
        assertThat(l.has("label_a")).isFalse();
        assertThat(l.get("job")).isEqualTo("j");
        assertThat(l.toString())
                .isEqualTo(EventLabels.of(Labels.of("job", "j", "JobName", "x"), "c", MetricType.COUNTER)
                        .toString());
    }
}
