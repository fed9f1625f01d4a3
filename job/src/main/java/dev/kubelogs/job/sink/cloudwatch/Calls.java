package dev.kubelogs.job.sink.cloudwatch;

import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.AbortedException;

/** Makes a CloudWatch Logs call on the calling thread. */
final class Calls {
    private Calls() {}

    /**
     * The call's result. Its failure comes back as the cause of an {@link ExecutionException}; an interrupt (before
     * the call, or one the SDK answered by aborting it) as an {@link InterruptedException}, the flag cleared. A call
     * blocked on its connection does not see an interrupt: it ends with its answer, its timeout, or when its client
     * is closed (as a cancelled committer closes it).
     */
    static <T> T call(Supplier<T> call) throws ExecutionException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before the call");
        }
        try {
            return call.get();
        } catch (AbortedException e) {
            if (Thread.interrupted()) {
                InterruptedException interrupted = new InterruptedException("interrupted during the call");
                interrupted.initCause(e);
                throw interrupted;
            }
            throw new ExecutionException(e);
        } catch (RuntimeException e) {
            throw new ExecutionException(e);
        }
    }
}
