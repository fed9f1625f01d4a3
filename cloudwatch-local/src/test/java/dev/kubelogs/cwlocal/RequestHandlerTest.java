package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint's HTTP side, spoken raw: the awsJson1.1 envelope, its errors, gzip bodies, the region. */
class RequestHandlerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SIGNED_IN_EU = "AWS4-HMAC-SHA256 Credential=AKID/20260310/eu-west-1/logs/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=00";
    private final ObjectMapper json = new ObjectMapper();
    private LocalCloudWatchLogs cw;

    @BeforeEach
    void start() {
        cw = LocalCloudWatchLogs.builder()
                .clock(new SettableClock(Instant.parse("2026-03-10T12:00:00Z")))
                .maxBodyBytes(4096)
                .start();
    }

    @AfterEach
    void stop() {
        cw.close();
    }

    private HttpResponse<String> call(String target, HttpRequest.BodyPublisher body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(cw.endpoint().resolve("/"))
                .POST(body)
                .header("Content-Type", "application/x-amz-json-1.1");
        if (target != null) {
            b.header("X-Amz-Target", Operations.TARGET_PREFIX + target);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String target, String body, String... headers) throws Exception {
        return call(target, HttpRequest.BodyPublishers.ofString(body), headers);
    }

    @Test
    void anOperationAnswersInTheAwsJsonEnvelope() throws Exception {
        HttpResponse<String> r = call("CreateLogGroup", "{\"logGroupName\":\"g\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(cw.logGroups()).extracting(LogGroupInfo::name).containsExactly("g");
    }

    @Test
    void whatIsNotAnOperationIsAnErrorTheSdkUnderstands() throws Exception {
        HttpResponse<String> unknown = call("CreateExportTask", "{}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json.readTree(unknown.body()).get("__type").asText()).isEqualTo("UnknownOperationException");
        assertThat(call(null, "{}").statusCode()).isEqualTo(400);
        HttpResponse<String> get = HTTP.send(
                HttpRequest.newBuilder(cw.endpoint().resolve("/")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        HttpResponse<String> path = HTTP.send(
                HttpRequest.newBuilder(cw.endpoint().resolve("/other"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(path.statusCode()).isEqualTo(404);
        HttpResponse<String> big = call("CreateLogGroup", "{\"logGroupName\":\"" + "g".repeat(5000) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(json.readTree(big.body()).get("__type").asText()).isEqualTo("SerializationException");
    }

    @Test
    void aGzipBodyIsReadAndItsInflatedSizeCounts() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write("{\"logGroupName\":\"zipped\"}".getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = call(
                "CreateLogGroup",
                HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray()),
                "Content-Encoding",
                "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(cw.logGroups()).extracting(LogGroupInfo::name).containsExactly("zipped");
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
            gz.write(("{\"logGroupName\":\"" + "g".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(call(
                                "CreateLogGroup",
                                HttpRequest.BodyPublishers.ofByteArray(bomb.toByteArray()),
                                "Content-Encoding",
                                "gzip")
                        .statusCode())
                .isEqualTo(413);
    }

    @Test
    void theRegionComesFromTheSignaturesCredentialScope() throws Exception {
        call("CreateLogGroup", "{\"logGroupName\":\"g\"}", "Authorization", SIGNED_IN_EU);
        JsonNode groups = json.readTree(
                call("DescribeLogGroups", "{}", "Authorization", SIGNED_IN_EU).body());
        assertThat(groups.get("logGroups").get(0).get("arn").asText()).startsWith("arn:aws:logs:eu-west-1:");
        assertThat(RequestHandler.region(SIGNED_IN_EU)).isEqualTo("eu-west-1");
        assertThat(RequestHandler.region(null)).isEqualTo(LocalCloudWatchLogs.DEFAULT_REGION);
        assertThat(RequestHandler.region("Bearer x")).isEqualTo(LocalCloudWatchLogs.DEFAULT_REGION);
        assertThat(RequestHandler.region("AWS4-HMAC-SHA256 Credential=AKID/20260310/EU WEST/logs/aws4_request"))
                .isEqualTo(LocalCloudWatchLogs.DEFAULT_REGION);
    }

    @Test
    void errorsNameTheirShapeInBodyAndHeaderAndEveryResponseHasItsOwnRequestId() throws Exception {
        HttpResponse<String> missing = call("DeleteLogGroup", "{\"logGroupName\":\"none\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.headers().firstValue("X-Amzn-ErrorType")).hasValue("ResourceNotFoundException");
        JsonNode body = json.readTree(missing.body());
        assertThat(body.get("__type").asText()).isEqualTo("ResourceNotFoundException");
        assertThat(body.get("message").asText()).isEqualTo("The specified log group does not exist.");
        HttpResponse<String> ok = call("CreateLogGroup", "{\"logGroupName\":\"g\"}");
        assertThat(ok.headers().firstValue("X-Amzn-ErrorType")).isEmpty();
        assertThat(ok.headers().firstValue("x-amzn-RequestId"))
                .isPresent()
                .isNotEqualTo(missing.headers().firstValue("x-amzn-RequestId"));
    }

    @Test
    void anArmedFaultAnswersInsteadOfTheOperationAndIsCounted() throws Exception {
        cw.faults().throttle("CreateLogGroup", 1);
        HttpResponse<String> throttled = call("CreateLogGroup", "{\"logGroupName\":\"g\"}");
        assertThat(throttled.statusCode()).isEqualTo(400);
        assertThat(json.readTree(throttled.body()).get("__type").asText()).isEqualTo("ThrottlingException");
        assertThat(cw.logGroups()).isEmpty();
        assertThat(call("CreateLogGroup", "{\"logGroupName\":\"g\"}").statusCode())
                .isEqualTo(200);
        assertThat(cw.faults().calls("CreateLogGroup")).isEqualTo(2);
        call("Nope", "{}");
        assertThat(cw.faults().calls("UnknownOperation")).isEqualTo(1);
    }
}
