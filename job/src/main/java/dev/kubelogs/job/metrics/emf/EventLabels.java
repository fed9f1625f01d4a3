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

    private String[] names;
    private String[] values;
    private int size;
    /** Scratch for {@link #fill}: the names it adds and their values. */
    private final String[] extraNames = new String[3];

    private final String[] extraValues = new String[3];

    private EventLabels(int capacity) {
        this.names = new String[capacity];
        this.values = new String[capacity];
    }

    public static EventLabels of(Labels labels, String clusterName, MetricType type) {
        return new EventLabels(labels.size() + 3).fill(labels, clusterName, type);
    }

    /**
     * An instance to {@link #fill} again for each event: the EMF stage builds one event at a time, and nothing keeps
     * an event's labels after it is written, so one pair of arrays serves them all.
     */
    static EventLabels reusable() {
        return new EventLabels(16);
    }

    /** Makes these the labels of an event of this series; returns this instance. */
    EventLabels fill(Labels labels, String clusterName, MetricType type) {
        // the names added, in sorted order; a later one of the same name as a label replaces it
        String[] extraNames = this.extraNames;
        String[] extraValues = this.extraValues;
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
        if (names.length < n + extras) {
            names = new String[Math.max(n + extras, 2 * names.length)];
            values = new String[names.length];
        }
        String[] outNames = names;
        String[] outValues = values;
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
        for (int i = o; i < size; i++) {
            outNames[i] = null;
            outValues[i] = null;
        }
        size = o;
        return this;
    }

    public int size() {
        return size;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    /** The value of {@code name}, or null when the event has no such label. */
    public String get(String name) {
        int i = Arrays.binarySearch(names, 0, size, name);
        return i >= 0 ? values[i] : null;
    }

    public boolean has(String name) {
        return Arrays.binarySearch(names, 0, size, name) >= 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ",").append(names[i]).append('=').append(values[i]);
        }
        return sb.append('}').toString();
    }
}
