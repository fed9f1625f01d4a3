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

/**
 * FilterLogEvents on request bodies: a group's streams merged by timestamp then ingestion, stream selection, the time
 * range, the filter pattern and paging while a nextToken comes back.
 */
class FilterLogEventsOperationTest {
    private static final long T0 = NOW_MS - 10_000;

    private OperationCalls calls;
    private FilterLogEventsOperation filter;
    private PutLogEventsOperation put;

    @BeforeEach
    void setUp() throws Exception {
        calls = new OperationCalls();
        filter = new FilterLogEventsOperation(calls.store, calls.bodies);
        put = new PutLogEventsOperation(calls.store, calls.bodies);
        calls.store.createLogGroup("g", "STANDARD");
        calls.store.createLogStream("g", "app-1");
        calls.store.createLogStream("g", "app-2");
        calls.store.createLogStream("g", "db-1");
        put("app-1", event(T0, "ERROR a"), event(T0 + 2000, "INFO b"));
        put("app-2", event(T0 + 1000, "ERROR c"), event(T0 + 2000, "ERROR d"));
        put("db-1", event(T0 + 500, "WARN e"));
    }

    @AfterEach
    void tearDown() throws Exception {
        calls.close();
    }

    private void put(String stream, String... events) throws Exception {
        calls.call(
                put,
                "{\"logGroupName\":\"g\",\"logStreamName\":\"" + stream + "\",\"logEvents\":["
                        + String.join(",", events) + "]}");
    }

    private static String event(long timestamp, String message) {
        return "{\"timestamp\":" + timestamp + ",\"message\":\"" + message + "\"}";
    }

    private JsonNode filter(String members) throws Exception {
        return calls.call(filter, "{\"logGroupName\":\"g\"" + members + "}");
    }

    private static List<String> messages(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("events").forEach(e -> out.add(e.get("message").asText()));
        return out;
    }

    @Test
    void theGroupsStreamsAreMergedByTimestampThenIngestion() throws Exception {
        JsonNode page = filter("");

        assertThat(messages(page)).containsExactly("ERROR a", "WARN e", "ERROR c", "INFO b", "ERROR d");
        assertThat(page.has("nextToken")).as("one page holds everything").isFalse();
        JsonNode first = page.get("events").get(0);
        assertThat(first.get("logStreamName").asText()).isEqualTo("app-1");
        assertThat(first.get("timestamp").asLong()).isEqualTo(T0);
        assertThat(first.get("ingestionTime").asLong()).isEqualTo(NOW_MS);
        assertThat(first.get("eventId").asText()).hasSize(56).startsWith(String.format("%020d", T0));
    }

    @Test
    void everyEventHasItsOwnId() throws Exception {
        List<String> ids = new ArrayList<>();
        filter("").get("events").forEach(e -> ids.add(e.get("eventId").asText()));
        assertThat(ids).doesNotHaveDuplicates().hasSize(5);
    }

    @Test
    void streamsAreChosenByNameOrByPrefix() throws Exception {
        assertThat(messages(filter(",\"logStreamNames\":[\"db-1\",\"app-2\"]")))
                .containsExactly("WARN e", "ERROR c", "ERROR d");
        assertThat(messages(filter(",\"logStreamNamePrefix\":\"app-\"")))
                .containsExactly("ERROR a", "ERROR c", "INFO b", "ERROR d");
    }

    @Test
    void namesAndPrefixTogetherOrTooManyOrNoNamesAreRefused() {
        ApiException both = refused(() -> filter(",\"logStreamNames\":[\"app-1\"],\"logStreamNamePrefix\":\"app\""));
        assertThat(both.type()).isEqualTo("InvalidParameterException");
        assertThat(both).hasMessageContaining("mutually exclusive");

        assertThat(refused(() -> filter(",\"logStreamNames\":[]")).type()).isEqualTo("InvalidParameterException");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("\"s").append(i).append('"');
        }
        assertThat(refused(() -> filter(",\"logStreamNames\":" + many + "]")))
                .hasMessageContaining("Member must have length between 1 and 100");
    }

    @Test
    void theTimeRangeIncludesBothStartAndEnd() throws Exception {
        assertThat(messages(filter(",\"startTime\":" + (T0 + 1000) + ",\"endTime\":" + (T0 + 2000))))
                .containsExactly("ERROR c", "INFO b", "ERROR d");
        assertThat(messages(filter(",\"endTime\":" + T0))).containsExactly("ERROR a");
    }

    @Test
    void onlyMatchingEventsAreReturned() throws Exception {
        assertThat(messages(filter(",\"filterPattern\":\"ERROR -d\""))).containsExactly("ERROR a", "ERROR c");
        assertThat(messages(filter(",\"filterPattern\":\"?WARN ?INFO\""))).containsExactly("WARN e", "INFO b");
    }

    @Test
    void aFilterPatternOver1024CharactersOrOfAnUnsupportedKindIsRefused() {
        assertThat(refused(() -> filter(",\"filterPattern\":\"" + "x".repeat(1025) + "\""))
                        .type())
                .isEqualTo("InvalidParameterException");
        assertThat(refused(() -> filter(",\"filterPattern\":\"{ $.level = 1 }\""))
                        .type())
                .isEqualTo("InvalidParameterException");
    }

    @Test
    void pagesFollowEachOtherWhileANextTokenComesBack() throws Exception {
        List<String> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = filter(",\"limit\":2" + (token == null ? "" : ",\"nextToken\":\"" + token + "\""));
            all.addAll(messages(page));
            token = page.has("nextToken") ? page.get("nextToken").asText() : null;
            pages++;
        } while (token != null && pages < 10);

        assertThat(all).containsExactly("ERROR a", "WARN e", "ERROR c", "INFO b", "ERROR d");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void aTokenOfAnotherKindIsRefused() {
        assertThat(refused(() -> filter(",\"nextToken\":\"f/1/2\"")).type()).isEqualTo("InvalidParameterException");
    }

    @Test
    void aNamedStreamThatDoesNotExistIsNotFound() {
        assertThat(refused(() -> filter(",\"logStreamNames\":[\"nope\"]")).type())
                .isEqualTo("ResourceNotFoundException");
        assertThat(refused(() -> calls.call(filter, "{\"logGroupName\":\"nope\"}")))
                .hasMessage("The specified log group does not exist.");
    }
}
