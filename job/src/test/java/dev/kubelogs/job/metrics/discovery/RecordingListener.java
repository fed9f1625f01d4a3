package dev.kubelogs.job.metrics.discovery;

import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Keeps the latest targets per (job, source) and lets a test wait, with a deadline, for a state it expects. */
final class RecordingListener implements TargetListener {
    private final Map<String, List<ScrapeTarget>> bySource = new HashMap<>();
    private final Duration timeout;
    private int calls;

    RecordingListener() {
        this(Duration.ofSeconds(30));
    }

    RecordingListener(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public synchronized void targetsChanged(String jobName, String sourceKey, List<ScrapeTarget> targets) {
        calls++;
        if (targets.isEmpty()) {
            bySource.remove(jobName + " " + sourceKey);
        } else {
            bySource.put(jobName + " " + sourceKey, List.copyOf(targets));
        }
        notifyAll();
    }

    synchronized List<ScrapeTarget> source(String jobAndSource) {
        return bySource.getOrDefault(jobAndSource, List.of());
    }

    synchronized Map<String, List<ScrapeTarget>> snapshot() {
        return new HashMap<>(bySource);
    }

    synchronized List<ScrapeTarget> all() {
        List<ScrapeTarget> all = new ArrayList<>();
        bySource.values().forEach(all::addAll);
        return all;
    }

    synchronized int calls() {
        return calls;
    }

    /** Waits until {@code condition} holds on the targets by source; fails with the last state at the timeout. */
    synchronized void await(String what, Predicate<Map<String, List<ScrapeTarget>>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(bySource)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what + "; targets now: " + bySource);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * Waits until {@code condition} holds, for state that does not notify this listener: checks again every 20 ms
     * until the timeout.
     */
    synchronized void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            wait(20);
        }
    }
}
