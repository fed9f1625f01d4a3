package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;

class CallsTest {

    @Test
    void returnsTheResultOrTheFailureAsTheCauseOfAnExecutionException() throws Exception {
        assertThat(Calls.call(() -> "ok")).isEqualTo("ok");
        SdkClientException reset = SdkClientException.create("Unable to execute HTTP request: reset");
        assertThatThrownBy(() -> Calls.call(() -> {
                    throw reset;
                }))
                .isInstanceOf(ExecutionException.class)
                .hasCause(reset);
    }

    @Test
    void anInterruptBeforeTheCallSkipsIt() {
        AtomicBoolean called = new AtomicBoolean();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Calls.call(() -> called.getAndSet(true))).isInstanceOf(InterruptedException.class);
            assertThat(called).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aCallTheSdkAbortedForAnInterruptEndsAsInterrupted() {
        try {
            assertThatThrownBy(() -> Calls.call(() -> {
                        // what the SDK does when the thread is interrupted during a call
                        Thread.currentThread().interrupt();
                        throw AbortedException.create("Thread was interrupted", new InterruptedException());
                    }))
                    .isInstanceOf(InterruptedException.class)
                    .hasCauseInstanceOf(AbortedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anAbortWithoutAnInterruptIsAFailure() {
        assertThatThrownBy(() -> Calls.call(() -> {
                    throw AbortedException.create("aborted");
                }))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(AbortedException.class);
    }
}
