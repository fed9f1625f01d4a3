package dev.kubelogs.job.sink.cloudwatch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/** Shared helpers of the sink tests: sink builders for the local endpoint, SDK read-back, dead letters. */
final class SinkTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SinkTestSupport() {}

    /** A builder aimed at the local endpoint, with fast backoff and no settle delay. */
    /** The committer operator of a sink on the local endpoint, as subtask {@code subtask} of {@code parallelism}. */
    static OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> committerHarness(
            URI endpoint, Path deadLetterDir, int parallelism, int subtask) throws Exception {
        return committerHarness(endpoint, deadLetterDir, parallelism, subtask, false);
    }

    /** As above; {@code restoreOnly}: the committer kept under the uid of a sink the job no longer has. */
    static OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> committerHarness(
            URI endpoint, Path deadLetterDir, int parallelism, int subtask, boolean restoreOnly) throws Exception {
        CloudWatchLogsSinkConfig config =
                localBuilder(endpoint, deadLetterDir).build().config();
        return new OneInputStreamOperatorTestHarness<>(
                new CloudWatchLogsCommitterOperator.Factory(config, restoreOnly), 128, parallelism, subtask);
    }

    static CloudWatchLogsSinkBuilder localBuilder(URI endpoint, Path deadLetterDir) {
        return CloudWatchLogsSink.builder()
                .region("us-east-1")
                .endpoint(endpoint.toString())
                .staticCredentials("test", "test")
                .apiCallTimeout(Duration.ofSeconds(10))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(20), 20, Duration.ofSeconds(30))
                .readBackSettleDelay(Duration.ZERO)
                .deadLetterDirectory(deadLetterDir.toString());
    }

    /** A blocking SDK client for reading back (the default SDK setup, retries included). */
    static CloudWatchLogsClient syncClient(URI endpoint) {
        return CloudWatchLogsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    /** Every event of a stream through GetLogEvents (startFromHead, paging until the token repeats). */
    static List<OutputLogEvent> readAll(CloudWatchLogsClient client, String group, String stream) {
        List<OutputLogEvent> out = new ArrayList<>();
        String token = null;
        while (true) {
            GetLogEventsRequest.Builder b = GetLogEventsRequest.builder()
                    .logGroupName(group)
                    .logStreamName(stream)
                    .startFromHead(true)
                    .limit(10_000);
            if (token != null) {
                b.nextToken(token);
            }
            GetLogEventsResponse r = client.getLogEvents(b.build());
            out.addAll(r.events());
            if (r.nextForwardToken() == null || r.nextForwardToken().equals(token)) {
                return out;
            }
            token = r.nextForwardToken();
        }
    }

    /** All dead-letter records under {@code dir} (every {@code *.jsonl} file), as JSON maps. */
    static List<Map<String, Object>> deadLetters(Path dir) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>)
                    files.filter(p -> p.toString().endsWith(".jsonl")).sorted()::iterator) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isEmpty()) {
                        out.add(JSON.readValue(line, new TypeReference<Map<String, Object>>() {}));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A CommitRequest that records what the committer signalled. */
    static final class TestRequest<T> implements Committer.CommitRequest<T> {
        enum State {
            UNTOUCHED,
            FAILED_KNOWN,
            FAILED_UNKNOWN,
            RETRY,
            ALREADY_COMMITTED
        }

        T committable;
        final int retries;
        State state = State.UNTOUCHED;
        Throwable failure;

        TestRequest(T committable, int retries) {
            this.committable = committable;
            this.retries = retries;
        }

        @Override
        public T getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return retries;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            state = State.FAILED_KNOWN;
            failure = t;
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            state = State.FAILED_UNKNOWN;
            failure = t;
        }

        @Override
        public void retryLater() {
            state = State.RETRY;
        }

        @Override
        public void updateAndRetryLater(T c) {
            committable = c;
            state = State.RETRY;
        }

        @Override
        public void signalAlreadyCommitted() {
            state = State.ALREADY_COMMITTED;
        }
    }
}
