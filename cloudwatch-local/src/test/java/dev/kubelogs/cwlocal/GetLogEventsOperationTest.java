package dev.kubelogs.cwlocal;

import static dev.kubelogs.cwlocal.OperationCalls.NOW_MS;
import static dev.kubelogs.cwlocal.OperationCalls.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GetLogEvents on request bodies: time range, direction, limit and the paging tokens as CloudWatch Logs has them. */
class GetLogEventsOperationTest {
    private static final long T0 = NOW_MS - 10_000;

    private OperationCalls calls;
    private GetLogEventsOperation get;

    @BeforeEach
    void setUp() throws Exception {
        calls = new OperationCalls();
        get = new GetLogEventsOperation(calls.store, calls.bodies);
        calls.store.createLogGroup("g", "STANDARD");
        calls.store.createLogStream("g", "s");
        PutLogEventsOperation put = new PutLogEventsOperation(calls.store, calls.bodies);
        StringBuilder events = new StringBuilder("[");
        for (int i = 0; i < 5; i++) {
            events.append(i == 0 ? "" : ",")
                    .append("{\"timestamp\":")
                    .append(T0 + i * 1000L)
                    .append(",\"message\":\"e")
                    .append(i)
                    .append("\"}");
        }
        calls.call(put, "{\"logGroupName\":\"g\",\"logStreamName\":\"s\",\"logEvents\":" + events + "]}");
    }

    @AfterEach
    void tearDown() throws Exception {
        calls.close();
    }

    private JsonNode get(String members) throws Exception {
        return calls.call(get, "{\"logGroupName\":\"g\",\"logStreamName\":\"s\"" + members + "}");
    }

    private static List<String> messages(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("events").forEach(e -> out.add(e.get("message").asText()));
        return out;
    }

    @Test
    void fromTheHeadPagesGoForwardUntilTheTokenComesBackUnchanged() throws Exception {
        JsonNode p1 = get(",\"startFromHead\":true,\"limit\":2");
        assertThat(messages(p1)).containsExactly("e0", "e1");
        JsonNode p2 =
                get(",\"limit\":2,\"nextToken\":\"" + p1.get("nextForwardToken").asText() + "\"");
        assertThat(messages(p2)).containsExactly("e2", "e3");
        JsonNode p3 =
                get(",\"limit\":2,\"nextToken\":\"" + p2.get("nextForwardToken").asText() + "\"");
        assertThat(messages(p3)).containsExactly("e4");
        String last = p3.get("nextForwardToken").asText();
        JsonNode p4 = get(",\"limit\":2,\"nextToken\":\"" + last + "\"");

        assertThat(messages(p4)).isEmpty();
        assertThat(p4.get("nextForwardToken").asText())
                .as("the end: the same token")
                .isEqualTo(last);
    }

    @Test
    void withoutStartFromHeadTheNewestEventsComeFirstInAscendingOrderAndPagesGoBackward() throws Exception {
        JsonNode p1 = get(",\"limit\":2");
        assertThat(messages(p1)).containsExactly("e3", "e4");
        JsonNode p2 = get(
                ",\"limit\":2,\"nextToken\":\"" + p1.get("nextBackwardToken").asText() + "\"");
        assertThat(messages(p2)).containsExactly("e1", "e2");
        JsonNode p3 = get(
                ",\"limit\":2,\"nextToken\":\"" + p2.get("nextBackwardToken").asText() + "\"");
        assertThat(messages(p3)).containsExactly("e0");
        String last = p3.get("nextBackwardToken").asText();
        JsonNode p4 = get(",\"limit\":2,\"nextToken\":\"" + last + "\"");

        assertThat(messages(p4)).isEmpty();
        assertThat(p4.get("nextBackwardToken").asText()).isEqualTo(last);
    }

    @Test
    void itemsHoldTimestampMessageAndIngestionTimeButNoEventId() throws Exception {
        JsonNode e = get(",\"startFromHead\":true,\"limit\":1").get("events").get(0);

        assertThat(e.get("timestamp").asLong()).isEqualTo(T0);
        assertThat(e.get("ingestionTime").asLong()).isEqualTo(NOW_MS);
        assertThat(e.has("eventId")).isFalse();
        assertThat(e.has("logStreamName")).isFalse();
    }

    @Test
    void startTimeIsInclusiveAndEndTimeExclusive() throws Exception {
        String range = ",\"startTime\":" + (T0 + 1000) + ",\"endTime\":" + (T0 + 3000);

        assertThat(messages(get(range + ",\"startFromHead\":true"))).containsExactly("e1", "e2");
        assertThat(messages(get(range))).containsExactly("e1", "e2");
    }

    @Test
    void anEmptyRangeAnswersAnEmptyPageWithTokens() throws Exception {
        JsonNode page = get(",\"startTime\":" + (T0 + 3000) + ",\"endTime\":" + (T0 + 3000));

        assertThat(messages(page)).isEmpty();
        assertThat(page.get("nextForwardToken").asText()).startsWith("f/");
        assertThat(page.get("nextBackwardToken").asText()).startsWith("b/");
    }

    @Test
    void eventsStoredLaterAreSeenFromTheLastForwardToken() throws Exception {
        String token = get(",\"startFromHead\":true").get("nextForwardToken").asText();
        calls.call(
                new PutLogEventsOperation(calls.store, calls.bodies),
                "{\"logGroupName\":\"g\",\"logStreamName\":\"s\",\"logEvents\":[{\"timestamp\":" + (T0 + 9000)
                        + ",\"message\":\"late\"}]}");

        assertThat(messages(get(",\"nextToken\":\"" + token + "\""))).containsExactly("late");
    }

    @Test
    void aLimitOutside1To10000IsRefused() {
        assertThat(refused(() -> get(",\"limit\":0")).type()).isEqualTo("InvalidParameterException");
        assertThat(refused(() -> get(",\"limit\":10001")).type()).isEqualTo("InvalidParameterException");
    }

    @Test
    void aTokenNotOfThisEndpointIsRefused() {
        assertThat(refused(() -> get(",\"nextToken\":\"x/1/2\"")).type()).isEqualTo("InvalidParameterException");
        assertThat(refused(() -> get(",\"nextToken\":\"f/garbage\"")).type()).isEqualTo("InvalidParameterException");
    }

    @Test
    void aMissingStreamOrGroupIsNotFound() {
        ApiException stream = refused(() -> calls.call(get, "{\"logGroupName\":\"g\",\"logStreamName\":\"nope\"}"));
        assertThat(stream.type()).isEqualTo("ResourceNotFoundException");
        assertThat(stream).hasMessage("The specified log stream does not exist.");
        ApiException group = refused(() -> calls.call(get, "{\"logGroupName\":\"nope\",\"logStreamName\":\"s\"}"));
        assertThat(group).hasMessage("The specified log group does not exist.");
    }
}
