package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

/** The client description travels in the job graph; the client it builds never retries on its own. */
class CloudWatchLogsClientConfigTest {
    @RegisterExtension
    static final LocalEndpointExtension LOCAL = new LocalEndpointExtension();

    private static CloudWatchLogsClientConfig local() {
        return at(LOCAL.endpoint().endpoint().toString());
    }

    private static CloudWatchLogsClientConfig at(String endpoint) {
        return new CloudWatchLogsClientConfig(
                "us-west-2",
                endpoint,
                CloudWatchLogsClientConfig.Credentials.STATIC,
                "test",
                "secret-value",
                Duration.ofSeconds(30),
                8);
    }

    @Test
    void theSdkNeverRetriesACallItself() {
        // a retried PutLogEvents whose first attempt was stored would store the events twice
        LOCAL.endpoint().faults().unavailable("DescribeLogGroups", 1, 503);
        try (CloudWatchLogsClientConfig.Client client = local().createClient()) {
            assertThatThrownBy(() ->
                            client.api().describeLogGroups(b -> b.limit(1)).join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(CloudWatchLogsException.class);
            assertThat(LOCAL.endpoint().faults().calls("DescribeLogGroups")).isEqualTo(1);
            assertThat(client.api().describeLogGroups(b -> b.limit(1)).join().logGroups())
                    .isNotNull();
            assertThat(LOCAL.endpoint().faults().calls("DescribeLogGroups")).isEqualTo(2);
        }
    }

    /**
     * The committer calls CloudWatch once per checkpoint. The SDK's Netty client closes a connection idle for 5 s by
     * default, so at checkpoints every 5 s each round would open new connections (a TLS handshake each, against AWS);
     * ours keeps them for {@link CloudWatchLogsClientConfig#CONNECTION_MAX_IDLE}.
     */
    @Test
    void aConnectionIdleForLongerThanACheckpointIntervalIsUsedAgain() throws Exception {
        try (CountingTcpProxy proxy = new CountingTcpProxy(LOCAL.endpoint().endpoint());
                CloudWatchLogsClientConfig.Client client =
                        at(proxy.uri().toString()).createClient()) {
            client.api().describeLogGroups(b -> b.limit(1)).join();
            // the idle gap is what is tested: longer than the SDK's default, as between two checkpoints
            CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(7, TimeUnit.SECONDS))
                    .join();
            client.api().describeLogGroups(b -> b.limit(1)).join();

            assertThat(proxy.connections()).isEqualTo(1);
        }
    }

