package dev.kubelogs.job.sink.cloudwatch.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.sink.cloudwatch.SinkEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;

/**
 * The sink's own PutLogEvents body is byte for byte what the SDK's marshaller writes for the same events, and the
 * endpoint stores the same events from it.
 */
public class PutLogEventsBodyTest {
    private static final String GROUP = "/aws/containerinsights/test/application";
    private static LocalCloudWatchLogs endpoint;

    @BeforeAll
    static void start() {
        endpoint = LocalCloudWatchLogs.builder().port(0).start();
    }

    @AfterAll
    static void stop() {
        endpoint.close();
    }

    /** What an interceptor sees just before the request leaves: the signed request's length header and body. */
    static final class Capture implements ExecutionInterceptor {
        final AtomicReference<byte[]> body = new AtomicReference<>();
        final AtomicReference<String> contentLength = new AtomicReference<>();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            contentLength.set(
                    context.httpRequest().firstMatchingHeader("Content-Length").orElse(null));
            try (InputStream in =
                    context.requestBody().orElseThrow().contentStreamProvider().newStream()) {
                body.set(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static CloudWatchLogsClient client(ExecutionInterceptor... interceptors) {
        return CloudWatchLogsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> {
                    o.retryStrategy(AwsRetryStrategy.doNotRetry());
                    for (ExecutionInterceptor i : interceptors) {
                        o.addExecutionInterceptor(i);
                    }
                })
                .build();
    }

    /** Messages with everything JSON escaping must get right, in all the shapes the sink sends. */
    public static List<SinkEvent> trickyEvents() {
        List<String> messages = new ArrayList<>(
                List.of(
                        "{\"log\":\"GET /healthz 200\\n\",\"stream\":\"stdout\",\"kubernetes\":{\"pod_name\":\"web-1\"}}",
                        "plain ascii / with slash",
                        "quote \" backslash \\ both \\\"",
                        IntStream.range(0, 0x20)
                                .mapToObj(c -> String.valueOf((char) c))
                                .collect(Collectors.joining()),
                        "del \u007f nbsp \u00a0 latin é ü ß",
                        "cjk 日本語 中文 한국어",
                        "line sep \u2028 para sep \u2029 bom \ufeff",
                        "emoji 😀 🚀 family 👨‍👩‍👧",
                        "x".repeat(200 * 1024),
                        // escapes that grow the body far beyond its estimate in the middle of one message
                        "\u0001".repeat(40 * 1024),
                        "😀".repeat(20 * 1024),
                        "\"".repeat(64 * 1024 + 3),
                        // an EMF event: a quote every few bytes
                        "{\"CloudWatchMetrics\":[{\"Namespace\":\"ContainerInsights/Prometheus\",\"Dimensions\":"
                                + "[[\"ClusterName\",\"Namespace\"]],\"Metrics\":[{\"Name\":\"http_requests_total\","
                                + "\"Unit\":\"Count\"}]}],\"ClusterName\":\"prod\",\"Namespace\":\"shop\",\"Timestamp\":"
                                + "\"1700000000000\",\"Version\":\"0\",\"http_requests_total\":3,\"prom_metric_type\":\"counter\"}"));
        Random r = new Random(42);
        for (int i = 0; i < 600; i++) {
            // dense and sparse specials: the sparse ones land at every offset of the encoder's 8-byte words
            int kinds = i < 200 ? 10 : 120;
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(300);
            for (int j = 0; j < n; j++) {
                int kind = r.nextInt(kinds);
                if (kind == 0) {
                    sb.append((char) r.nextInt(0x20));
                } else if (kind == 1) {
                    sb.append("\"\\/".charAt(r.nextInt(3)));
                } else if (kind == 2) {
                    sb.appendCodePoint(0x80 + r.nextInt(0xD800 - 0x80));
                } else if (kind == 3) {
                    sb.appendCodePoint(0x10000 + r.nextInt(0x10FFFF - 0x10000));
                } else {
                    sb.append((char) (0x20 + r.nextInt(0x5F)));
                }
            }
            messages.add(sb.toString());
        }
        // runs of messages sharing their ends (a stream's events share the kubernetes block), with the shared end
        // starting at, inside and after multi-byte characters and escapes
        String kubernetes = ",\"kubernetes\":{\"pod_name\":\"web-1\",\"labels\":\"a\\\"b\\n\u0001\"}}";
        for (String end :
                List.of(kubernetes, "😀" + kubernetes, "ä" + kubernetes, "\"" + kubernetes, "\u0002" + kubernetes)) {
            for (String start : List.of("{\"log\":\"a", "{\"log\":\"b", "x😀", "y🐀", "Ĥ", "ä", "\"\"", "", "line\n")) {
                messages.add(start + end);
                messages.add(start + "12" + end);
                messages.add(start + "13" + end);
            }
            // a message sharing less of its end than the one before, and that common end starting inside a character
            // (Ĥ/ä share their last byte, 😀/🐀 theirs); "zz" shares nothing, so the next pair starts afresh
            messages.addAll(
                    List.of("zz", "Ĥ" + end, "aĤ" + end, "bä" + end, "zz", "😀" + end, "a😀" + end, "b🐀" + end));
        }
        List<SinkEvent> events = new ArrayList<>();
        long ts = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < messages.size(); i++) {
            events.add(new SinkEvent(ts + i, messages.get(i), "src", i));
        }
        return events;
    }

