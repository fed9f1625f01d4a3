package dev.kubelogs.bench.chaos;

/**
 * What the job does when a TaskManager never comes back ({@code tm-lost}): a Flink cluster without a resource manager
 * that replaces lost TaskManagers either has slots to spare or waits for the operator to add one.
 */
public enum TmLostMode {
    /** Spare TaskManagers (one per tm-lost fault) and parallelism 2: the job goes on with the slots left. */
    CONTINUE,
    /**
     * Two TaskManagers and a job on all their slots: after a loss the job cannot run; its state is reported while it
     * waits, until a replacement TaskManager joins 30 s later (as Kubernetes replaces a pod).
     */
    WAIT;

    /** TaskManagers to start for a schedule with {@code lost} tm-lost faults. */
    int taskManagers(int lost) {
        return this == CONTINUE ? 2 + lost : 2;
    }

    /** The job's parallelism on {@code taskManagers} with 2 slots each. */
    int parallelism(int taskManagers) {
        return this == CONTINUE ? 2 : 2 * taskManagers;
    }
}
