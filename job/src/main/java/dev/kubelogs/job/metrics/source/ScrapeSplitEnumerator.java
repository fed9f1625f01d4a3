package dev.kubelogs.job.metrics.source;

import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.scrape.ScrapeMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs target discovery and keeps every known target with exactly one reader, spread evenly.
 *
 * <p>A new target goes to the reader with the fewest targets. When readers differ by more than one target (after
 * removals, or when a reader registers) targets move from the fullest to the emptiest: the old reader is told to let
 * them go ({@link ReleaseTargetsEvent}), then they are assigned to the new one. Nothing is assigned until every reader
 * has registered once, so a job start does not move half of its targets a moment later.
 *
 * <p>A job with more targets than its {@code target_limit} has none of them scraped (as Prometheus), until it is back
 * within the limit; counted in {@code metrics_scrape.target_limit_exceeded}.
 *
 * <p>Readers keep no targets over a restart (the source supports split reassignment on recovery): a reader that
 * registers again starts empty, so whatever this enumerator thought it had is assigned anew, preferably to it again.
 * Flink tells the enumerator of a failed reader only when it resets that subtask ({@link #addSplitsBack}), after it
 * unregistered it, and a split or event for an unregistered reader fails the job; so before every assignment, release
 * or end signal the enumerator takes the readers Flink no longer has registered as gone. A gone reader's targets wait
 * for it (Flink restarts it; with keyed streams after the source every reader restarts at once) and go back to it when
 * it registers again, as at a job start; meanwhile discovery changes to them are kept, and new targets go to the
 * readers that are there. Targets taken from gone readers are counted in {@code
 * metrics_scrape.targets_returned_by_failed_readers}; targets no reader scrapes are {@code
 * metrics_scrape.targets_unassigned}.
 *
 * <p>All state is touched on the coordinator thread only; discovery reports through {@link
 * SplitEnumeratorContext#runInCoordinatorThread}.
 */
final class ScrapeSplitEnumerator implements SplitEnumerator<ScrapeTargetSplit, ScrapeEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(ScrapeSplitEnumerator.class);

    private final SplitEnumeratorContext<ScrapeTargetSplit> context;
    private final TargetDiscoveryFactory discoveryFactory;
    /** {@code target_limit} per job that sets one. */
    private final Map<String, Integer> targetLimits;
    /** Jobs with more targets than their limit: none of their targets is scraped, as in Prometheus. */
    private final Set<String> jobsOverLimit = new HashSet<>();
    /** Times a job went over its target_limit ({@code metrics_scrape.target_limit_exceeded}). */
    private final Counter targetLimitExceeded;
    /** Targets taken back from readers found gone ({@code metrics_scrape.targets_returned_by_failed_readers}). */
    private final Counter targetsReturned;
    /** Known targets no reader scrapes now, read by the metric reporter's thread. */
    private volatile int unassigned;

    /** Per source: its targets by id. */
    private final Map<SourceId, Map<String, ScrapeTarget>> bySource = new LinkedHashMap<>();
    /** Every known target, by id, with the sources that yield it (two pods may yield one target). */
    private final Map<String, Known> targets = new LinkedHashMap<>();
    /** Per registered reader: the ids of the targets it scrapes. */
    private final Map<Integer, Set<String>> assigned = new TreeMap<>();
    /** Where a target was before a restore or a reader restart: it goes back there when that keeps the balance. */
    private final Map<String, Integer> preferredOwner = new HashMap<>();
    /** Sources restored from a checkpoint that discovery has not reported since. */
    private final Set<SourceId> unconfirmedSources = new HashSet<>();

    /** Readers that registered at least once; once all did, targets are assigned. */
    private final Set<Integer> seenReaders = new HashSet<>();

    /** Bounded: once discovery synced, readers get no more targets (and targets do not move between them). */
    private final boolean bounded;

    private boolean synced;
    private final Set<Integer> toldNoMoreSplits = new HashSet<>();
    private TargetDiscovery discovery;
    private boolean closed;

    private record SourceId(String jobName, String sourceKey) {}

    private static final class Known {
        ScrapeTarget target;
        Integer owner;
        final Set<SourceId> sources = new HashSet<>(2);

        Known(ScrapeTarget target) {
            this.target = target;
        }
    }

    ScrapeSplitEnumerator(
            SplitEnumeratorContext<ScrapeTargetSplit> context,
            TargetDiscoveryFactory discoveryFactory,
            Map<String, Integer> targetLimits,
            ScrapeEnumeratorState restored) {
        this(context, discoveryFactory, targetLimits, restored, false);
    }

    ScrapeSplitEnumerator(
            SplitEnumeratorContext<ScrapeTargetSplit> context,
            TargetDiscoveryFactory discoveryFactory,
            Map<String, Integer> targetLimits,
            ScrapeEnumeratorState restored,
            boolean bounded) {
        this.bounded = bounded;
        this.context = context;
        this.discoveryFactory = discoveryFactory;
        this.targetLimits = Map.copyOf(targetLimits);
        MetricGroup metrics = context.metricGroup().addGroup(ScrapeMetrics.GROUP);
        this.targetLimitExceeded = metrics.counter("target_limit_exceeded");
        this.targetsReturned = metrics.counter("targets_returned_by_failed_readers");
        metrics.gauge("targets_unassigned", () -> unassigned);
        for (ScrapeEnumeratorState.SourceTargets source : restored.sources()) {
            SourceId id = new SourceId(source.jobName(), source.sourceKey());
            unconfirmedSources.add(id);
            replaceSource(id, source.targets());
        }
        preferredOwner.putAll(restored.ownerByTargetId());
    }

    @Override
    public void start() {
        TargetUpdates updates = new TargetUpdates() {
            @Override
            public void targetsChanged(String jobName, String sourceKey, List<ScrapeTarget> found) {
                List<ScrapeTarget> copy = List.copyOf(found);
                context.runInCoordinatorThread(() -> onTargetsChanged(new SourceId(jobName, sourceKey), copy));
            }

            @Override
            public void synced() {
                context.runInCoordinatorThread(ScrapeSplitEnumerator.this::onSynced);
            }
        };
        // starting may block (informers list the cluster first): not on the coordinator thread
        MetricGroup discoveryMetrics = context.metricGroup().addGroup("metrics_discovery");
        context.callAsync(() -> discoveryFactory.start(updates, discoveryMetrics), this::onDiscoveryStarted);
    }

    private void onDiscoveryStarted(TargetDiscovery started, Throwable error) {
        if (error != null) {
            throw new IllegalStateException("Target discovery could not start: " + error.getMessage(), error);
        }
        if (closed) {
            closeQuietly(started);
        } else {
            discovery = started;
        }
    }

    @Override
    public void addReader(int subtaskId) {
        ReaderInfo info = context.registeredReaders().get(subtaskId);
        // a restarted reader holds nothing: what it had is assigned again, to it if the balance allows
        takeBackTargets(subtaskId);
        if (info != null) {
            for (Object reported : info.getReportedSplitsOnRegistration()) {
                preferredOwner.putIfAbsent(((ScrapeTargetSplit) reported).splitId(), subtaskId);
            }
        }
        assigned.put(subtaskId, new LinkedHashSet<>());
        toldNoMoreSplits.remove(subtaskId);
        seenReaders.add(subtaskId);
        assignAndBalance();
    }

    /**
     * Flink resets the failed reader's subtask (unregistered by then) and hands back what it was given since the last
     * checkpoint. A reader restarts empty, so all its targets, not only these, wait for it; which ones it had is known
     * here already. Should its next attempt have registered before, every target it has now was given to that attempt,
     * and stays with it.
     */
    @Override
    public void addSplitsBack(List<ScrapeTargetSplit> splits, int subtaskId) {
        LOG.info(
                "Reader {} was reset after a failure ({} target(s) given to it since the last checkpoint); its targets"
                        + " are assigned again when it registers",
                subtaskId,
                splits.size());
        assignAndBalance();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // targets are pushed; readers never ask
    }

    @Override
    public ScrapeEnumeratorState snapshotState(long checkpointId) {
        List<ScrapeEnumeratorState.SourceTargets> sources = new ArrayList<>(bySource.size());
        bySource.forEach((id, found) -> sources.add(
                new ScrapeEnumeratorState.SourceTargets(id.jobName(), id.sourceKey(), List.copyOf(found.values()))));
        Map<String, Integer> owners = new LinkedHashMap<>();
        targets.forEach((id, known) -> {
            Integer owner = known.owner != null ? known.owner : preferredOwner.get(id);
            if (owner != null) {
                owners.put(id, owner);
            }
        });
        return new ScrapeEnumeratorState(sources, owners);
    }

    @Override
    public void close() {
        closed = true;
        if (discovery != null) {
            closeQuietly(discovery);
            discovery = null;
        }
    }

    // ---- discovery (coordinator thread) ----

    void onTargetsChanged(SourceId source, List<ScrapeTarget> found) {
        if (closed) {
            return;
        }
        unconfirmedSources.remove(source);
        // changes and releases go only to readers that are there
        forgetGoneReaders();
        replaceSource(source, found);
        assignAndBalance();
    }

    void onSynced() {
        if (closed) {
            return;
        }
        forgetGoneReaders();
        for (SourceId gone : new ArrayList<>(unconfirmedSources)) {
            replaceSource(gone, List.of());
        }
        unconfirmedSources.clear();
        synced = true;
        assignAndBalance();
    }

    private void replaceSource(SourceId source, List<ScrapeTarget> found) {
        Map<String, ScrapeTarget> now = new LinkedHashMap<>();
        for (ScrapeTarget t : found) {
            now.putIfAbsent(t.id(), t);
        }
        Map<String, ScrapeTarget> before = now.isEmpty() ? bySource.remove(source) : bySource.put(source, now);
        Map<Integer, List<String>> releases = new TreeMap<>();
        if (before != null) {
            for (String id : before.keySet()) {
                if (!now.containsKey(id)) {
                    Known known = targets.get(id);
                    known.sources.remove(source);
                    if (known.sources.isEmpty()) {
                        remove(id, known, releases);
                    }
                }
            }
        }
        Map<Integer, List<ScrapeTargetSplit>> updates = new TreeMap<>();
        for (ScrapeTarget t : now.values()) {
            Known known = targets.computeIfAbsent(t.id(), id -> new Known(t));
            known.sources.add(source);
            if (!known.target.equals(t)) {
                // same job and labels, new URL or interval: the owner replaces its split
                known.target = t;
                if (known.owner != null) {
                    updates.computeIfAbsent(known.owner, k -> new ArrayList<>()).add(new ScrapeTargetSplit(t));
                }
            }
        }
        releases.forEach((subtask, ids) -> context.sendEventToSourceReader(subtask, new ReleaseTargetsEvent(ids)));
        if (!updates.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(updates));
        }
    }

    private void remove(String id, Known known, Map<Integer, List<String>> releases) {
        targets.remove(id);
        preferredOwner.remove(id);
        if (known.owner != null) {
            Set<String> ownerSet = assigned.get(known.owner);
            if (ownerSet != null) {
                ownerSet.remove(id);
            }
            releases.computeIfAbsent(known.owner, k -> new ArrayList<>()).add(id);
        }
    }

    // ---- assignment (coordinator thread) ----

    private void assignAndBalance() {
        forgetGoneReaders();
        try {
            assignAndBalanceRegistered();
        } finally {
            unassigned = countUnassigned();
        }
    }

    /** Every reader known here is registered. */
    private void assignAndBalanceRegistered() {
        if (seenReaders.size() < context.currentParallelism() || assigned.isEmpty()) {
            return;
        }
        Map<Integer, List<String>> releases = new TreeMap<>();
        applyTargetLimits(releases);
        Map<Integer, List<ScrapeTargetSplit>> assignment = new TreeMap<>();
        // first back to where they were, up to an even share each; then the rest to the emptiest reader
        int share = (targets.size() + assigned.size() - 1) / assigned.size();
        for (Map.Entry<String, Known> e : targets.entrySet()) {
            Integer preferred = preferredOwner.get(e.getKey());
            if (e.getValue().owner == null
                    && !suspended(e.getValue())
                    && preferred != null
                    && assigned.containsKey(preferred)
                    && assigned.get(preferred).size() < share) {
                give(e.getKey(), e.getValue(), preferred, assignment);
            }
        }
        for (Map.Entry<String, Known> e : targets.entrySet()) {
            if (e.getValue().owner == null && !suspended(e.getValue()) && !waitsForItsReader(e.getKey())) {
                give(e.getKey(), e.getValue(), emptiestReader(), assignment);
            }
        }
        while (!bounded) {
            int fullest = fullestReader();
            int emptiest = emptiestReader();
            if (assigned.get(fullest).size() - assigned.get(emptiest).size() <= 1) {
                break;
            }
            Set<String> from = assigned.get(fullest);
            String id = from.iterator().next();
            from.remove(id);
            releases.computeIfAbsent(fullest, k -> new ArrayList<>()).add(id);
            give(id, targets.get(id), emptiest, assignment);
        }
        releases.forEach((subtask, ids) -> {
            LOG.info("Moving {} target(s) from reader {} to even out the readers", ids.size(), subtask);
            context.sendEventToSourceReader(subtask, new ReleaseTargetsEvent(ids));
        });
        if (!assignment.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(assignment));
        }
        if (bounded && synced) {
            for (int subtask : assigned.keySet()) {
                if (toldNoMoreSplits.add(subtask)) {
                    context.signalNoMoreSplits(subtask);
                }
            }
        }
    }

    private boolean suspended(Known known) {
        return jobsOverLimit.contains(known.target.jobName());
    }

    /** Its reader is restarting: it gets it back when it registers again (as at a job start). */
    private boolean waitsForItsReader(String id) {
        Integer preferred = preferredOwner.get(id);
        return preferred != null && preferred < context.currentParallelism() && !assigned.containsKey(preferred);
    }

    /**
     * Takes the readers Flink no longer has registered (their task failed or was cancelled; Flink resets the subtask
     * later) as gone: nothing more goes to them, and their targets wait for them to register again.
     */
    private void forgetGoneReaders() {
        Map<Integer, ReaderInfo> registered = context.registeredReaders();
        for (Integer subtask : new ArrayList<>(assigned.keySet())) {
            if (!registered.containsKey(subtask)) {
                int had = takeBackTargets(subtask);
                toldNoMoreSplits.remove(subtask);
                LOG.info(
                        "Reader {} is gone (its task failed or restarts); its {} target(s) wait for it to register"
                                + " again",
                        subtask,
                        had);
            }
        }
    }

    /** Forgets what a reader had (it restarts empty); its targets go back to it when it registers. */
    private int takeBackTargets(int subtask) {
        Set<String> had = assigned.remove(subtask);
        if (had == null) {
            return 0;
        }
        for (String id : had) {
            Known known = targets.get(id);
            if (known != null) {
                known.owner = null;
                preferredOwner.put(id, subtask);
            }
        }
        targetsReturned.inc(had.size());
        return had.size();
    }

    private int countUnassigned() {
        int count = 0;
        for (Known known : targets.values()) {
            if (known.owner == null && !suspended(known)) {
                count++;
            }
        }
        return count;
    }

    /** Known targets that no reader scrapes now, apart from those of jobs over their target_limit. */
    int unassignedTargets() {
        return unassigned;
    }

    /** Finds the jobs over their target_limit, and takes their targets from the readers. */
    private void applyTargetLimits(Map<Integer, List<String>> releases) {
        if (targetLimits.isEmpty()) {
            return;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Known known : targets.values()) {
            counts.merge(known.target.jobName(), 1, Integer::sum);
        }
        targetLimits.forEach((job, limit) -> {
            int count = counts.getOrDefault(job, 0);
            if (count > limit && jobsOverLimit.add(job)) {
                LOG.warn(
                        "Job {} has {} targets, more than its target_limit {}: none of them is scraped until it has"
                                + " no more than that",
                        job,
                        count,
                        limit);
                targetLimitExceeded.inc();
            } else if (count <= limit && jobsOverLimit.remove(job)) {
                LOG.info("Job {} is back within its target_limit {} ({} targets): scraping them", job, limit, count);
            }
        });
        for (Map.Entry<String, Known> e : targets.entrySet()) {
            Known known = e.getValue();
            if (known.owner != null && suspended(known)) {
                assigned.get(known.owner).remove(e.getKey());
                releases.computeIfAbsent(known.owner, k -> new ArrayList<>()).add(e.getKey());
                known.owner = null;
            }
        }
    }

    private void give(String id, Known known, int subtask, Map<Integer, List<ScrapeTargetSplit>> assignment) {
        known.owner = subtask;
        preferredOwner.remove(id);
        assigned.get(subtask).add(id);
        assignment.computeIfAbsent(subtask, k -> new ArrayList<>()).add(new ScrapeTargetSplit(known.target));
    }

    private int emptiestReader() {
        int best = -1;
        for (Map.Entry<Integer, Set<String>> e : assigned.entrySet()) {
            if (best < 0 || e.getValue().size() < assigned.get(best).size()) {
                best = e.getKey();
            }
        }
        return best;
    }

    private int fullestReader() {
        int best = -1;
        for (Map.Entry<Integer, Set<String>> e : assigned.entrySet()) {
            if (best < 0 || e.getValue().size() > assigned.get(best).size()) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static void closeQuietly(TargetDiscovery d) {
        try {
            d.close();
        } catch (Exception e) {
            LOG.warn("Closing target discovery failed", e);
        }
    }
}
