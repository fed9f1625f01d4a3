package dev.kubelogs.job.metrics.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WatchHealthTest {

    @Test
    void countsEveryErrorAndChangesStateOnlyOnTheFirstAndOnRecovery() {
        WatchHealth health = new WatchHealth("Pod in all namespaces");
        assertThat(health.failing()).isFalse();
        health.failed(new RuntimeException("connection refused", new java.io.IOException("refused")));
        health.failed(new RuntimeException("connection refused"));
        assertThat(health.failing()).isTrue();
        assertThat(health.errors()).isEqualTo(2);
        health.listed();
        assertThat(health.failing()).isFalse();
        assertThat(health.errors()).isEqualTo(2);
    }
}
