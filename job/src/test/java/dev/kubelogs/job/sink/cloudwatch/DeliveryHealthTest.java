package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier.Kind;
import java.net.ConnectException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

class DeliveryHealthTest {
    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void logsOneWarnWhenDeliveryStartsFailingAndOneInfoWhenItWorksAgain() {
        try (LogCapture log = LogCapture.of(DeliveryHealth.class, Level.INFO);
                DeliveryHealth h = new DeliveryHealth("CloudWatch Logs committer 0", now::get)) {
            h.waiting(42);
            for (int i = 0; i < 5; i++) {
                h.failed("PutLogEvents g/s", Kind.NETWORK, new ConnectException("Connection refused"));
                now.addAndGet(2_000);
            }
            h.delivered();
            h.delivered();

            assertThat(log.at("WARN"))
                    .containsExactly("WARN CloudWatch Logs committer 0: PutLogEvents g/s failed "
                            + "(NETWORK: ConnectException: Connection refused); retrying with backoff, 42 events waiting; "
                            + "the next line comes when delivery works again");
            assertThat(log.at("INFO"))
                    .containsExactly(
                            "INFO CloudWatch Logs committer 0: delivering again after 5 failed attempts over 10.0 s");
        }
    }

    @Test
    void theStatusAndGaugesTrackSuccessFailuresAndWaitingEvents() {
        try (DeliveryHealth h = new DeliveryHealth("writer 0", now::get)) {
            now.addAndGet(500);
            assertThat(h.millisSinceLastSuccess())
                    .as("since the start before any success")
                    .isEqualTo(500);
            assertThat(h.lastErrorKind()).isEqualTo("none");
            h.delivered();
            h.waiting(10);
            now.addAndGet(3_000);
            h.failed("GetLogEvents g/s", Kind.THROTTLED, new RuntimeException("slow down"));
            h.failed("GetLogEvents g/s", Kind.SERVER_ERROR, new RuntimeException("503"));

            DeliveryStatus s = h.status();
            assertThat(s.failing()).isTrue();
            assertThat(s.failingSince()).isEqualTo(Instant.ofEpochMilli(1_003_500));
            assertThat(s.lastSuccess()).isEqualTo(Instant.ofEpochMilli(1_000_500));
            assertThat(s.failedAttempts()).isEqualTo(2);
            assertThat(s.lastError()).isEqualTo("GetLogEvents g/s: RuntimeException: 503");
            assertThat(s.eventsWaiting()).isEqualTo(10);
            assertThat(h.millisSinceLastSuccess()).isEqualTo(3_000);
            assertThat(h.lastErrorKind()).isEqualTo("SERVER_ERROR");
            h.waiting(-10);
            h.delivered();
            assertThat(h.status().failing()).isFalse();
            assertThat(h.failedAttempts()).isZero();
            assertThat(h.status().eventsWaiting()).isZero();
        }
    }

    @Test
    void theJvmViewCombinesPublishedInstancesAndForgetsClosedOnes() {
        DeliveryHealth writer = new DeliveryHealth("writer 0", now::get).publish();
        DeliveryHealth committer = new DeliveryHealth("committer 0", now::get).publish();
        try {
            writer.waiting(7);
            committer.waiting(100);
            committer.delivered();
            now.addAndGet(1_000);
            committer.failed("PutLogEvents g/s", Kind.NETWORK, new ConnectException("Connection refused"));

            DeliveryStatus s = DeliveryStatus.ofThisJvm();
            assertThat(s.eventsWaiting()).isEqualTo(107);
            assertThat(s.failing()).isTrue();
            assertThat(s.lastError()).isEqualTo("PutLogEvents g/s: ConnectException: Connection refused");
            assertThat(s.lastSuccess()).isEqualTo(Instant.ofEpochMilli(1_000_000));
            committer.close();
            assertThat(DeliveryStatus.ofThisJvm().eventsWaiting()).isEqualTo(7);
            assertThat(DeliveryStatus.ofThisJvm().failing()).isFalse();
        } finally {
            writer.close();
            committer.close();
        }
    }
}