    private static List<Integer> all(List<SinkEvent> events) {
        return IntStream.range(0, events.size()).boxed().collect(Collectors.toList());
    }

    @Test
    void bodyIsTheBytesTheSdkMarshallerWrites() {
        String stream = "node-1 \"quoted\" 流\\x.var.log.containers.web-1_default_app-0123.log";
        List<SinkEvent> events = trickyEvents();
        createStream(stream);

        Capture sdk = new Capture();
        List<InputLogEvent> input = events.stream()
                .map(e -> InputLogEvent.builder()
                        .timestamp(e.timestamp())
                        .message(e.message())
                        .build())
                .collect(Collectors.toList());
        try (CloudWatchLogsClient c = client(sdk)) {
            c.putLogEvents(PutLogEventsRequest.builder()
                    .logGroupName(GROUP)
                    .logStreamName(stream)
                    .logEvents(input)
                    .build());
        }

        Capture ours = new Capture();
        PutLogEventsBody body = PutLogEventsBody.of(GROUP, stream, events, all(events));
        try (CloudWatchLogsClient c = client(new PutLogEventsBody.Interceptor(), ours)) {
            c.putLogEvents(body.request());
        }

        assertThat(body.toByteArray()).isEqualTo(sdk.body.get());
        assertThat(PutLogEventsBody.of(GROUP, stream, slices(events, 5), all(events), null)
                        .toByteArray())
                .isEqualTo(sdk.body.get());
        assertThat(ours.body.get()).isEqualTo(sdk.body.get());
        assertThat(ours.contentLength.get())
                .isEqualTo(sdk.contentLength.get())
                .isEqualTo(String.valueOf(sdk.body.get().length));
        // both puts stored the same events
        List<String> stored =
                endpoint.events(GROUP, stream).stream().map(e -> e.message()).collect(Collectors.toList());
        List<String> sent = events.stream().map(SinkEvent::message).collect(Collectors.toList());
        List<String> twice = new ArrayList<>(sent);
        twice.addAll(sent);
        assertThat(stored).containsExactlyInAnyOrderElementsOf(twice);
    }

    /** The events' messages one after the other in one array, after {@code prefix} bytes of something else. */
    static MessageSlices slices(List<SinkEvent> events, int prefix) {
        int n = events.size();
        long[] timestamps = new long[n];
        int[] starts = new int[n];
        int[] lengths = new int[n];
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes("\"\\\u0001".repeat(prefix).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 0; i < n; i++) {
            timestamps[i] = events.get(i).timestamp();
            starts[i] = bytes.size();
            lengths[i] = events.get(i).utf8Length();
            bytes.writeBytes(events.get(i).utf8());
        }
        return new MessageSlices(bytes.toByteArray(), timestamps, starts, lengths);
    }

    @Test
    void slicesOfOneArrayGiveTheBodyOfTheirEventsForAnyPendingOrder() {
        List<SinkEvent> events = trickyEvents();
        MessageSlices slices = slices(events, 3);
        Random r = new Random(7);
        for (int round = 0; round < 20; round++) {
            List<Integer> pending = new ArrayList<>(all(events));
            java.util.Collections.shuffle(pending, r);
            pending = pending.subList(0, 1 + r.nextInt(pending.size()));
            if (round % 2 == 0) {
                java.util.Collections.sort(pending); // a read-back's missing events keep the batch's order
            }
            assertThat(PutLogEventsBody.of("g", "s", slices, pending, null).toByteArray())
                    .isEqualTo(PutLogEventsBody.of("g", "s", events, pending).toByteArray());
        }
    }

