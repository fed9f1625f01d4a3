package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineTimerTest {
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    private final DeadlineTimer timer = new DeadlineTimer(executor);

    @AfterEach
    void shutDown() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void runsATaskNoSoonerThanItsDelay() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        long[] ranAfterNanos = new long[1];
        long start = System.nanoTime();

        timer.schedule(100, () -> {
            ranAfterNanos[0] = System.nanoTime() - start;
            ran.countDown();
        });

        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ranAfterNanos[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void aCancelledDeadlineDoesNotRunAndTheOthersDo() throws Exception {
        AtomicBoolean cancelledRan = new AtomicBoolean();
        CountDownLatch ran = new CountDownLatch(2);
        DeadlineTimer.Deadline cancelled = timer.schedule(50, () -> cancelledRan.set(true));
        timer.schedule(60, ran::countDown);
        timer.schedule(40, ran::countDown);
        cancelled.cancel();

        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        // the one at 60 ms ran, so the timer has taken every deadline before it from the queue, the cancelled one too
        assertThat(cancelledRan).isFalse();
        assertThat(timer.queued()).isZero();
    }

    @Test
    void aDeadlineEarlierThanThoseWaitingMovesTheTimer() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch early = new CountDownLatch(1);
        timer.schedule(TimeUnit.MINUTES.toMillis(10), () -> order.add("late"));
        long start = System.nanoTime();

        timer.schedule(50, () -> {
            order.add("early");
            early.countDown();
        });

        assertThat(early.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MINUTES.toNanos(10));
        assertThat(order).containsExactly("early");
        assertThat(timer.queued()).as("the late one still waits").isOne();
    }

    @Test
    void deadlinesAddedAfterEachOtherNeedOneTimerTaskAndEndedOnesAreDropped() {
        for (int i = 0; i < 1000; i++) {
            DeadlineTimer.Deadline d = timer.schedule(60_000, () -> {});
            assertThat(executor.getQueue())
                    .as("one timer task, however many deadlines")
                    .hasSize(1);
            d.cancel();
        }
        assertThat(timer.queued())
                .as("only the last ended one, dropped by the next deadline added")
                .isOne();
    }

    @Test
    void deadlinesDueTogetherAllRun() throws Exception {
        CountDownLatch ran = new CountDownLatch(20);
        for (int i = 0; i < 20; i++) {
            timer.schedule(30, ran::countDown);
        }
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(timer.queued()).isZero();
    }

    @Test
    void aTaskThatThrowsDoesNotKeepTheOthersDueFromRunning() throws Exception {
        CountDownLatch ran = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        // the timer's thread is held until all three are due, so one run of the timer finds them together
        executor.execute(() -> awaitQuietly(release));
        timer.schedule(0, ran::countDown);
        timer.schedule(0, () -> {
            throw new IllegalStateException("broken on purpose");
        });
        timer.schedule(0, ran::countDown);
        release.countDown();

        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aDeadlineAfterShutdownIsNotAnError() {
        executor.shutdownNow();
        AtomicBoolean ran = new AtomicBoolean();

        DeadlineTimer.Deadline d = timer.schedule(10, () -> ran.set(true));

        assertThat(d.isCancelled()).isFalse();
        assertThat(ran).isFalse();
    }
}
