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
}
