package dev.kubelogs.job.sink.cloudwatch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.TaskInfo;

/**
 * The event bytes one sink subtask holds (UTF-8 message bytes + 26 per event, as PutLogEvents counts them): what its
 * writer buffered since the last barrier, and what it cut into committables that its committer has not stored yet.
 * The writer and the committer of a subtask are chained into one task, so they share one instance, found by the
 * sink's id, the subtask and its attempt. Both sides attach and release; the instance is forgotten when both did.
 */
final class HeldBytes implements AutoCloseable {
    private static final Map<String, HeldBytes> SHARED = new ConcurrentHashMap<>();

    private final String key;
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicLong cut = new AtomicLong();
    private int users;
    private boolean committerAttached;

    private HeldBytes(String key) {
        this.key = key;
    }

    /** The writer's side of the subtask {@code task} of the sink {@code sinkId}. */
    static HeldBytes writer(String sinkId, TaskInfo task) {
        return attach(sinkId, task, false);
    }

    /** The committer's side: with it attached, the writer may wait for the committer to store what it holds. */
    static HeldBytes committer(String sinkId, TaskInfo task) {
        return attach(sinkId, task, true);
    }

    /** Not shared: a writer or committer alone (tests that drive one side by hand). */
    static HeldBytes unshared() {
        HeldBytes h = new HeldBytes(null);
        h.users = 1;
        return h;
    }

    private static HeldBytes attach(String sinkId, TaskInfo task, boolean committer) {
        String key = sinkId + "/" + task.getIndexOfThisSubtask() + "/" + task.getAttemptNumber();
        HeldBytes h = SHARED.computeIfAbsent(key, HeldBytes::new);
        synchronized (h) {
            h.users++;
            h.committerAttached |= committer;
        }
        return h;
    }

    /** The writer buffered an event of {@code bytes}. */
    void buffered(long bytes) {
        buffered.addAndGet(bytes);
    }

    /** The writer cut everything it buffered into committables (at the barrier). */
    void cutAll() {
        cut.addAndGet(buffered.getAndSet(0));
    }

    /** The committer stored (or found already stored) a committable of {@code bytes} that this writer cut. */
    void stored(long bytes) {
        cut.accumulateAndGet(bytes, (held, done) -> Math.max(0, held - done));
    }

    /** Everything held: buffered and cut but not stored. */
    long total() {
        return buffered.get() + cut.get();
    }

    /** Cut into committables and not stored yet. */
    long cut() {
        return cut.get();
    }

    /** Whether a committer shares this instance, i.e. whether storing can bring {@link #cut()} down. */
    synchronized boolean committerAttached() {
        return committerAttached;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (--users > 0 || key == null) {
                return;
            }
        }
        SHARED.remove(key, this);
    }

    /** Instances shared now; for tests. */
    static int sharedCount() {
        return SHARED.size();
    }
}
