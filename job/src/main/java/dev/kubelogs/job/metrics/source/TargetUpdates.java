package dev.kubelogs.job.metrics.source;

import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.util.List;

/**
 * Where a {@link TargetDiscovery} reports the targets it finds. Calls may come from any thread; the enumerator takes
 * them over to its coordinator thread. The first method has the shape of the discovery package's
 * {@code TargetListener}, so a method reference adapts one to the other.
 */
public interface TargetUpdates {

    /**
     * The targets {@code sourceKey} (a pod, an endpoint slice, a {@code static_configs} entry, ...) now yields for
     * {@code jobName}, replacing what it yielded before; an empty list removes them.
     */
    void targetsChanged(String jobName, String sourceKey, List<ScrapeTarget> targets);

    /**
     * Every source that existed when discovery started has been reported once. Targets restored from a checkpoint
     * that no source reported since are gone, and are removed now.
     */
    void synced();
}
