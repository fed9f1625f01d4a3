package dev.kubelogs.job.sink.cloudwatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs per-stream work: the items of one stream strictly one after the other (single writer per stream, in
 * order), different streams concurrently on at most {@code maxConcurrentStreams} threads.
 */
final class StreamDispatcher implements AutoCloseable {

    /** Work on one item; returns its outcome. */
    interface Work<I, O> {
        O run(I item) throws Exception;
    }

    /** Outcome of one item: a value, an exception, or "skipped" because an earlier item of its stream failed. */
    static final class Outcome<O> {
        final O value;
        final Exception failure;
        final boolean skipped;

        Outcome(O value, Exception failure, boolean skipped) {
            this.value = value;
            this.failure = failure;
            this.skipped = skipped;
        }
    }

    private final int maxConcurrentStreams;
    private final String threadName;
    private ExecutorService executor;

    StreamDispatcher(int maxConcurrentStreams, String threadName) {
        this.maxConcurrentStreams = maxConcurrentStreams;
        this.threadName = threadName;
    }

    /**
     * Runs {@code work} on every item; items are grouped by stream key in the given order. Returns the outcomes
     * in the order of {@code items}. After a failure, the remaining items of that stream are skipped.
     */
    <I, O> List<Outcome<O>> run(List<I> items, java.util.function.Function<I, String> streamKey, Work<I, O> work)
            throws InterruptedException {
        Map<String, List<Integer>> byStream = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            byStream.computeIfAbsent(streamKey.apply(items.get(i)), k -> new ArrayList<>())
                    .add(i);
        }
        @SuppressWarnings("unchecked")
        Outcome<O>[] out = new Outcome[items.size()];
        if (byStream.size() <= 1 || maxConcurrentStreams <= 1) {
            for (List<Integer> idx : byStream.values()) {
                runStream(items, idx, work, out);
            }
        } else {
            List<Future<?>> futures = new ArrayList<>();
            ExecutorService ex = executor();
            for (List<Integer> idx : byStream.values()) {
                futures.add(ex.submit(() -> {
                    runStream(items, idx, work, out);
                    return null;
                }));
            }
            try {
                for (Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                for (Future<?> f : futures) {
                    f.cancel(true);
                }
                throw e;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InterruptedException) {
                    throw (InterruptedException) e.getCause();
                }
                throw new IllegalStateException("stream worker failed unexpectedly", e.getCause());
            }
        }
        List<Outcome<O>> result = new ArrayList<>(items.size());
        for (Outcome<O> o : out) {
            result.add(o);
        }
        return result;
    }

    private static <I, O> void runStream(List<I> items, List<Integer> idx, Work<I, O> work, Outcome<O>[] out)
            throws InterruptedException {
        boolean failed = false;
        for (int i : idx) {
            if (failed) {
                out[i] = new Outcome<>(null, null, true);
                continue;
            }
            try {
                out[i] = new Outcome<>(work.run(items.get(i)), null, false);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                out[i] = new Outcome<>(null, e, false);
                failed = true;
            }
        }
    }

    private synchronized ExecutorService executor() {
        if (executor == null) {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            executor = Executors.newFixedThreadPool(maxConcurrentStreams, tf);
        }
        return executor;
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
