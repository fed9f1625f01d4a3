package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ServiceUnavailableException;

/** Every fault mode as the SDK v2 client sees it, armed in-process (armed over HTTP: AdminApiTest). */
class FaultsTest extends EndpointTestBase {
    @BeforeEach
    void target() {
        createGroupAndStream("g", "s");
        cw.faults().resetCounters();
    }

    @Test
    void throttledCallsAreThrottlingExceptionsAndStoreNothing() {
        cw.faults().throttle("PutLogEvents", 2);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "throttled")))
                    .isInstanceOf(CloudWatchLogsException.class)
                    .satisfies(e -> {
                        CloudWatchLogsException c = (CloudWatchLogsException) e;
                        assertThat(c.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                        assertThat(c.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
                        assertThat(c.statusCode()).isEqualTo(400);
                        assertThat(c.isThrottlingException())
                                .as("SDK classifies it as throttling")
                                .isTrue();
                    });
            logs.describeLogGroups(); // other operations are not affected
        }
        put("g", "s", ev(NOW_MS, "ok"));
        assertThat(storedMessages("g", "s")).containsExactly("ok");
        assertThat(cw.faults().calls("PutLogEvents")).isEqualTo(3);
        assertThat(cw.faults().calls("DescribeLogGroups")).isEqualTo(2);
        assertThat(cw.faults().injected(Faults.Kind.THROTTLE)).isEqualTo(2);
        assertThat(cw.faults().pending()).isZero();
    }

    @Test
    void theSdkRetriesThrottlingWithItsThrottlingBackoff() {
        RetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(3)
                .backoffStrategy(BackoffStrategy.retryImmediately())
                .throttlingBackoffStrategy(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(300)))
                .build();
        try (CloudWatchLogsClient retrying = client(cw.endpoint(), c -> c.retryStrategy(retries))) {
            cw.faults().throttle("PutLogEvents", 2);
            long t0 = System.nanoTime();
            retrying.putLogEvents(b -> b.logGroupName("g").logStreamName("s").logEvents(ev(NOW_MS, "third time")));
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(elapsedMs).as("two throttling back-offs of 300 ms").isGreaterThanOrEqualTo(600);
            assertThat(cw.faults().calls("PutLogEvents")).isEqualTo(3);

            // 5xx is retried too: the retried call is stored once, because the faulted attempts stored nothing
            cw.faults().unavailable("PutLogEvents", 2, 503);
            retrying.putLogEvents(b -> b.logGroupName("g").logStreamName("s").logEvents(ev(NOW_MS, "after 503s")));
            assertThat(cw.faults().calls("PutLogEvents")).isEqualTo(6);
            assertThat(storedMessages("g", "s")).containsExactly("third time", "after 503s");

            // a dropped response makes the SDK resend a batch that was stored: the duplicate the sink must avoid
            cw.faults().dropResponses(1);
            retrying.putLogEvents(b -> b.logGroupName("g").logStreamName("s").logEvents(ev(NOW_MS, "twice")));
            assertThat(storedMessages("g", "s")).containsExactly("third time", "after 503s", "twice", "twice");
        }
    }

    @Test
    void unavailableCallsAreServiceUnavailableAndStoreNothing() {
        cw.faults().unavailable("PutLogEvents", 1, 503).unavailable("PutLogEvents", 1, 500);
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "x")))
                .isInstanceOf(ServiceUnavailableException.class)
                .satisfies(
                        e -> assertThat(((SdkServiceException) e).statusCode()).isEqualTo(503));
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "x")))
                .isInstanceOf(ServiceUnavailableException.class)
                .satisfies(
                        e -> assertThat(((SdkServiceException) e).statusCode()).isEqualTo(500));
        cw.faults().unavailable(1); // any operation
        assertThatThrownBy(() -> logs.describeLogGroups()).isInstanceOf(ServiceUnavailableException.class);
        assertThat(cw.events("g", "s")).isEmpty();
        put("g", "s", ev(NOW_MS, "ok"));
        assertThat(storedMessages("g", "s")).containsExactly("ok");
        assertThat(cw.faults().injected(Faults.Kind.UNAVAILABLE)).isEqualTo(3);
        assertThatThrownBy(() -> cw.faults().unavailable("PutLogEvents", 1, 502))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDroppedResponseStoresTheEventsButTheClientSeesAnIoError() {
        cw.faults().dropResponses(1);
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "stored"), ev(NOW_MS + 1, "but unanswered")))
                .isInstanceOf(SdkClientException.class)
                .hasRootCauseInstanceOf(IOException.class);
        assertThat(storedMessages("g", "s")).containsExactly("stored", "but unanswered");
        put("g", "s", ev(NOW_MS + 2, "next call is fine"));
        assertThat(cw.events("g", "s")).hasSize(3);
        assertThat(cw.faults().injected(Faults.Kind.DROP_RESPONSE)).isEqualTo(1);
    }

    @Test
    void aDelayedResponseTimesOutOnTheClientAfterTheEventsWereStored() {
        try (CloudWatchLogsClient impatient =
                client(cw.endpoint(), c -> c.apiCallAttemptTimeout(Duration.ofMillis(300)))) {
            cw.faults().delayResponses(1, Duration.ofSeconds(30));
            assertThatThrownBy(() -> impatient.putLogEvents(b ->
                            b.logGroupName("g").logStreamName("s").logEvents(ev(NOW_MS, "stored before the timeout"))))
                    .isInstanceOf(ApiCallAttemptTimeoutException.class);
            assertThat(storedMessages("g", "s")).containsExactly("stored before the timeout");
            impatient.putLogEvents(b -> b.logGroupName("g").logStreamName("s").logEvents(ev(NOW_MS, "next")));
            assertThat(cw.events("g", "s")).hasSize(2);
            assertThat(cw.faults().injected(Faults.Kind.DELAY_RESPONSE)).isEqualTo(1);
        }
    }

    @Test
    void accessDeniedAndUnrecognizedClientAreTheServiceErrorsAndStoreNothing() {
        cw.faults()
                .accessDenied("PutLogEvents", 1)
                .unrecognizedClient(null, 1)
                .error("CreateLogStream", 1, 403, "AccessDeniedException", "no");
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "denied")))
                .isInstanceOf(CloudWatchLogsException.class)
                .satisfies(e -> {
                    CloudWatchLogsException c = (CloudWatchLogsException) e;
                    assertThat(c.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(c.awsErrorDetails().errorMessage())
                            .contains("not authorized to perform: logs:PutLogEvents");
                    assertThat(c.statusCode()).isEqualTo(400);
                });
        assertThatThrownBy(() -> logs.describeLogGroups()).satisfies(e -> {
            CloudWatchLogsException c = (CloudWatchLogsException) e;
            assertThat(c.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
            assertThat(c.awsErrorDetails().errorMessage()).startsWith("The security token included");
        });
        assertThatThrownBy(() -> logs.createLogStream(b -> b.logGroupName("g").logStreamName("s2")))
                .satisfies(e ->
                        assertThat(((CloudWatchLogsException) e).statusCode()).isEqualTo(403));
        assertThat(storedMessages("g", "s")).isEmpty();
        assertThat(cw.faults().injected(Faults.Kind.ERROR)).isEqualTo(3);
        put("g", "s", ev(NOW_MS, "allowed again"));
        assertThat(storedMessages("g", "s")).containsExactly("allowed again");
    }

    @Test
    void aHungCallIsNeverAnsweredNorProcessed() {
        try (CloudWatchLogsClient impatient =
                client(cw.endpoint(), c -> c.apiCallAttemptTimeout(Duration.ofMillis(300)))) {
            cw.faults().hang("PutLogEvents", 1);
            assertThatThrownBy(() -> impatient.putLogEvents(
                            b -> b.logGroupName("g").logStreamName("s").logEvents(ev(NOW_MS, "never processed"))))
                    .isInstanceOf(ApiCallAttemptTimeoutException.class);
            assertThat(storedMessages("g", "s")).isEmpty();
            impatient.putLogEvents(b -> b.logGroupName("g").logStreamName("s").logEvents(ev(NOW_MS, "next")));
            assertThat(storedMessages("g", "s")).containsExactly("next");
            assertThat(cw.faults().injected(Faults.Kind.HANG)).isEqualTo(1);
        }
    }

    @Test
    void slowCallsWaitBeforeTheyAreProcessed() {
        cw.faults().slow("PutLogEvents", Duration.ofMillis(250));
        long t0 = System.nanoTime();
        put("g", "s", ev(NOW_MS, "slow"));
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(250);
        logs.describeLogGroups();
        assertThat(cw.faults().injected(Faults.Kind.SLOW)).isEqualTo(1);
        cw.faults().slow("PutLogEvents", Duration.ZERO);
        put("g", "s", ev(NOW_MS, "fast"));
        assertThat(cw.faults().injected(Faults.Kind.SLOW)).isEqualTo(1);
        assertThat(storedMessages("g", "s")).containsExactly("slow", "fast");
    }

    @Test
    void faultsMatchTheirOperationAndAreConsumedInArmingOrder() {
        cw.faults()
                .unavailable("DescribeLogStreams", 1, 503)
                .throttle("PutLogEvents", 1)
                .throttle(1);
        assertThat(cw.faults().pending()).isEqualTo(3);
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "x")))
                .satisfies(e -> assertThat(((CloudWatchLogsException) e).isThrottlingException())
                        .isTrue());
        assertThatThrownBy(() -> logs.describeLogStreams(b -> b.logGroupName("g")))
                .isInstanceOf(ServiceUnavailableException.class);
        assertThatThrownBy(() -> logs.describeLogGroups()) // the "any operation" throttle
                .satisfies(e -> assertThat(((CloudWatchLogsException) e).isThrottlingException())
                        .isTrue());
        assertThat(cw.faults().pending()).isZero();
        logs.describeLogStreams(b -> b.logGroupName("g"));
        assertThatThrownBy(() -> cw.faults().throttle("PutLogEvent", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PutLogEvents");
        cw.faults().throttle(5).slow(Duration.ofSeconds(1));
        cw.faults().clear();
        assertThat(cw.faults().pending()).isZero();
        logs.describeLogGroups();
    }

    @Test
    void concurrentCallersConsumeExactlyTheArmedCount() throws Exception {
        cw.faults().throttle("PutLogEvents", 50);
        AtomicInteger throttled = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        try {
                            put("g", "s", ev(NOW_MS, thread + "-" + i));
                            stored.incrementAndGet();
                        } catch (CloudWatchLogsException e) {
                            assertThat(e.isThrottlingException()).isTrue();
                            throttled.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(throttled.get()).isEqualTo(50);
        assertThat(stored.get()).isEqualTo(150);
        assertThat(cw.events("g", "s")).hasSize(150);
        assertThat(cw.faults().calls("PutLogEvents")).isEqualTo(200);
        assertThat(cw.faults().awaitCalls("PutLogEvents", 200, Duration.ZERO)).isTrue();
        assertThat(cw.faults().awaitCalls("PutLogEvents", 201, Duration.ofMillis(20)))
                .isFalse();
    }
}
