package dev.kubelogs.job.sink.cloudwatch.lean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier.Kind;
import dev.kubelogs.job.sink.cloudwatch.SinkEvent;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;

/**
 * Lean puts against the local CloudWatch-Logs-compatible endpoint, each compared with the SDK client's put of the same
 * body on the same HTTP client: what is stored, what is answered, and how each failure is classified.
 */
class LeanPutLogEventsTest {
    private static final String GROUP = "/lean/test";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    private static final AwsCredentialsProvider KEYS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private static LocalCloudWatchLogs endpoint;
    private static SdkAsyncHttpClient http;
    private static CloudWatchLogsAsyncClient sdk;
    private static LeanPutLogEvents lean;

    @BeforeAll
    static void start() {
        endpoint = LocalCloudWatchLogs.start(0, null);
        http = NettyNioAsyncHttpClient.builder().build();
        sdk = CloudWatchLogsAsyncClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint.endpoint())
                .credentialsProvider(KEYS)
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(CALL_TIMEOUT)
                        .addExecutionInterceptor(new PutLogEventsBody.Interceptor()))
                .build();
        lean = LeanPutLogEvents.create(
                http, KEYS, "us-east-1", endpoint.endpoint().toString(), CALL_TIMEOUT);
        sdk.createLogGroup(r -> r.logGroupName(GROUP)).join();
    }

    @AfterEach
    void clearFaults() {
        endpoint.faults().clear();
        endpoint.faults().resetCounters();
    }

    @AfterAll
    static void stop() {
        sdk.close();
        http.close();
        endpoint.close();
    }

    private static String stream(String name) {
        sdk.createLogStream(r -> r.logGroupName(GROUP).logStreamName(name)).join();
        return name;
    }

    private static PutLogEventsBody body(String stream, List<SinkEvent> events) {
        return PutLogEventsBody.of(
                GROUP, stream, events, IntStream.range(0, events.size()).boxed().toList());
    }

    private static List<SinkEvent> events(int n, long firstTimestamp) {
        List<SinkEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new SinkEvent(
                    firstTimestamp + i / 3,
                    "{\"log\":\"line " + i + " \\\"q\\\" \\u00e9\\n\",\"kubernetes\":{\"pod\":\"p-" + i % 7 + "\"}}",
                    "src",
                    i));
        }
        return events;
    }

    private static PutLogEventsResponse leanPut(PutLogEventsBody body) throws Exception {
        return lean.put(body.buffer(), body.length());
    }

    private static Throwable leanFailure(PutLogEventsBody body) throws InterruptedException {
        try {
            lean.put(body.buffer(), body.length());
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the lean put succeeded");
    }

    private static Throwable sdkFailure(PutLogEventsBody body) {
        try {
            sdk.putLogEvents(body.request()).join();
        } catch (RuntimeException e) {
            return CloudWatchLogsExceptionClassifier.unwrap(e);
        }
        throw new AssertionError("the SDK put succeeded");
    }

    private static List<String> stored(String stream) {
        List<String> out = new ArrayList<>();
        for (OutputLogEvent e : sdk.getLogEvents(
                        r -> r.logGroupName(GROUP).logStreamName(stream).startFromHead(true))
                .join()
                .events()) {
            out.add(e.timestamp() + " " + e.message());
        }
        return out;
    }

    @Test
    void storesWhatTheSdkClientStoresForTheSameBatch() throws Exception {
        long now = System.currentTimeMillis();
        List<SinkEvent> events = events(500, now - 60_000);
        sdk.putLogEvents(body(stream("via-sdk"), events).request()).join();

        PutLogEventsResponse response = leanPut(body(stream("via-lean"), events));

        assertThat(response.rejectedLogEventsInfo()).isNull();
        assertThat(stored("via-lean")).hasSize(500).isEqualTo(stored("via-sdk"));
    }

    @Test
    void readsTheRejectedEventsAsTheSdkClientDoes() throws Exception {
        long now = System.currentTimeMillis();
        List<SinkEvent> events =
                new ArrayList<>(events(2, now - Duration.ofDays(20).toMillis()));
        events.addAll(events(2, now));
        PutLogEventsResponse viaSdk =
                sdk.putLogEvents(body(stream("rejected-sdk"), events).request()).join();

        PutLogEventsResponse viaLean = leanPut(body(stream("rejected-lean"), events));

        assertThat(viaSdk.rejectedLogEventsInfo()).isNotNull();
        assertThat(viaLean.rejectedLogEventsInfo()).isEqualTo(viaSdk.rejectedLogEventsInfo());
        assertThat(stored("rejected-lean")).isEqualTo(stored("rejected-sdk"));
    }

    @Test
    void failsAsTheSdkClientFailsOnTheEndpointsErrorAnswers() throws Exception {
        String stream = stream("errors");
        PutLogEventsBody good = body(stream, events(3, System.currentTimeMillis()));
        record Case(String name, Runnable arm, PutLogEventsBody body, Kind kind) {}
        List<Case> cases = List.of(
                new Case(
                        "missing stream",
                        () -> {},
                        body("no-such-stream", events(1, System.currentTimeMillis())),
                        Kind.RESOURCE_NOT_FOUND),
                new Case(
                        "missing group",
                        () -> {},
                        PutLogEventsBody.of("/no/such/group", "s", events(1, System.currentTimeMillis()), List.of(0)),
                        Kind.RESOURCE_NOT_FOUND),
                new Case(
                        "out of order",
                        () -> {},
                        PutLogEventsBody.of(GROUP, stream, events(6, System.currentTimeMillis()), List.of(5, 0)),
                        Kind.INVALID_REQUEST),
                new Case("throttled", () -> endpoint.faults().throttle("PutLogEvents", 1), good, Kind.THROTTLED),
                new Case(
                        "unavailable",
                        () -> endpoint.faults().unavailable("PutLogEvents", 1, 503),
                        good,
                        Kind.SERVER_ERROR),
                new Case(
                        "internal error",
                        () -> endpoint.faults().unavailable("PutLogEvents", 1, 500),
                        good,
                        Kind.SERVER_ERROR),
                new Case("access denied", () -> endpoint.faults().accessDenied("PutLogEvents", 1), good, Kind.FATAL),
                new Case(
                        "unrecognized client",
                        () -> endpoint.faults().unrecognizedClient("PutLogEvents", 1),
                        good,
                        Kind.FATAL),
                new Case(
                        "already accepted",
                        () -> endpoint.faults()
                                .error("PutLogEvents", 1, 400, "DataAlreadyAcceptedException", "already"),
                        good,
                        Kind.INVALID_REQUEST),
                new Case(
                        "unmodeled",
                        () -> endpoint.faults().error("PutLogEvents", 1, 400, "SomethingNewException", "new"),
                        good,
                        Kind.FATAL));
        for (Case c : cases) {
            c.arm().run();
            Throwable viaSdk = sdkFailure(c.body());
            c.arm().run();
            Throwable viaLean = leanFailure(c.body());

            assertThat(viaLean).as(c.name()).isInstanceOf(AwsServiceException.class);
            assertThat(viaLean.getClass()).as(c.name()).isEqualTo(viaSdk.getClass());
            AwsServiceException l = (AwsServiceException) viaLean;
            AwsServiceException s = (AwsServiceException) viaSdk;
            assertThat(l.awsErrorDetails().errorCode())
                    .as(c.name())
                    .isEqualTo(s.awsErrorDetails().errorCode());
            assertThat(l.awsErrorDetails().errorMessage())
                    .as(c.name())
                    .isEqualTo(s.awsErrorDetails().errorMessage());
            assertThat(l.statusCode()).as(c.name()).isEqualTo(s.statusCode());
            assertThat(l.requestId()).as(c.name()).isNotBlank(); // one per call
            assertThat(s.requestId()).as(c.name()).isNotBlank();
            assertThat(l.isThrottlingException()).as(c.name()).isEqualTo(s.isThrottlingException());
            assertThat(CloudWatchLogsExceptionClassifier.classify(viaLean))
                    .as(c.name())
                    .isEqualTo(c.kind());
            assertThat(CloudWatchLogsExceptionClassifier.classify(viaSdk))
                    .as(c.name())
                    .isEqualTo(c.kind());
        }
    }

    @Test
    void aCallUnansweredPastTheCallTimeoutFailsAsTheSdkClientsDoes() throws Exception {
        PutLogEventsBody body = body(stream("hang"), events(2, System.currentTimeMillis()));
        endpoint.faults().hang("PutLogEvents", 1);
        Throwable viaSdk = sdkFailure(body);
        endpoint.faults().hang("PutLogEvents", 1);
        long t0 = System.nanoTime();
        Throwable viaLean = leanFailure(body);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(10_000);
        assertThat(viaSdk).isInstanceOf(ApiCallTimeoutException.class);
        assertThat(viaLean).isInstanceOf(ApiCallTimeoutException.class);
        assertThat(CloudWatchLogsExceptionClassifier.classify(viaLean)).isEqualTo(Kind.NETWORK);
    }

    @Test
    void aDroppedConnectionIsAnAmbiguousNetworkFailureAsWithTheSdkClient() throws Exception {
        PutLogEventsBody body = body(stream("dropped"), events(2, System.currentTimeMillis()));
        endpoint.faults().dropResponses("PutLogEvents", 1);
        Throwable viaSdk = sdkFailure(body);
        endpoint.faults().dropResponses("PutLogEvents", 1);
        Throwable viaLean = leanFailure(body);

        assertThat(viaSdk).isInstanceOf(SdkClientException.class);
        assertThat(viaLean).isInstanceOf(SdkClientException.class);
        assertThat(CloudWatchLogsExceptionClassifier.classify(viaSdk)).isEqualTo(Kind.NETWORK);
        assertThat(CloudWatchLogsExceptionClassifier.classify(viaLean)).isEqualTo(Kind.NETWORK);
        assertThat(stored("dropped")).hasSize(4); // both calls were carried out: a read-back must decide
    }

    @Test
    void anInterruptEndsAWaitingPutAndAbortsItsRequest() throws Exception {
        PutLogEventsBody body = body(stream("interrupted"), events(2, System.currentTimeMillis()));
        endpoint.faults().hang("PutLogEvents", 1);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                lean.put(body.buffer(), body.length());
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        caller.start();
        assertThat(endpoint.faults().awaitCalls("PutLogEvents", 1, Duration.ofSeconds(5)))
                .isTrue();
        caller.interrupt();

        assertThat(outcome.get(1, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        // the HTTP client is still usable: the aborted request gave its connection back or closed it
        assertThat(leanPut(body).rejectedLogEventsInfo()).isNull();
    }

    @Test
    void closingEndsAWaitingPutAsALostConnectionAndRefusesLaterOnes() throws Exception {
        LeanPutLogEvents closing = LeanPutLogEvents.create(
                http, KEYS, "us-east-1", endpoint.endpoint().toString(), CALL_TIMEOUT);
        PutLogEventsBody body = body(stream("closed"), events(2, System.currentTimeMillis()));
        endpoint.faults().hang("PutLogEvents", 1);
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                closing.put(body.buffer(), body.length());
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertThat(endpoint.faults().awaitCalls("PutLogEvents", 1, Duration.ofSeconds(5)))
                .isTrue();
        closing.close();

        Throwable waiting = outcome.get(1, TimeUnit.SECONDS);
        assertThat(waiting).isInstanceOf(ExecutionException.class);
        assertThat(CloudWatchLogsExceptionClassifier.classify(waiting)).isEqualTo(Kind.NETWORK);
        assertThatThrownBy(() -> closing.put(body.buffer(), body.length()))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(CloudWatchLogsExceptionClassifier.classify(e))
                        .isEqualTo(Kind.NETWORK));
        assertThat(endpoint.faults().calls("PutLogEvents")).isEqualTo(1);
    }

    @Test
    void noCredentialsFailsLikeTheSdkClientWithoutCallingTheEndpoint() throws Exception {
        AwsCredentialsProvider none = () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers");
        };
        LeanPutLogEvents withoutKeys = LeanPutLogEvents.create(
                http, none, "us-east-1", endpoint.endpoint().toString(), CALL_TIMEOUT);
        PutLogEventsBody body = body(stream("no-keys"), events(1, System.currentTimeMillis()));
        long calls = endpoint.faults().calls("PutLogEvents");

        assertThatThrownBy(() -> withoutKeys.put(body.buffer(), body.length()))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(SdkClientException.class)
                .satisfies(e -> assertThat(CloudWatchLogsExceptionClassifier.classify(e))
                        .isEqualTo(Kind.FATAL));
        assertThat(endpoint.faults().calls("PutLogEvents")).isEqualTo(calls);
    }
}
