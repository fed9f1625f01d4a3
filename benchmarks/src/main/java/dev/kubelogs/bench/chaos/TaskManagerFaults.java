package dev.kubelogs.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.launcher.cluster.JvmProcess;
import dev.kubelogs.launcher.cluster.LocalFlinkCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TaskManager faults of a drill: tm-kill (kill -9, started again 5 s later) and tm-lost (killed for good, or
 * replaced after 30 s). Both pick a TaskManager not lost yet; tm-lost one whose slots the job uses. Callers that
 * change the cluster's processes hold its lock, as these do.
 */
final class TaskManagerFaults {
    private static final Pattern RESOURCE_ID = Pattern.compile("taskmanager-(\\d+)-.*");

    private final LocalFlinkCluster cluster;
    private final TmLostMode lostMode;
    private final Supplier<String> jobStatus;
    /** TaskManagers killed for good by tm-lost (indexes); a tm-kill then hits another one. */
    private final Set<Integer> lost = ConcurrentHashMap.newKeySet();

    TaskManagerFaults(LocalFlinkCluster cluster, TmLostMode lostMode, Supplier<String> jobStatus) {
        this.cluster = cluster;
        this.lostMode = lostMode;
        this.jobStatus = jobStatus;
    }

    /** tm-kill: kill -9, and the same TaskManager started again 5 s later unless a tm-lost took it meanwhile. */
    String kill(Schedule.Fault f) throws Exception {
        int target = liveTaskManager(f.target());
        synchronized (cluster) {
            cluster.state().taskManagers().get(target).kill(Duration.ofSeconds(30));
        }
        Thread.sleep(5_000);
        synchronized (cluster) {
            if (lost.contains(target)) {
                return "taskmanager-" + (target + 1) + " was lost meanwhile: not started again";
            }
            cluster.startTaskManager(target);
        }
        return target == f.target()
                ? ""
                : "taskmanager-" + (f.target() + 1) + " was lost: hit taskmanager-" + (target + 1);
    }

    /**
     * tm-lost: a TaskManager with tasks killed for good. With {@link TmLostMode#CONTINUE} the job goes on with the
     * slots left; with {@link TmLostMode#WAIT} it has too few slots: what it shows meanwhile is noted, and after 30 s a
     * replacement TaskManager joins.
     */
    String lose(Schedule.Fault f) throws Exception {
        int target;
        synchronized (cluster) {
            target = busyTaskManager(f.target());
            lost.add(target);
            cluster.state().taskManagers().get(target).kill(Duration.ofSeconds(30));
        }
        String name = "taskmanager-" + (target + 1);
        // the table's target column is the schedule's: say so when another one was hit
        String hit = target == f.target()
                ? ""
                : "taskmanager-" + (f.target() + 1) + " had no tasks or was lost: hit " + name + "; ";
        if (lostMode == TmLostMode.CONTINUE) {
            long left = cluster.state().taskManagers().stream()
                    .filter(JvmProcess::alive)
                    .count();
            return hit + name + " lost for good; " + left + " TaskManagers left";
        }
        Set<String> shown = new LinkedHashSet<>();
        long end = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < end) {
            shown.add(jobStatus.get());
            Thread.sleep(1_000);
        }
        synchronized (cluster) {
            cluster.startTaskManager(target);
            lost.remove(target);
        }
        return hit + name + " lost; while it waited the job showed " + String.join(" → ", shown)
                + "; then a replacement joined";
    }

    private int liveTaskManager(int preferred) {
        return firstNotLost(preferred, cluster.state().taskManagers().size(), lost);
    }

    /**
     * The TaskManager whose slots the job uses, from {@code preferred} on; a TaskManager without tasks would make a weak
     * fault. Falls back to {@link #liveTaskManager} while the REST API does not answer.
     */
    private int busyTaskManager(int preferred) {
        Set<Integer> busy;
        try {
            busy = busyIndexes(cluster.rest().taskManagers());
        } catch (IOException e) {
            return liveTaskManager(preferred);
        }
        int n = cluster.state().taskManagers().size();
        for (int i = 0; i < n; i++) {
            int candidate = (preferred + i) % n;
            if (busy.contains(candidate)
                    && !lost.contains(candidate)
                    && cluster.state().taskManagers().get(candidate).alive()) {
                return candidate;
            }
        }
        return liveTaskManager(preferred);
    }

    /** The first of {@code n} TaskManagers from {@code preferred} on (wrapping) that is not lost. */
    static int firstNotLost(int preferred, int n, Set<Integer> lost) {
        for (int i = 0; i < n; i++) {
            int candidate = (preferred + i) % n;
            if (!lost.contains(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("every TaskManager was lost");
    }

    /**
     * Indexes of the TaskManagers with a slot in use, from the REST API's list: each is named by the resource id the
     * cluster gives it, {@code taskmanager-N-…} (N from 1).
     */
    static Set<Integer> busyIndexes(JsonNode taskManagers) {
        Set<Integer> busy = new HashSet<>();
        for (JsonNode tm : taskManagers) {
            Matcher m = RESOURCE_ID.matcher(tm.path("id").asText());
            if (m.matches()
                    && tm.path("slotsNumber").asInt() > tm.path("freeSlots").asInt()) {
                busy.add(Integer.parseInt(m.group(1)) - 1);
            }
        }
        return busy;
    }
}
