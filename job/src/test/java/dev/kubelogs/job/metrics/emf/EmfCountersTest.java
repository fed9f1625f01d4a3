package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;

/** The EMF stage's counters under the names dashboards and alerts use, each its own. */
class EmfCountersTest {

    private static Map<String, Counter> byName(EmfCounters c) {
        Map<String, Counter> m = new LinkedHashMap<>();
        m.put("emfEvents", c.events);
        m.put("emfEventsSplitForMetricLimit", c.splitForMetricLimit);
        m.put("emfEventsSplitForSize", c.splitForSize);
        m.put("emfEventsOversizeDropped", c.oversizeDropped);
        m.put("emfNonFiniteValuesSkipped", c.nonFiniteSkipped);
        m.put("emfUndeclaredEventsDropped", c.undeclaredEventsDropped);
        m.put("emfUndeclaredFieldsDropped", c.undeclaredFieldsDropped);
        m.put("emfHistogramsWithoutObservations", c.histogramsWithoutObservations);
        m.put("emfHistogramsInconsistent", c.histogramsInconsistent);
        m.put("emfHistogramBucketsMerged", c.histogramBucketsMerged);
        m.put("emfDuplicateMetricNames", c.duplicateNames);
        return m;
    }

    @Test
    void eachFieldIsTheGroupsCounterOfItsName() {
        MetricListener metrics = new MetricListener();
        Map<String, Counter> fields = byName(new EmfCounters(metrics.getMetricGroup()));

        long n = 1;
        for (Map.Entry<String, Counter> e : fields.entrySet()) {
            e.getValue().inc(n++);
        }
        n = 1;
        for (String name : fields.keySet()) {
            assertThat(metrics.getCounter(name)).as(name).isPresent();
            assertThat(metrics.getCounter(name).get().getCount()).as(name).isEqualTo(n++);
        }
    }

    @Test
    void countersOfTheirOwnStartAtZeroAndAreSeparate() {
        Map<String, Counter> fields = byName(new EmfCounters());

        fields.get("emfEvents").inc();
        assertThat(fields.get("emfEvents").getCount()).isEqualTo(1);
        assertThat(fields.values()).doesNotContainNull();
        assertThat(fields.values().stream().mapToLong(Counter::getCount).sum()).isEqualTo(1);
        assertThat(new EmfCounters().events.getCount()).isZero();
    }
}
