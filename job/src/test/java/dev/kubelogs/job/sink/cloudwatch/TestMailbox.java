package dev.kubelogs.job.sink.cloudwatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * A task's mailbox run by hand, with its processing-time timers: {@link #yield()} runs the next mail, or, when there is
 * none, lets time pass to the timers registered (as a task's mailbox would wake for its next timer); with neither it
 * fails, since a task's thread would block there for good.
 */
final class TestMailbox extends CloudWatchLogsSinkWriterTest.ManualTime implements MailboxExecutor {
    private final Deque<ThrowingRunnable<? extends Exception>> mails = new ArrayDeque<>();
    int mailsRun;
    int timersFired;

    @Override
    public void execute(
            MailOptions options,
            ThrowingRunnable<? extends Exception> command,
            String descriptionFormat,
            Object... descriptionArgs) {
        mails.add(command);
    }

    @Override
    public void yield() throws InterruptedException {
        if (!tryYield()) {
            if (timers.isEmpty()) {
                throw new IllegalStateException("the task would wait for good: no mail and no timer");
            }
            List<ProcessingTimeCallback> due = new ArrayList<>(timers);
            timers.clear();
            for (ProcessingTimeCallback t : due) {
                timersFired++;
                run(() -> t.onProcessingTime(0));
            }
        }
    }

    @Override
    public boolean tryYield() {
        ThrowingRunnable<? extends Exception> mail = mails.poll();
        if (mail == null) {
            return false;
        }
        mailsRun++;
        run(mail);
        return true;
    }

    private static void run(ThrowingRunnable<? extends Exception> r) {
        try {
            r.run();
        } catch (Exception e) {
            throw new FlinkRuntimeException(e);
        }
    }

    @Override
    public boolean shouldInterrupt() {
        return false;
    }
}
