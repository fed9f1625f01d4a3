package dev.kubelogs.launcher;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsFatalException;
import dev.kubelogs.job.sink.cloudwatch.DeliveryStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.util.ExceptionUtils;

/**
 * Waits for the demo's job to deliver everything. Every two seconds it prints what is waiting and, while delivery
 * fails, since when and the last error ({@link DeliveryStatus#ofThisJvm()}: the job runs on a MiniCluster in this
 * JVM). It gives up, cancelling the job (its last checkpoint is retained for {@code --resume}), once no put has
 * succeeded for {@code giveUpAfter} since the job started or since the last successful put.
 */
final class DemoDeliveryWatch {
    private static final long PRINT_EVERY_MILLIS = 2_000;

    /** How the wait ended. */
    enum Result {
        DELIVERED,
        FAILED,
        GAVE_UP
    }

    /** The result and, unless delivered, one line saying why. */
    record Outcome(Result result, String reason) {}

    private final JobClient job;
    private final long jobStartedMillis;
    private final Duration giveUpAfter;
    /** Events stored in the embedded endpoint, or null for a remote one. */
    private final LongSupplier delivered;

    private final PrintStream out;

    DemoDeliveryWatch(
            JobClient job, long jobStartedMillis, Duration giveUpAfter, LongSupplier delivered, PrintStream out) {
        this.job = job;
        this.jobStartedMillis = jobStartedMillis;
        this.giveUpAfter = giveUpAfter;
        this.delivered = delivered;
        this.out = out;
    }

    /** True once the job has ended (delivered, or failed); the demo then stops generating. */
    boolean jobEnded() {
        return job.getJobExecutionResult().isDone();
    }

    Outcome await() throws InterruptedException {
        long lastPrint = System.currentTimeMillis();
        while (true) {
            try {
                job.getJobExecutionResult().get(250, TimeUnit.MILLISECONDS);
                return new Outcome(Result.DELIVERED, null);
            } catch (ExecutionException e) {
                return new Outcome(Result.FAILED, reasonOf(e));
            } catch (TimeoutException stillRunning) {
                // check the bound and print below
            }
            DeliveryStatus status = DeliveryStatus.ofThisJvm();
            long now = System.currentTimeMillis();
            long quietMillis = now
                    - Math.max(
                            jobStartedMillis,
                            status.lastSuccess() == null
                                    ? 0
                                    : status.lastSuccess().toEpochMilli());
            if (quietMillis >= giveUpAfter.toMillis()) {
                cancel();
                return new Outcome(
                        Result.GAVE_UP,
                        "no successful put for " + format(Duration.ofMillis(quietMillis))
                                + " (--give-up-after " + format(giveUpAfter) + ")"
                                + (status.lastError() == null ? "" : "; last error: " + status.lastError()));
            }
            if (now - lastPrint >= PRINT_EVERY_MILLIS) {
                lastPrint = now;
                out.println("  waiting: " + statusLine(status, now, delivered == null ? -1 : delivered.getAsLong())
                        + " | giving up in " + format(Duration.ofMillis(giveUpAfter.toMillis() - quietMillis)));
            }
        }
    }

    /** "N events not yet stored | delivered M | last put ok T ago | FAILING for T (n attempts): error". */
    static String statusLine(DeliveryStatus s, long nowMillis, long delivered) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%,d events not yet stored", s.eventsWaiting()));
        if (delivered >= 0) {
            b.append(String.format(Locale.ROOT, " | delivered %,d", delivered));
        }
        b.append(" | last successful put ")
                .append(
                        s.lastSuccess() == null
                                ? "none yet"
                                : format(Duration.ofMillis(
                                                nowMillis - s.lastSuccess().toEpochMilli())) + " ago");
        if (s.failing()) {
            b.append(" | FAILING for ")
                    .append(format(
                            Duration.ofMillis(nowMillis - s.failingSince().toEpochMilli())))
                    .append(" (")
                    .append(s.failedAttempts())
                    .append(" attempts): ")
                    .append(s.lastError());
        }
        return b.toString();
    }

    /** The sink's one line for an unhealable CloudWatch failure, else the innermost cause. */
    static String reasonOf(Throwable jobFailure) {
        return ExceptionUtils.findThrowable(jobFailure, CloudWatchLogsFatalException.class)
                .map(Throwable::getMessage)
                .orElseGet(() -> {
                    Throwable root = jobFailure;
                    while (root.getCause() != null && root.getCause() != root) {
                        root = root.getCause();
                    }
                    return "the job failed: " + root;
                });
    }

    /**
     * Asks the job to stop and waits a little for it; a committer in the middle of a retry may take longer, and then
     * the job simply ends with this command (the checkpoints on disk stay either way).
     */
    private void cancel() throws InterruptedException {
        try {
            job.cancel().get(10, TimeUnit.SECONDS);
            job.getJobExecutionResult().handle((r, t) -> null).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            out.println("  (the job is still stopping; it ends with this command)");
        }
    }

    static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + " s" : String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
}
