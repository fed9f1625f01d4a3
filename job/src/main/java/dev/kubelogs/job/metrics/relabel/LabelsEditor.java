package dev.kubelogs.job.metrics.relabel;

import dev.kubelogs.job.metrics.model.Labels;
import java.util.TreeMap;

/**
 * The label set a rule list works on (Prometheus' {@code labels.Builder}): reads go to the input until the first
 * real change, which copies it; setting a value a label already has, or deleting a label that is absent, is no
 * change. An empty value deletes, as in Prometheus.
 */
final class LabelsEditor {
    private Labels base = Labels.EMPTY;
    private TreeMap<String, String> edited;

    void reset(Labels labels) {
        base = labels;
        edited = null;
    }

    String get(String name) {
        return edited != null ? edited.get(name) : base.get(name);
    }

    void set(String name, String value) {
        if (value.isEmpty()) {
            delete(name);
            return;
        }
        if (value.equals(get(name))) {
            return;
        }
        edit().put(name, value);
    }

    void delete(String name) {
        if (get(name) != null) {
            edit().remove(name);
        }
    }

    /** The current labels as an immutable set (the input itself while unchanged). */
    Labels snapshot() {
        return edited == null ? base : Labels.of(edited);
    }

    private TreeMap<String, String> edit() {
        if (edited == null) {
            edited = new TreeMap<>(base.toMap());
        }
        return edited;
    }
}
