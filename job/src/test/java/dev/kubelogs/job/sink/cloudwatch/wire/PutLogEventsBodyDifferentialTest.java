package dev.kubelogs.job.sink.cloudwatch.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.sink.cloudwatch.SinkEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;

/**
 * Today's body writer against the one before its per-event cuts ({@link PreviousPutLogEventsBody}) and against the
 * SDK's own marshaller (Jackson's JSON string escaping, over HTTP to the local endpoint), on random and tricky
 * messages: every body byte for byte the same.
 */
class PutLogEventsBodyDifferentialTest {
    private static final String GROUP = "/aws/containerinsights/test/differential";
    private static LocalCloudWatchLogs endpoint;

    @BeforeAll
    static void start() {
        endpoint = LocalCloudWatchLogs.builder().port(0).start();
        try (CloudWatchLogsClient c = client(new PutLogEventsBodyTest.Capture())) {
            c.createLogGroup(b -> b.logGroupName(GROUP));
        }
    }

    @AfterAll
    static void stop() {
        endpoint.close();
    }

    private static CloudWatchLogsClient client(PutLogEventsBodyTest.Capture capture) {
        return CloudWatchLogsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(
                        o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(capture))
                .build();
    }

    /**
     * A random message of up to {@code maxChars} characters: each kind of character the escaping treats apart
     * (quotes, backslashes, control characters, U+2028/2029, 2-, 3- and 4-byte characters, unpaired surrogates, which
     * the sink turns into U+FFFD), dense or sparse, and runs of EMF-like JSON.
     */
    static String randomMessage(Random r, int maxChars) {
        int kinds = r.nextBoolean() ? 12 : 80;
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(maxChars + 1);
        while (sb.length() < n) {
            switch (r.nextInt(kinds)) {
                case 0 -> sb.append((char) r.nextInt(0x20));
                case 1 -> sb.append('"');
                case 2 -> sb.append('\\');
                case 3 -> sb.append(r.nextBoolean() ? '\u2028' : '\u2029');
                case 4 -> sb.appendCodePoint(0x80 + r.nextInt(0x800 - 0x80));
                case 5 -> sb.appendCodePoint(0x800 + r.nextInt(0xD800 - 0x800));
                case 6 -> sb.appendCodePoint(0x10000 + r.nextInt(0x10FFFF - 0x10000));
                case 7 -> sb.append(r.nextBoolean() ? '\uD83D' : '\uDE00'); // an unpaired surrogate
                case 8 -> sb.append("\",\"ClusterName\":\"prod\",\"Metrics\":[{\"Name\":\"x\"}],\"v\":");
                case 9 -> sb.append('\u007f');
                default -> sb.append((char) (0x20 + r.nextInt(0x5F)));
            }
        }
        return sb.toString();
    }

    /** Events with runs of equal timestamps (a scrape's), and timestamps of every length and sign. */
    static List<SinkEvent> randomEvents(Random r, int count, int maxChars) {
        long[] odd = {
            0,
            1,
            9,
            10,
            -1,
            -10,
            999_999_999_999_999L,
            1_000_000_000_000_000L,
            9_999_999_999_999_999L,
            10_000_000_000_000_000L,
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            Long.MIN_VALUE + 1
        };
        List<SinkEvent> events = new ArrayList<>();
        long ts = 1_764_900_000_000L;
        for (int i = 0; i < count; i++) {
            int step = r.nextInt(10);
            if (step == 0) {
                ts = odd[r.nextInt(odd.length)];
            } else if (step < 4) {
                ts = 1_764_900_000_000L + r.nextInt(100_000);
            } // else the same timestamp as the event before
            events.add(new SinkEvent(ts, randomMessage(r, maxChars), "src", i));
        }
        return events;
    }

    /** The events' messages one after the other in one array after {@code prefix}, then {@code suffix}. */
    static MessageSlices slices(List<byte[]> messages, long[] timestamps, byte[] prefix, byte[] suffix) {
        int n = messages.size();
        int[] starts = new int[n];
        int[] lengths = new int[n];
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(prefix);
        for (int i = 0; i < n; i++) {
            starts[i] = bytes.size();
            lengths[i] = messages.get(i).length;
            bytes.writeBytes(messages.get(i));
        }
        bytes.writeBytes(suffix);
        return new MessageSlices(bytes.toByteArray(), timestamps, starts, lengths);
    }

    static MessageSlices slices(List<SinkEvent> events, byte[] prefix, byte[] suffix) {
        return slices(
                events.stream().map(SinkEvent::utf8).collect(Collectors.toList()),
                events.stream().mapToLong(SinkEvent::timestamp).toArray(),
                prefix,
                suffix);
    }

