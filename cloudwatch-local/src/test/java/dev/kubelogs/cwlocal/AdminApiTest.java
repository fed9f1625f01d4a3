package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ServiceUnavailableException;

/** The admin HTTP API: faults armed, listed and cleared from another process, the call and store statistics. */
class AdminApiTest extends EndpointTestBase {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void target() {
        createGroupAndStream("g", "s");
        cw.faults().resetCounters();
    }

    private JsonNode admin(String method, String path, String body, int expectedStatus) throws Exception {
        HttpRequest.BodyPublisher publisher =
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return send(
                http, HttpRequest.newBuilder(cw.endpoint().resolve(path)).method(method, publisher), expectedStatus);
    }

    @Test
    void theAdminApiReportsHealthCallsAndStore() throws Exception {
        assertThat(admin("GET", "/_health", null, 200).get("status").asText()).isEqualTo("ok");
        put("g", "s", ev(NOW_MS, "hi"));
        JsonNode stats = admin("GET", "/_stats", null, 200);
        assertThat(stats.get("calls").get("PutLogEvents").asLong()).isEqualTo(1);
        assertThat(stats.get("logGroups").asInt()).isEqualTo(1);
        assertThat(stats.get("logStreams").asInt()).isEqualTo(1);
        assertThat(stats.get("events").asLong()).isEqualTo(1);
        assertThat(stats.get("storedBytes").asLong()).isEqualTo(2);
        assertThat(admin("DELETE", "/_stats", null, 200).get("calls").size()).isZero();
        assertThat(admin("GET", "/_nope", null, 404).get("error").asText()).contains("/_health, /_faults, /_stats");
    }

    @Test
    void wrongMethodsAndBodiesAreAdminErrors() throws Exception {
        assertThat(admin("PUT", "/_faults", "{}", 405).get("error").asText()).isEqualTo("use GET, POST or DELETE");
        assertThat(admin("POST", "/_stats", "{}", 405).get("error").asText()).isEqualTo("use GET or DELETE");
        assertThat(admin("POST", "/_faults", "5", 400).get("error").asText())
                .isEqualTo("expected a fault object or an array of them");
        assertThat(admin("POST", "/_faults", "{\"fault\":\"delayResponse\"}", 400)
                        .get("error")
                        .asText())
                .isEqualTo("delayMillis is required");
        assertThat(cw.faults().pending()).isZero();
    }

    @Test
    void theAdminHttpApiDrivesFaultsFromAnotherProcess() throws Exception {
        URI faults = cw.endpoint().resolve("/_faults");

        JsonNode armed = send(
                http,
                HttpRequest.newBuilder(faults)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"fault\":\"throttle\",\"count\":1,\"operation\":\"PutLogEvents\"}")),
                200);
        assertThat(armed.get("armed").get(0).get("fault").asText()).isEqualTo("THROTTLE");
        assertThat(armed.get("armed").get(0).get("remaining").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "x")))
                .satisfies(e -> assertThat(
                                ((CloudWatchLogsException) e).awsErrorDetails().errorCode())
                        .isEqualTo("ThrottlingException"));

        send(
                http,
                HttpRequest.newBuilder(faults)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "[{\"fault\":\"unavailable\",\"status\":500},{\"fault\":\"dropResponse\"}]")),
                200);
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "x")))
                .isInstanceOf(ServiceUnavailableException.class)
                .satisfies(
                        e -> assertThat(((SdkServiceException) e).statusCode()).isEqualTo(500));
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "dropped but stored")))
                .isInstanceOf(SdkClientException.class);
        assertThat(storedMessages("g", "s")).containsExactly("dropped but stored");

        JsonNode more = send(
                http,
                HttpRequest.newBuilder(faults)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "[{\"fault\":\"delayResponse\",\"delayMillis\":5000,\"count\":2},"
                                        + "{\"fault\":\"slow\",\"operation\":\"GetLogEvents\",\"delayMillis\":10}]")),
                200);
        assertThat(more.get("armed")).hasSize(2);
        assertThat(more.get("armed").get(0).get("delayMillis").asLong()).isEqualTo(5000);
        assertThat(more.get("armed").get(1).get("fault").asText()).isEqualTo("SLOW");
        assertThat(send(http, HttpRequest.newBuilder(faults).DELETE(), 200).get("armed"))
                .isEmpty();

        JsonNode errors = send(
                http,
                HttpRequest.newBuilder(faults)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "[{\"fault\":\"accessDenied\"},{\"fault\":\"unrecognizedClient\",\"operation\":\"GetLogEvents\"},"
                                        + "{\"fault\":\"error\",\"type\":\"KMSInvalidStateException\",\"status\":400},"
                                        + "{\"fault\":\"hang\",\"operation\":\"DescribeLogGroups\"}]")),
                200);
        assertThat(errors.get("armed")).hasSize(4);
        assertThat(errors.get("armed").get(2).get("type").asText()).isEqualTo("KMSInvalidStateException");
        assertThat(errors.get("armed").get(3).get("fault").asText()).isEqualTo("HANG");
        assertThat(send(http, HttpRequest.newBuilder(faults).DELETE(), 200).get("armed"))
                .isEmpty();
        send(
                http,
                HttpRequest.newBuilder(faults).POST(HttpRequest.BodyPublishers.ofString("{\"fault\":\"error\"}")),
                400);

        JsonNode stats = send(
                http, HttpRequest.newBuilder(cw.endpoint().resolve("/_stats")).GET(), 200);
        assertThat(stats.get("calls").get("PutLogEvents").asLong()).isEqualTo(3);
        assertThat(stats.get("faultsInjected").get("THROTTLE").asLong()).isEqualTo(1);
        assertThat(stats.get("faultsInjected").get("UNAVAILABLE").asLong()).isEqualTo(1);
        assertThat(stats.get("faultsInjected").get("DROP_RESPONSE").asLong()).isEqualTo(1);
        assertThat(stats.get("events").asLong()).isEqualTo(1);
        assertThat(stats.get("logGroups").asLong()).isEqualTo(1);
        assertThat(send(
                                http,
                                HttpRequest.newBuilder(cw.endpoint().resolve("/_stats"))
                                        .DELETE(),
                                200)
                        .get("calls"))
                .isEmpty();

        assertThat(send(
                                http,
                                HttpRequest.newBuilder(faults)
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"fault\":\"explode\"}")),
                                400)
                        .get("error")
                        .asText())
                .contains("unknown fault");
        assertThat(send(
                                http,
                                HttpRequest.newBuilder(faults)
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"fault\":\"throttle\",\"operation\":\"Nope\"}")),
                                400)
                        .get("error")
                        .asText())
                .contains("unknown operation");
        send(
                http,
                HttpRequest.newBuilder(faults).POST(HttpRequest.BodyPublishers.ofString("{\"fault\":\"slow\"}")),
                400);
        send(http, HttpRequest.newBuilder(faults).POST(HttpRequest.BodyPublishers.ofString("{not json")), 400);
        assertThat(send(
                                http,
                                HttpRequest.newBuilder(cw.endpoint().resolve("/_health"))
                                        .GET(),
                                200)
                        .get("status")
                        .asText())
                .isEqualTo("ok");
        send(http, HttpRequest.newBuilder(cw.endpoint().resolve("/_nothing")).GET(), 404);
        assertThat(cw.faults().pending()).isZero();
    }

    private JsonNode send(HttpClient http, HttpRequest.Builder request, int expectedStatus) throws Exception {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedStatus);
        return json.readTree(r.body());
    }
}
