package dev.kubelogs.job.metrics;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.util.function.SupplierWithException;

/** Waiting on a condition with a deadline, for the metrics pipeline's end-to-end tests. */
public final class Await {
    private Await() {}

    /** Waits until {@code condition} holds, checking every 100 ms; fails naming {@code what} after {@code deadline}. */
    public static void until(String what, Duration deadline, SupplierWithException<Boolean, Exception> condition)
            throws Exception {
        try {
            CommonTestUtils.waitUntilCondition(condition, 100L, (int) Math.max(1, deadline.toMillis() / 100));
        } catch (TimeoutException e) {
            throw new AssertionError("not within " + deadline + ": " + what, e);
        }
    }
}
