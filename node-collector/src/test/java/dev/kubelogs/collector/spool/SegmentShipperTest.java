package dev.kubelogs.collector.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shipping thread's loop: failures counted and reported once per kind, retries, idle, close. */
class SegmentShipperTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * A pass takes the next outcome the test scripted: {@code true}/{@code false} (shipped all or left some), or an
     * exception; with none scripted there is nothing to ship.
     */
    private static final class ScriptedShipper extends SegmentShipper {
        final Queue<Object> outcomes = new ConcurrentLinkedQueue<>();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger passes = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger newFailures = new AtomicInteger();
        volatile boolean clientClosed;

        ScriptedShipper() {
            super("test-segment-shipper");
        }

        @Override
        protected boolean shipPending() throws IOException {
            calls.incrementAndGet();
            Object next = outcomes.poll();
            if (next == null) {
                return true;
            }
            passes.incrementAndGet();
            if (next instanceof IOException e) {
                throw e;
            }
            boolean all = (Boolean) next;
            shipped("the test target");
            return all;
        }

        @Override
        protected String failure(Exception e) {
            return "put into the test target failed: " + e.getMessage();
        }

        @Override
        protected void countFailure() {
            failures.incrementAndGet();
        }

        @Override
        protected void countNewFailure() {
            newFailures.incrementAndGet();
        }

        @Override
        protected void closeClient() {
            clientClosed = true;
        }

        void pass(Object outcome) {
            outcomes.add(outcome);
            wake();
        }

        /** Scripts one pass and waits until the thread is through it: it has asked for the pass after it. */
        void passAndSettle(Object outcome) {
            int before = passes.get();
            pass(outcome);
            Await.until("the scripted pass", WAIT, () -> passes.get() > before);
            int through = calls.get();
            wake();
            Await.until("the pass after it", WAIT, () -> calls.get() > through);
        }
    }

    @Test
    void everyFailedPassIsCountedButOnlyAChangedProblemIsReportedAgain() {
        try (ScriptedShipper shipper = new ScriptedShipper()) {
            shipper.start();

            shipper.passAndSettle(new IOException("connection refused"));
            assertThat(shipper.failures).hasValue(1);
            assertThat(shipper.newFailures).hasValue(1);
            shipper.passAndSettle(new IOException("connection refused"));
            assertThat(shipper.failures).hasValue(2);
            assertThat(shipper.newFailures).hasValue(1);
            shipper.passAndSettle(new IOException("access denied"));
            assertThat(shipper.failures).hasValue(3);
            assertThat(shipper.newFailures).hasValue(2);

            // once a segment went out, the same problem again is news
            shipper.passAndSettle(true);
            shipper.passAndSettle(new IOException("access denied"));
            assertThat(shipper.failures).hasValue(4);
            assertThat(shipper.newFailures).hasValue(3);
        }
    }

    @Test
    void aPassThatLeavesSegmentsBehindIsRetriedWithoutAWake() throws InterruptedException {
        try (ScriptedShipper shipper = new ScriptedShipper()) {
            shipper.start();

            shipper.pass(false);
            Await.until("the pass that left segments behind", WAIT, () -> shipper.passes.get() == 1);
            int calls = shipper.calls.get();
            Await.until("a retry nobody asked for", WAIT, () -> shipper.calls.get() > calls);
            assertThat(shipper.awaitIdle(WAIT)).isTrue();
            assertThat(shipper.failures).hasValue(0);
        }
    }

    @Test
    void closeStopsTheThreadAndClosesTheClient() {
        ScriptedShipper shipper = new ScriptedShipper();
        shipper.start();
        shipper.pass(true);
        Await.until("the first pass", WAIT, () -> shipper.passes.get() == 1);

        shipper.close();

        assertThat(shipper.clientClosed).isTrue();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("test-segment-shipper") && t.isAlive());
    }
}
