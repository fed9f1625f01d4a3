package dev.kubelogs.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/** The harness thread that samples a bench's CPU bill while its job runs (the sink and metrics benches). */
final class BillSampler {
    private BillSampler() {}

    /**
     * A harness thread (not billed, named {@code name}) that samples the bill every 250 ms until the job is done:
     * keeps the first sample that opens the steady-state window, and keeps thread CPU current so threads that end
     * lose at most 250 ms.
     */
    static <B> Thread start(
            String name,
            java.util.function.Supplier<B> bill,
            CompletableFuture<?> done,
            java.util.function.Predicate<B> opensWindow,
            AtomicReference<B> windowStart) {
        Thread t = new Thread(
                () -> {
                    while (!done.isDone()) {
                        B b = bill.get();
                        if (windowStart.get() == null && opensWindow.test(b)) {
                            windowStart.set(b);
                        }
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