    /**
     * Calls complete on the client's one event loop thread, not on a pool of the SDK's: the callers wait on their own
     * threads, and a hand-off per call is CPU the put path does not need.
     */
    @Test
    void callsCompleteOnTheClientsOneEventLoopThread() {
        // answered late, so that each stage below is attached before its call completes
        LOCAL.endpoint().faults().delayResponses("DescribeLogGroups", 4, Duration.ofMillis(300));
        try (CloudWatchLogsClientConfig.Client client = local().createClient()) {
            List<CompletableFuture<String>> completedOn = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                completedOn.add(client.api()
                        .describeLogGroups(b -> b.limit(1))
                        .thenApply(r -> Thread.currentThread().getName()));
            }
            assertThat(completedOn.stream().map(CompletableFuture::join).distinct())
                    .containsExactly("cwlogs-netty-1");
        }
    }

    /** The call timeout is the only one (retries are off, so the call is its one attempt), and it still fires. */
    @Test
    void aCallAnsweredAfterTheCallTimeoutFailsAsATimeout() {
        LOCAL.endpoint().faults().delayResponses("DescribeLogGroups", 1, Duration.ofSeconds(3));
        CloudWatchLogsClientConfig impatient = new CloudWatchLogsClientConfig(
                "us-west-2",
                LOCAL.endpoint().endpoint().toString(),
                CloudWatchLogsClientConfig.Credentials.STATIC,
                "test",
                "secret-value",
                Duration.ofMillis(500),
                8);
        try (CloudWatchLogsClientConfig.Client client = impatient.createClient()) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() ->
                            client.api().describeLogGroups(b -> b.limit(1)).join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(ApiCallTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void leanPutsUseTheClientsConnectionsAndEndWithIt() throws Exception {
        LOCAL.sdk().createLogGroup(b -> b.logGroupName("/lean/config"));
        LOCAL.sdk().createLogStream(b -> b.logGroupName("/lean/config").logStreamName("s"));
        byte[] body = ("{\"logGroupName\":\"/lean/config\",\"logStreamName\":\"s\",\"logEvents\":" + "[{\"timestamp\":"
                        + System.currentTimeMillis() + ",\"message\":\"m\"}]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (CountingTcpProxy proxy = new CountingTcpProxy(LOCAL.endpoint().endpoint())) {
            CloudWatchLogsClientConfig.Client client =
                    at(proxy.uri().toString()).createClient();
            client.api().describeLogGroups().join();
            client.leanPuts().put(body, body.length);
            assertThat(proxy.connections()).isEqualTo(1); // one pool: the lean put took the SDK call's connection
            LOCAL.endpoint().faults().hang("PutLogEvents", 1);
            CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    client.leanPuts().put(body, body.length);
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            assertThat(LOCAL.endpoint().faults().awaitCalls("PutLogEvents", 2, Duration.ofSeconds(5)))
                    .isTrue();
            client.close(); // as the committer's close does: a put waiting for its answer ends now
            Throwable failure = blocked.get(5, TimeUnit.SECONDS);
            assertThat(failure).isNotNull();
            assertThat(CloudWatchLogsExceptionClassifier.classify(failure))
                    .isEqualTo(CloudWatchLogsExceptionClassifier.Kind.NETWORK);
        }
    }

    @Test
    void survivesJavaSerializationAndKeepsTheSecretOutOfItsText() throws Exception {
        CloudWatchLogsClientConfig config = local();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        CloudWatchLogsClientConfig back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (CloudWatchLogsClientConfig) in.readObject();
        }
        assertThat(back.region()).isEqualTo("us-west-2");
        assertThat(back.endpointOverride()).isEqualTo(config.endpointOverride());
        assertThat(back.credentials()).isEqualTo(CloudWatchLogsClientConfig.Credentials.STATIC);
        assertThat(back.apiCallTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(back.maxConcurrency()).isEqualTo(8);
        try (CloudWatchLogsClientConfig.Client client = back.createClient()) {
            assertThat(client.api().describeLogGroups(b -> b.limit(1)).join().logGroups())
                    .isNotNull();
        }
        assertThat(config.toString()).contains("us-west-2", "STATIC").doesNotContain("secret-value");
        assertThat(new CloudWatchLogsClientConfig(
                                "eu-west-1",
                                null,
                                CloudWatchLogsClientConfig.Credentials.DEFAULT_CHAIN,
                                null,
                                null,
                                Duration.ofSeconds(1),
                                1)
                        .toString())
                .contains("endpoint=<aws>");
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> new CloudWatchLogsClientConfig(
                        "us-west-2",
                        null,
                        CloudWatchLogsClientConfig.Credentials.STATIC,
                        "key",
                        null,
                        Duration.ofSeconds(1),
                        1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("static credentials");
        assertThatThrownBy(() -> new CloudWatchLogsClientConfig(
                        "us-west-2",
                        "http://bad host:1",
                        CloudWatchLogsClientConfig.Credentials.DEFAULT_CHAIN,
                        null,
                        null,
                        Duration.ofSeconds(1),
                        1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CloudWatchLogsClientConfig(
                        null,
                        null,
                        CloudWatchLogsClientConfig.Credentials.DEFAULT_CHAIN,
                        null,
                        null,
                        Duration.ofSeconds(1),
                        1))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("region");
    }
}
