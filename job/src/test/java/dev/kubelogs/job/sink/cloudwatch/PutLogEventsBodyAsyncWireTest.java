package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBodyTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;

/**
 * What the sink's own async (netty) client really puts on the wire for a {@link PutLogEventsBody}: the body, a
 * Content-Length that matches it, and a SigV4 signature computed over that body (the local endpoint the other tests
 * use does not check signatures, so nothing else would notice a signature over the marshaller's empty body). Other
 * calls go out as the SDK writes them.
 */
class PutLogEventsBodyAsyncWireTest {
    private static final String KEY = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    record Received(String method, String path, String query, Map<String, String> headers, byte[] body) {}

    private static HttpServer server;
    private static final List<Received> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            Map<String, String> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(new Received(
                    ex.getRequestMethod(),
                    ex.getRequestURI().getRawPath(),
                    ex.getRequestURI().getRawQuery(),
                    headers,
                    body));
            String target = headers.getOrDefault("x-amz-target", "");
            byte[] response = (target.endsWith("GetLogEvents")
                            ? "{\"events\":[],\"nextForwardToken\":\"f/1\",\"nextBackwardToken\":\"b/1\"}"
                            : "{}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(200, response.length);
            ex.getResponseBody().write(response);
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void theAsyncClientSendsAndSignsTheSinksBodyAndLeavesOtherCallsAlone() throws Exception {
        CloudWatchLogsClientConfig config = new CloudWatchLogsClientConfig(
                "eu-west-1",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                CloudWatchLogsClientConfig.Credentials.STATIC,
                KEY,
                SECRET,
                Duration.ofSeconds(20),
                4);
        List<SinkEvent> events = PutLogEventsBodyTest.trickyEvents().subList(0, 60);
        List<Integer> pending = IntStream.range(0, events.size()).boxed().collect(Collectors.toList());
        String group = "/aws/containerinsights/test/application";
        String stream = "node-1 \"quoted\" 流";
        PutLogEventsBody body = PutLogEventsBody.of(group, stream, events, pending);
        PutLogEventsRequest put = body.request();
        received.clear();
        try (CloudWatchLogsClientConfig.Client client = config.createClient()) {
            client.api().putLogEvents(put).get();
            // the same request once more (a re-sent put gets its body again, not an exhausted stream)
            client.api().putLogEvents(put).get();
            client.api()
                    .getLogEvents(GetLogEventsRequest.builder()
                            .logGroupName(group)
                            .logStreamName(stream)
                            .startFromHead(true)
                            .build())
                    .get();
        }
        assertThat(received).hasSize(3);
        for (Received r : received.subList(0, 2)) {
            assertThat(r.body()).isEqualTo(body.toByteArray());
            assertThat(r.headers().get("content-length")).isEqualTo(String.valueOf(body.length()));
            assertThat(r.headers().get("x-amz-target")).isEqualTo("Logs_20140328.PutLogEvents");
            assertSignatureCoversWhatWasReceived(r);
        }
        Received get = received.get(2);
        assertThat(new String(get.body(), StandardCharsets.UTF_8))
                .contains("\"startFromHead\":true")
                .doesNotContain("logEvents");
        assertThat(get.headers().get("content-length")).isEqualTo(String.valueOf(get.body().length));
        assertSignatureCoversWhatWasReceived(get);
    }

    /** Recomputes the request's SigV4 signature from the received method, path, signed headers and body. */
    private static void assertSignatureCoversWhatWasReceived(Received r) throws Exception {
        String authorization = r.headers().get("authorization");
        assertThat(authorization).startsWith("AWS4-HMAC-SHA256 ");
        String credential = field(authorization, "Credential=");
        String signedHeaders = field(authorization, "SignedHeaders=");
        String signature = field(authorization, "Signature=");
        String[] scope = credential.split("/", 2)[1].split("/"); // date/region/service/aws4_request
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String h : signedHeaders.split(";")) {
            canonicalHeaders
                    .append(h)
                    .append(':')
                    .append(r.headers().get(h).trim().replaceAll(" +", " "))
                    .append('\n');
        }
        String canonical = r.method() + "\n" + r.path() + "\n" + (r.query() == null ? "" : r.query()) + "\n"
                + canonicalHeaders + "\n" + signedHeaders + "\n" + hex(sha256(r.body()));
        String toSign = "AWS4-HMAC-SHA256\n" + r.headers().get("x-amz-date") + "\n" + String.join("/", scope) + "\n"
                + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] k = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), scope[0]);
        k = hmac(k, scope[1]);
        k = hmac(k, scope[2]);
        k = hmac(k, scope[3]);
        assertThat(hex(hmac(k, toSign))).as("signature over the received body").isEqualTo(signature);
    }

    private static String field(String authorization, String name) {
        int i = authorization.indexOf(name) + name.length();
        int end = authorization.indexOf(',', i);
        return authorization
                .substring(i, end < 0 ? authorization.length() : end)
                .trim();
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
