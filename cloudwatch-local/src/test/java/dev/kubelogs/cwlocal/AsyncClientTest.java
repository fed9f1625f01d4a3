package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** The async client (Netty) against the same endpoint: concurrent puts, reads and mapped errors. */
class AsyncClientTest {
    static final long NOW_MS = EndpointTestBase.NOW_MS;

    LocalCloudWatchLogs cw;
    CloudWatchLogsAsyncClient logs;

    @BeforeEach
    void start() {
        cw = LocalCloudWatchLogs.builder()
                .clock(new SettableClock(EndpointTestBase.NOW))
                .start();
        logs = CloudWatchLogsAsyncClient.builder()
                .endpointOverride(cw.endpoint())
                .region(Region.AP_SOUTHEAST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterEach
    void stop() {
        logs.close();
        cw.close();
    }

    @Test
    void concurrentPutsThenReadBack() {
        logs.createLogGroup(b -> b.logGroupName("g")).join();
        List<CompletableFuture<?>> creates = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            String stream = "s" + s;
            creates.add(logs.createLogStream(b -> b.logGroupName("g").logStreamName(stream)));
        }
        CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).join();

        List<CompletableFuture<PutLogEventsResponse>> puts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String stream = "s" + (i % 5);
            List<InputLogEvent> events = EndpointTestBase.events(100, NOW_MS - 100_000 + i * 1000L, "p" + i + "-");
            puts.add(logs.putLogEvents(
                    b -> b.logGroupName("g").logStreamName(stream).logEvents(events)));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
        assertThat(puts)
                .allSatisfy(f -> assertThat(f.join().rejectedLogEventsInfo()).isNull());
        assertThat(cw.eventCount()).isEqualTo(5000);

        List<OutputLogEvent> s0 = logs.getLogEvents(
                        b -> b.logGroupName("g").logStreamName("s0").startFromHead(true))
                .join()
                .events();
        assertThat(s0).hasSize(1000);
        assertThat(s0).extracting(OutputLogEvent::timestamp).isSorted();
        assertThat(logs.describeLogStreams(b -> b.logGroupName("g"))
                        .join()
                        .logStreams()
                        .get(0)
                        .arn())
                .startsWith("arn:aws:logs:ap-southeast-2:000000000000:log-group:g:log-stream:");
    }

    @Test
    void errorsArriveAsTheirExceptionClasses() {
        assertThatThrownBy(() ->
                        logs.describeLogStreams(b -> b.logGroupName("missing")).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ResourceNotFoundException.class);
        logs.createLogGroup(b -> b.logGroupName("g")).join();
        cw.faults().throttle(1);
        assertThatThrownBy(() -> logs.describeLogGroups().join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(CloudWatchLogsException.class)
                .satisfies(e -> assertThat(((CloudWatchLogsException) e).isThrottlingException())
                        .isTrue());
    }
}
