package dev.kubelogs.job.metrics.emf;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import java.util.Arrays;

/**
 * The label fields of one event, sorted by name, as the agent tags its record before export (its
 * {@code metrics_handler.go} and {@code metrics_receiver.go}): the series labels, {@code ClusterName} unless the
 * series already has one (a relabeled cluster name is kept, for cross-cluster scraping), {@code JobName: "default"}
 * when there is no {@code job} label, and {@code prom_metric_type}. Declarations match against these, so
 * {@code ClusterName} and {@code prom_metric_type} may be source labels and dimensions.
 */
public final class EventLabels {
    public static final String CLUSTER_NAME = "ClusterName";
    public static final String JOB_NAME = "JobName";
    public static final String JOB = "job";
    public static final String PROM_METRIC_TYPE = "prom_metric_type";

    private final String[] names;
    private final String[] values;

    private EventLabels(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    public static EventLabels of(Labels labels, String clusterName, MetricType type) {
        // the names added, in sorted order; a later one of the same name as a label replaces it
        String[] extraNames = new String[3];
        String[] extraValues = new String[3];
        int extras = 0;
        if (!labels.has(CLUSTER_NAME)) {
            extraNames[extras] = CLUSTER_NAME;
            extraValues[extras++] = clusterName;
        }
        if (!labels.has(JOB)) {
            extraNames[extras] = JOB_NAME;
            extraValues[extras++] = "default";
        }
        extraNames[extras] = PROM_METRIC_TYPE;
        extraValues[extras++] = type.promMetricType();

        int n = labels.size();
        String[] outNames = new String[n + extras];
        String[] outValues = new String[n + extras];
        int li = 0;
        int ei = 0;
        int o = 0;
        while (li < n || ei < extras) {
            int cmp = li == n ? 1 : ei == extras ? -1 : labels.name(li).compareTo(extraNames[ei]);
            if (cmp < 0) {
                outNames[o] = labels.name(li);
                outValues[o++] = labels.value(li++);
            } else {
                outNames[o] = extraNames[ei];
                outValues[o++] = extraValues[ei++];
                if (cmp == 0) {
                    li++;
                }
            }
        }
        return new EventLabels(
                o == outNames.length ? outNames : Arrays.copyOf(outNames, o),
                o == outValues.length ? outValues : Arrays.copyOf(outValues, o));
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    /** The value of {@code name}, or null when the event has no such label. */
    public String get(String name) {
        int i = Arrays.binarySearch(names, name);
        return i >= 0 ? values[i] : null;
    }

    public boolean has(String name) {
        return Arrays.binarySearch(names, name) >= 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ",").append(names[i]).append('=').append(values[i]);
        }
        return sb.append('}').toString();
    }
}
