package dev.kubelogs.job.metrics.scrape;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task at an exchange's deadline unless the exchange ended first, with one timer task for all of them: the
 * timer is scheduled for the earliest deadline not yet cancelled and moved only when a new deadline comes before it.
 * Exchanges nearly always end long before their deadline, and one after the other get deadlines later than those
 * already waiting, so scheduling and cancelling a task on the executor for each one woke its thread twice per
 * exchange (a new task at the head of its queue, and the wake-up for a task cancelled since); here it wakes about
 * once per timeout. A task runs when its deadline is due, as the executor would run it.
 *
 * <p>A cancelled deadline stays queued until it reaches the head of the queue, where the next deadline added or the
 * timer's run drops it: exchanges end in about the order they began, so the queue holds about the exchanges in flight,
 * and at most those that began within the longest timeout.
 */
final class DeadlineTimer {
    private static final Logger LOG = LoggerFactory.getLogger(DeadlineTimer.class);

    private final ScheduledExecutorService executor;
    private final PriorityQueue<Deadline> queue = new PriorityQueue<>((a, b) -> Long.compare(a.atNanos - b.atNanos, 0));

    /** When the timer task is scheduled to run; meaningful while {@link #timerScheduled}. */
    private long timerAtNanos;

    private boolean timerScheduled;

    /** @param executor runs the timer; its shutdown ends the timer */
    DeadlineTimer(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** A task to run at a deadline, unless {@link #cancel()}led first. */
    static final class Deadline {
        final long atNanos;
        final Runnable task;
        private volatile boolean cancelled;

        Deadline(long atNanos, Runnable task) {
            this.atNanos = atNanos;
            this.task = task;
        }

        /** The exchange ended: the task does not run unless it is running already. */
        void cancel() {
            cancelled = true;
        }

        boolean isCancelled() {
            return cancelled;
        }
    }

    /** Runs {@code task} after {@code delayMs} unless the returned deadline is cancelled first. */
    Deadline schedule(long delayMs, Runnable task) {
        long now = System.nanoTime();
        Deadline deadline = new Deadline(now + TimeUnit.MILLISECONDS.toNanos(delayMs), task);
        synchronized (queue) {
            dropCancelledHead();
            queue.add(deadline);
            if (!timerScheduled || deadline.atNanos - timerAtNanos < 0) {
                scheduleTimer(deadline.atNanos, now);
            }
        }
        return deadline;
    }

    /** Deadlines queued, cancelled ones not yet dropped included. */
    int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private void dropCancelledHead() {
        while (!queue.isEmpty() && queue.peek().isCancelled()) {
            queue.poll();
        }
    }

    /** Schedules the timer for {@code atNanos}; a timer scheduled before for later runs, finds nothing due and returns. */
    private void scheduleTimer(long atNanos, long now) {
        try {
            executor.schedule(this::runDue, Math.max(0, atNanos - now), TimeUnit.NANOSECONDS);
            timerScheduled = true;
            timerAtNanos = atNanos;
        } catch (RejectedExecutionException shutDown) {
            // the clients are closing: every connection is closed, so no exchange outlives them
        }
    }

    /** The timer: runs the deadlines due and schedules itself for the next one not cancelled. */
    private void runDue() {
        List<Deadline> due = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (queue) {
            if (timerScheduled && timerAtNanos - now > 0) {
                return; // an earlier run; the timer is scheduled for later
            }
            timerScheduled = false;
            while (!queue.isEmpty()) {
                Deadline head = queue.peek();
                if (head.isCancelled()) {
                    queue.poll();
                } else if (head.atNanos - now <= 0) {
                    due.add(queue.poll());
                } else {
                    scheduleTimer(head.atNanos, now);
                    break;
                }
            }
        }
        for (Deadline d : due) {
            if (!d.isCancelled()) {
                try {
                    d.task.run();
                } catch (RuntimeException e) {
                    // the others due with it still run
                    LOG.error("Ending an exchange at its deadline failed", e);
                }
            }
        }
    }
}