    @Test
    void sharedTailsGiveTheBodyOfTheWholeMessages() {
        String kubernetes = ",\"kubernetes\":{\"pod_name\":\"web-1\",\"labels\":\"a\\\"b\\n\u0001\"}}";
        List<String> tails = List.of("😀" + kubernetes, "\"" + kubernetes, "\u0002" + kubernetes, kubernetes);
        List<String> heads = List.of("{\"log\":\"a", "x😀", "", "line\n", "\"\"", "é");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes("junk".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<SinkEvent> events = new ArrayList<>();
        List<int[]> slices = new ArrayList<>(); // start, length, tail start, tail length
        for (String tail : tails) {
            byte[] t = tail.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int tailStart = bytes.size();
            bytes.writeBytes(t);
            for (String head : heads) {
                byte[] h = head.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                slices.add(new int[] {bytes.size(), h.length, tailStart, t.length});
                bytes.writeBytes(h);
                events.add(new SinkEvent(events.size(), head + tail, null, 0));
            }
            // one event of the run without a tail, one with a shorter tail of the same slice
            slices.add(new int[] {tailStart, t.length, 0, 0});
            events.add(new SinkEvent(events.size(), tail, null, 0));
            slices.add(new int[] {tailStart, 0, tailStart + t.length - kubernetes.length(), kubernetes.length()});
            events.add(new SinkEvent(events.size(), kubernetes, null, 0));
        }
        int n = events.size();
        long[] ts = new long[n];
        int[][] columns = new int[4][n];
        for (int i = 0; i < n; i++) {
            ts[i] = events.get(i).timestamp();
            for (int c = 0; c < 4; c++) {
                columns[c][i] = slices.get(i)[c];
            }
        }
        MessageSlices shared =
                new MessageSlices(bytes.toByteArray(), ts, columns[0], columns[1], columns[2], columns[3]);
        assertThat(PutLogEventsBody.of("g", "s", shared, all(events), null).toByteArray())
                .isEqualTo(PutLogEventsBody.of("g", "s", events, all(events)).toByteArray());
        List<Integer> some = List.of(3, 1, 2, 9, 8, 20, 21, 22);
        assertThat(PutLogEventsBody.of("g", "s", shared, some, null).toByteArray())
                .isEqualTo(PutLogEventsBody.of("g", "s", events, some).toByteArray());
    }

    @Test
    void slicesOfDifferentLengthsAreRefused() {
        assertThatThrownBy(() -> new MessageSlices(new byte[1], new long[1], new int[2], new int[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyThePendingEventsInTheirOrder() {
        String stream = "pending";
        createStream(stream);
        List<SinkEvent> events = trickyEvents().subList(0, 8);
        List<Integer> pending = List.of(1, 4, 6);
        try (CloudWatchLogsClient c = client(new PutLogEventsBody.Interceptor())) {
            c.putLogEvents(PutLogEventsBody.of(GROUP, stream, events, pending).request());
        }
        assertThat(endpoint.events(GROUP, stream))
                .extracting(e -> e.message())
                .containsExactly(
                        events.get(1).message(),
                        events.get(4).message(),
                        events.get(6).message());
    }

    @Test
    void negativeAndLargeTimestampsAndAnEmptyMessage() {
        List<SinkEvent> events = List.of(
                new SinkEvent(0, "a", null, 0),
                new SinkEvent(-1234567, "b", null, 0),
                new SinkEvent(Long.MAX_VALUE, "", null, 0),
                new SinkEvent(Long.MIN_VALUE, "d", null, 0));
        String body = new String(
                PutLogEventsBody.of("g", "s", events, all(events)).toByteArray(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body)
                .isEqualTo(
                        "{\"logGroupName\":\"g\",\"logStreamName\":\"s\",\"logEvents\":["
                                + "{\"timestamp\":0,\"message\":\"a\"},{\"timestamp\":-1234567,\"message\":\"b\"},"
                                + "{\"timestamp\":9223372036854775807,\"message\":\"\"},{\"timestamp\":-9223372036854775808,\"message\":\"d\"}]}");
    }

    @Test
    void aSpareArrayLargeEnoughIsWrittenOverAndTheBytesAreTheSame() {
        List<SinkEvent> events = trickyEvents();
        byte[] fresh = PutLogEventsBody.of("g", "s", events, all(events)).toByteArray();
        byte[] spare = new byte[fresh.length * 2];
        java.util.Arrays.fill(spare, (byte) '"'); // what a previous body left: must not show through

        PutLogEventsBody reused = PutLogEventsBody.of("g", "s", events, all(events), spare);

        assertThat(reused.buffer()).isSameAs(spare);
        assertThat(reused.toByteArray()).isEqualTo(fresh);
    }

    @Test
    void aSpareArrayTooSmallIsNotUsed() {
        List<SinkEvent> events = trickyEvents();
        byte[] spare = new byte[16];

        PutLogEventsBody body = PutLogEventsBody.of("g", "s", events, all(events), spare);

        assertThat(body.buffer()).isNotSameAs(spare);
        assertThat(body.toByteArray())
                .isEqualTo(PutLogEventsBody.of("g", "s", events, all(events)).toByteArray());
    }

    @Test
    void aBodyOnARequestWithItsOwnEventsIsRefused() {
        String stream = "refused";
        createStream(stream);
        List<SinkEvent> events = trickyEvents().subList(0, 2);
        PutLogEventsRequest both = PutLogEventsBody.of(GROUP, stream, events, all(events)).request().toBuilder()
                .logEvents(InputLogEvent.builder()
                        .timestamp(events.get(0).timestamp())
                        .message("other")
                        .build())
                .build();
        try (CloudWatchLogsClient c = client(new PutLogEventsBody.Interceptor())) {
            assertThatThrownBy(() -> c.putLogEvents(both)).hasStackTraceContaining("without logEvents");
        }
        assertThat(endpoint.events(GROUP, stream)).isEmpty();
    }

    private static void createStream(String stream) {
        try (CloudWatchLogsClient c = client()) {
            try {
                c.createLogGroup(
                        CreateLogGroupRequest.builder().logGroupName(GROUP).build());
            } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException e) {
                // another test made it
            }
            c.createLogStream(CreateLogStreamRequest.builder()
                    .logGroupName(GROUP)
                    .logStreamName(stream)
                    .build());
        }
    }
}
