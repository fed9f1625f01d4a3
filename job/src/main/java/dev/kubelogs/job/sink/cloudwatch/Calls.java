package dev.kubelogs.job.sink.cloudwatch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Waits for an async CloudWatch Logs call. */
final class Calls {
    private Calls() {}

    /** The call's result; an interrupt while waiting cancels the call, so a cancelled task leaves nothing behind. */
    static <T> T join(CompletableFuture<T> call) throws ExecutionException, InterruptedException {
        try {
            return call.get();
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        }
    }
}
