package dev.kubelogs.collector.spool;

import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Ships the local spool's closed segments, in seq order, to where the job reads them (S3, a Kinesis stream) on a
 * thread of its own, and deletes each local copy once it is shipped: the local spool directory is only a buffer
 * while the target is unreachable, and its size limit applies back-pressure to tailing. A failed pass is retried
 * with a backoff doubling from 1 s to 30 s; a pass runs when a segment is published and every second.
 */
public abstract class SegmentShipper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentShipper.class);

    private final String threadName;
    private final Object lock = new Object();
    private boolean wakeRequested;
    private volatile boolean closed;
    private volatile boolean idle;
    private String lastProblem;
    private Thread thread;

    protected SegmentShipper(String threadName) {
        this.threadName = threadName;
    }

    /** Ships what is pending now; true when nothing local is left waiting. */
    protected abstract boolean shipPending() throws IOException;

    /** What a failed pass is reported as: the target and the error. */
    protected abstract String failure(Exception e);

    /** Counts one failed pass (its metric), every time. */
    protected abstract void countFailure();

    /** Counts a failure unlike the one before in the collector's error metric. */
    protected abstract void countNewFailure();

    /** Closes the client. */
    protected abstract void closeClient();

    /** The HTTP client of a shipper's SDK client: the JDK's connections, and a target that hangs fails the pass. */
    protected static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
    }

    protected final boolean closed() {
        return closed;
    }

    /** A segment went out: after failures, says once that shipping works again. */
    protected final void shipped(String where) {
        if (lastProblem != null) {
            LOG.info("shipping segments works again ({})", where);
            lastProblem = null;
        }
    }

    public void start() {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** A segment was published (or the sealed marker written). */
    public void wake() {
        synchronized (lock) {
            idle = false;
            wakeRequested = true;
            lock.notifyAll();
        }
    }

    /** True when nothing local is waiting to be shipped. */
    public boolean idle() {
        return idle;
    }

    /** Waits until nothing local is waiting to be shipped, at most {@code timeout}; true if so. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!idle && System.nanoTime() < deadline) {
                lock.wait(50); // the shipping thread sets idle without notifying: look again shortly
            }
        }
        return idle;
    }

    private void run() {
        long backoff = 1000;
        while (!closed) {
            boolean ok;
            try {
                ok = shipPending();
            } catch (RuntimeException | IOException e) {
                ok = false;
                problem(failure(e));
            }
            synchronized (lock) {
                if (ok) {
                    backoff = 1000;
                    if (!wakeRequested) {
                        idle = true;
                    }
                }
                long wait = ok ? 1000 : backoff;
                if (!wakeRequested) {
                    try {
                        lock.wait(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                wakeRequested = false;
            }
            if (!ok) {
                backoff = Math.min(30_000, backoff * 2);
            }
        }
    }

    private void problem(String message) {
        countFailure();
        if (!message.equals(lastProblem)) {
            lastProblem = message;
            LOG.warn("{}; segments stay in the local spool and are retried", message);
            countNewFailure();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeClient();
    }
}
