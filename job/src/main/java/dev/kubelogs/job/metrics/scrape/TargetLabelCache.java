package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.model.Labels;
import java.util.HashMap;
import java.util.Map;

/**
 * One target's exposed label sets merged with its target labels ({@link TargetLabelMerge}), kept from scrape to
 * scrape: a target exposes the same label sets every time, so its next scrape merges only the sets it has not exposed
 * before, and each merged set is the same instance (its hash computed once) for the grouping and the serializer.
 *
 * <p>The entries hold for one target label set and one {@code honor_labels} setting; a scrape with other target
 * labels or setting starts over. Entries of label sets no longer exposed are dropped once the cache holds more than
 * twice the label sets of the target's last scrape. Not thread-safe: a target has one scrape in flight at most.
 */
public final class TargetLabelCache {
    private final Map<Labels, Labels> merged = new HashMap<>();
    private Labels targetLabels;
    private boolean honorLabels;
    private int lookupsThisScrape;

    /** {@code exposed} merged with {@code target}, from an earlier scrape when it exposed the same set. */
    Labels merge(Labels exposed, Labels target, boolean honor) {
        if (target != targetLabels || honor != honorLabels) {
            if (!target.equals(targetLabels) || honor != honorLabels) {
                merged.clear();
            }
            targetLabels = target;
            honorLabels = honor;
        }
        lookupsThisScrape++;
        Labels result = merged.get(exposed);
        if (result == null) {
            result = TargetLabelMerge.merge(exposed, target, honor);
            merged.put(exposed, result);
        }
        return result;
    }

    /** Called after each scrape: bounds the entries by what the target exposes now. */
    void endScrape() {
        if (merged.size() > 2 * lookupsThisScrape) {
            merged.clear();
        }
        lookupsThisScrape = 0;
    }

    int size() {
        return merged.size();
    }
}
