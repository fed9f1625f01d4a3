package dev.kubelogs.cwlocal;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;

/**
 * An in-memory endpoint on an ephemeral port whose clock stands still at {@link #NOW}, and an SDK v2 sync client
 * for it with retries off (each test sees exactly what one attempt gets).
 */
abstract class EndpointTestBase {
    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final long NOW_MS = NOW.toEpochMilli();
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    final SettableClock clock = new SettableClock(NOW);
    LocalCloudWatchLogs cw;
    CloudWatchLogsClient logs;

    @BeforeEach
    void startEndpoint() {
        cw = LocalCloudWatchLogs.builder().clock(clock).start();
        logs = client(cw.endpoint(), c -> {});
    }

    @AfterEach
    void stopEndpoint() {
        if (logs != null) {
            logs.close();
        }
        if (cw != null) {
            cw.close();
        }
    }

    /** A sync client with dummy credentials, region us-east-1, no retries, plus the given overrides. */
    static CloudWatchLogsClient client(URI endpoint, Consumer<ClientOverrideConfiguration.Builder> overrides) {
        return CloudWatchLogsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "secret")))
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(c -> {
                    c.retryStrategy(AwsRetryStrategy.doNotRetry());
                    overrides.accept(c);
                })
                .build();
    }

    static InputLogEvent ev(long timestamp, String message) {
        return InputLogEvent.builder().timestamp(timestamp).message(message).build();
    }

    void createGroupAndStream(String group, String stream) {
        logs.createLogGroup(b -> b.logGroupName(group));
        logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
    }

    PutLogEventsResponse put(String group, String stream, InputLogEvent... events) {
        return put(group, stream, Arrays.asList(events));
    }

    PutLogEventsResponse put(String group, String stream, List<InputLogEvent> events) {
        return logs.putLogEvents(
                b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
    }

    List<String> storedMessages(String group, String stream) {
        List<String> out = new ArrayList<>();
        for (StoredEvent e : cw.events(group, stream)) {
            out.add(e.message());
        }
        return out;
    }

    /** count events with messages prefix+i and timestamps base + i (ms). */
    static List<InputLogEvent> events(int count, long base, String prefix) {
        List<InputLogEvent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(ev(base + i, prefix + i));
        }
        return out;
    }
}
