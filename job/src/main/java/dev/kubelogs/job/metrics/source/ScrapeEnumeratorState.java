package dev.kubelogs.job.metrics.source;

import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.util.List;
import java.util.Map;

/**
 * Checkpointed state of the scrape enumerator: the targets each discovery source yielded, and which reader scraped
 * each target. After a restore the targets are scraped again at once, before discovery has caught up (which then
 * replaces them source by source, and removes what no source reports any more), and each goes back to the reader
 * that had it when the readers are as many as before.
 *
 * @param sources per (job, source key): the targets it yielded
 * @param ownerByTargetId target id → reader subtask
 */
public record ScrapeEnumeratorState(List<SourceTargets> sources, Map<String, Integer> ownerByTargetId) {

    public static ScrapeEnumeratorState empty() {
        return new ScrapeEnumeratorState(List.of(), Map.of());
    }

    /** The targets one discovery source yielded for one job. */
    public record SourceTargets(String jobName, String sourceKey, List<ScrapeTarget> targets) {}
}
