package dev.kubelogs.bench.chaos;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The faults the drill injects. Each names what it hits and how the pipeline should get over it. */
public enum FaultKind {
    TM_KILL("tm-kill", Target.TASK_MANAGER, "kill -9 of a TaskManager, started again 5 s later"),
    TM_LOST(
            "tm-lost",
            Target.TASK_MANAGER,
            "kill -9 of a TaskManager running tasks that does not come back: the job goes on with the slots left "
                    + "(--tm-lost continue), or waits with a clear status until a replacement TaskManager joins "
                    + "(--tm-lost wait)"),
    JM_KILL(
            "jm-kill",
            Target.NONE,
            "kill -9 of the JobManager, started again 3 s later; ZooKeeper HA recovers the job from its last "
                    + "checkpoint"),
    COLLECTOR_KILL("collector-kill", Target.COLLECTOR, "kill -9 of a collector, started again 2 s later"),
    COLLECTOR_TERM(
            "collector-term",
            Target.COLLECTOR,
            "SIGTERM of a collector (the pod's stop: close the open segment, commit offsets), started again 2 s later"),
    THROTTLE("throttle", Target.NONE, "the endpoint answers the next 20 PutLogEvents with ThrottlingException"),
    UNAVAILABLE("5xx", Target.NONE, "the endpoint answers the next 10 PutLogEvents with 503"),
    DROP_ANSWER(
            "drop-answer",
            Target.NONE,
            "the endpoint stores the next 3 PutLogEvents and closes the connection without an answer"),
    STALL(
            "stall",
            Target.NONE,
            "the endpoint stores the next PutLogEvents and answers after 35 s, past the sink's 30 s call timeout"),
    SAVEPOINT_RESTORE(
            "savepoint-restore",
            Target.NONE,
            "stop-with-savepoint, then the jar runs again from the savepoint (an upgrade)"),
    SPOOL_FULL(
            "spool-full",
            Target.NONE,
            "every TaskManager frozen (SIGSTOP) until every collector's spool reached its limit and the collector "
                    + "paused tailing, then resumed (back-pressure, nothing dropped)");

    /** What a fault of this kind picks one of. */
    enum Target {
        NONE,
        TASK_MANAGER,
        COLLECTOR
    }

    private final String id;
    private final Target target;
    private final String description;

    FaultKind(String id, Target target, String description) {
        this.id = id;
        this.target = target;
        this.description = description;
    }

    public String id() {
        return id;
    }

    Target target() {
        return target;
    }

    public String description() {
        return description;
    }

    /** Kills or stops a Flink process, or replaces the job: recovered once the job runs and checkpoints again. */
    boolean hitsFlink() {
        return this == TM_KILL || this == TM_LOST || this == JM_KILL || this == SPOOL_FULL || this == SAVEPOINT_RESTORE;
    }

    boolean hitsEndpoint() {
        return this == THROTTLE || this == UNAVAILABLE || this == DROP_ANSWER || this == STALL;
    }

    /** Parses {@code all} or a comma-separated list of ids. */
    public static List<FaultKind> parse(String spec) {
        if (spec.trim().equalsIgnoreCase("all")) {
            return List.of(values());
        }
        return Arrays.stream(spec.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(FaultKind::byId)
                .toList();
    }

    static FaultKind byId(String id) {
        for (FaultKind k : values()) {
            if (k.id.equals(id.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + id + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(FaultKind::id).toList()) + ", all");
    }
}