    private static List<Integer> all(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void randomMessagesGiveThePreviousWritersBytesFromEventsAndFromSlices() {
        Random r = new Random(20261205);
        byte[] spare = null;
        for (int round = 0; round < 300; round++) {
            List<SinkEvent> events = randomEvents(r, 1 + r.nextInt(40), round % 10 == 0 ? 3000 : 120);
            List<Integer> pending = all(events.size());
            if (round % 3 == 0) {
                Collections.shuffle(pending, r);
                pending = pending.subList(0, 1 + r.nextInt(pending.size()));
            }
            // the messages at the array's end (their last bytes one by one) and with more bytes after them (a word)
            byte[] prefix = new byte[r.nextInt(9)];
            byte[] suffix = new byte[round % 2 == 0 ? 0 : r.nextInt(12)];
            r.nextBytes(prefix);
            r.nextBytes(suffix);
            MessageSlices slices = slices(events, prefix, suffix);
            byte[] expected =
                    PreviousPutLogEventsBody.of("g", "s", events, pending).toByteArray();

            assertThat(PutLogEventsBody.of("g", "s", events, pending).toByteArray())
                    .isEqualTo(expected);
            assertThat(PreviousPutLogEventsBody.of("g", "s", slices, pending, null)
                            .toByteArray())
                    .isEqualTo(expected);
            PutLogEventsBody body = PutLogEventsBody.of("g", "s", slices, pending, spare);
            assertThat(body.toByteArray()).as("round %d", round).isEqualTo(expected);
            spare = round % 4 == 0 ? null : body.buffer(); // a reused array's old bytes must not show through
        }
    }

    @Test
    void randomBytesAreEscapedAsThePreviousWriterDid() {
        // not what the sink sends (its messages are well-formed UTF-8), but any byte is written as before
        Random r = new Random(77);
        for (int round = 0; round < 300; round++) {
            int n = 1 + r.nextInt(30);
            List<byte[]> messages = new ArrayList<>();
            long[] timestamps = new long[n];
            for (int i = 0; i < n; i++) {
                byte[] m = new byte[r.nextInt(70)];
                r.nextBytes(m);
                // a 4-byte lead reads the three bytes after it: keep those in the message
                for (int k = Math.max(0, m.length - 3); k < m.length; k++) {
                    if ((m[k] & 0xF8) == 0xF0) {
                        m[k] = 'x';
                    }
                }
                messages.add(m);
                timestamps[i] = 1_764_900_000_000L + r.nextInt(3);
            }
            MessageSlices slices = slices(messages, timestamps, new byte[r.nextInt(5)], new byte[r.nextInt(9)]);
            assertThat(PutLogEventsBody.of("g", "s", slices, all(n), null).toByteArray())
                    .as("round %d", round)
                    .isEqualTo(PreviousPutLogEventsBody.of("g", "s", slices, all(n), null)
                            .toByteArray());
        }
    }

    @Test
    void randomMessagesGiveTheSdkMarshallersBytes() {
        Random r = new Random(5);
        for (int round = 0; round < 8; round++) {
            String stream = "differential-" + round;
            List<SinkEvent> events = new ArrayList<>();
            long ts = System.currentTimeMillis() - 60_000;
            for (int i = 0; i < 200; i++) {
                if (r.nextInt(4) == 0) {
                    ts += r.nextInt(1000);
                }
                String m = randomMessage(r, round % 2 == 0 ? 100 : 1500);
                events.add(new SinkEvent(ts, m.isEmpty() ? "-" : m, "src", i)); // the endpoint refuses empty ones
            }
            try (CloudWatchLogsClient c = client(new PutLogEventsBodyTest.Capture())) {
                c.createLogStream(b -> b.logGroupName(GROUP).logStreamName(stream));
            }
            PutLogEventsBodyTest.Capture sdk = new PutLogEventsBodyTest.Capture();
            try (CloudWatchLogsClient c = client(sdk)) {
                c.putLogEvents(PutLogEventsRequest.builder()
                        .logGroupName(GROUP)
                        .logStreamName(stream)
                        .logEvents(events.stream()
                                .map(e -> InputLogEvent.builder()
                                        .timestamp(e.timestamp())
                                        .message(e.message())
                                        .build())
                                .collect(Collectors.toList()))
                        .build());
            }

            MessageSlices slices = slices(events, new byte[] {'"'}, "\\\u0001x".getBytes(StandardCharsets.UTF_8));
            assertThat(PutLogEventsBody.of(GROUP, stream, slices, all(events.size()), null)
                            .toByteArray())
                    .isEqualTo(sdk.body.get());
            assertThat(endpoint.events(GROUP, stream)).hasSize(events.size());
        }
    }
}
