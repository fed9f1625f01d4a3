package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class CallsTest {

    @Test
    void returnsTheResultOrTheFailure() throws Exception {
        assertThat(Calls.join(CompletableFuture.completedFuture("ok"))).isEqualTo("ok");
        assertThatThrownBy(() -> Calls.join(CompletableFuture.failedFuture(new IOException("reset"))))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void anInterruptWhileWaitingCancelsTheCall() {
        CompletableFuture<String> neverAnswered = new CompletableFuture<>();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Calls.join(neverAnswered)).isInstanceOf(InterruptedException.class);
            assertThat(neverAnswered.isCancelled()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
