package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.model.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts a target's labels onto a scraped sample's labels as Prometheus' {@code mutateSampleLabels} does. With
 * {@code honor_labels: false} the target's label wins and a conflicting exposed label is kept as
 * {@code exported_<name>} (more {@code exported_} prefixes until the name is free, shorter names first); with
 * {@code honor_labels: true} the exposed label wins.
 */
final class TargetLabelMerge {
    private static final String EXPORTED_PREFIX = "exported_";

    private TargetLabelMerge() {}

    static Labels merge(Labels exposed, Labels target, boolean honorLabels) {
        return merge(exposed, List.of(), target, honorLabels);
    }

    /**
     * As {@link #merge(Labels, Labels, boolean)}, for an exposed label set that also gave {@code emptyExposed} an
     * empty value: with {@code honor_labels: true} such a name keeps the target's label out (Prometheus tests
     * {@code lset.Has}, true for an empty value, and its builder then drops the empty label).
     */
    static Labels merge(Labels exposed, List<String> emptyExposed, Labels target, boolean honorLabels) {
        if (honorLabels) {
            Labels added = target;
            for (String name : emptyExposed) {
                added = added.without(name);
            }
            return exposed.union(added);
        }
        Labels merged = target.union(exposed);
        if (merged.size() == target.size() + exposed.size()) {
            return merged;
        }
        return withConflictsRenamed(exposed, target);
    }

    private static Labels withConflictsRenamed(Labels exposed, Labels target) {
        Labels.Builder merged = exposed.toBuilder();
        List<String[]> conflicts = new ArrayList<>();
        target.forEach((name, value) -> {
            String exposedValue = exposed.get(name);
            if (exposedValue != null) {
                conflicts.add(new String[] {name, exposedValue});
            }
            merged.set(name, value);
        });
        conflicts.sort(Comparator.comparingInt(c -> c[0].length()));
        for (String[] conflict : conflicts) {
            String newName = conflict[0];
            do {
                newName = EXPORTED_PREFIX + newName;
            } while (merged.get(newName) != null);
            merged.set(newName, conflict[1]);
        }
        return merged.build();
    }
}
