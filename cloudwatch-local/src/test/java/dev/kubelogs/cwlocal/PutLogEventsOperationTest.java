package dev.kubelogs.cwlocal;

import static dev.kubelogs.cwlocal.OperationCalls.NOW_MS;
import static dev.kubelogs.cwlocal.OperationCalls.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PutLogEvents on request bodies: the streamed parse, the batch rules in the service's order and wording, and the
 * response. The time rules (too old, too new, expired) are the store's and are tested through the SDK in
 * PutLogEventsTest.
 */
class PutLogEventsOperationTest {
    private OperationCalls calls;
    private PutLogEventsOperation put;

    @BeforeEach
    void setUp() throws Exception {
        calls = new OperationCalls();
        put = new PutLogEventsOperation(calls.store, calls.bodies);
        calls.store.createLogGroup("g", "STANDARD");
        calls.store.createLogStream("g", "s");
    }

    @AfterEach
    void tearDown() throws Exception {
        calls.close();
    }

    private JsonNode put(String events) throws Exception {
        return calls.call(put, "{\"logGroupName\":\"g\",\"logStreamName\":\"s\",\"logEvents\":" + events + "}");
    }

    private static String event(long timestamp, String message) {
        return "{\"timestamp\":" + timestamp + ",\"message\":\"" + message + "\"}";
    }

    private static String events(String... events) {
        return "[" + String.join(",", events) + "]";
    }

    @Test
    void storesABatchOfAnyLengthInOrderAndSkipsMembersItDoesNotUse() throws Exception {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 40; i++) { // more than the parser's first arrays hold
            many.append(i == 0 ? "" : ",")
                    .append("{\"entity\":{\"a\":[1]},\"timestamp\":")
                    .append(NOW_MS + i)
                    .append(",\"message\":\"m")
                    .append(i)
                    .append("\"}");
        }
        JsonNode out = calls.call(
                put,
                "{\"sequenceToken\":\"x\",\"logGroupName\":\"g\",\"entity\":{\"keyAttributes\":{}},"
                        + "\"logStreamName\":\"s\",\"logEvents\":" + many.append(']') + "}");
        assertThat(out.has("rejectedLogEventsInfo")).isFalse();
        assertThat(calls.store.events("g", "s")).hasSize(40);
        assertThat(calls.store.events("g", "s").get(39).message()).isEqualTo("m39");
        assertThat(calls.store.events("g", "s").get(39).timestamp()).isEqualTo(NOW_MS + 39);
    }

    @Test
    void eachResponseCarriesANewSequenceToken() throws Exception {
        String first = put(events(event(NOW_MS, "a"))).get("nextSequenceToken").asText();
        String second = put(events(event(NOW_MS, "b"))).get("nextSequenceToken").asText();
        assertThat(first).hasSize(56).containsOnlyDigits();
        assertThat(second).hasSize(56).isGreaterThan(first);
    }

    @Test
    void rejectedEventsAreReportedByIndex() throws Exception {
        JsonNode out = put(events(
                event(NOW_MS - LogStore.MAX_PAST_MS - 1, "old"),
                event(NOW_MS, "ok"),
                event(NOW_MS + LogStore.MAX_FUTURE_MS + 1, "new")));
        JsonNode rejected = out.get("rejectedLogEventsInfo");
        assertThat(rejected.get("tooOldLogEventEndIndex").asInt()).isEqualTo(1);
        assertThat(rejected.get("tooNewLogEventStartIndex").asInt()).isEqualTo(2);
        assertThat(rejected.has("expiredLogEventEndIndex")).isFalse();
        assertThat(calls.store.events("g", "s"))
                .extracting(StoredEvent::message)
                .containsExactly("ok");
    }

    @Test
    void aBodyOfTheWrongShapeIsASerializationError() {
        assertThat(refused(() -> calls.call(put, "[]")).getMessage())
                .isEqualTo("Start of structure or map found where not expected.");
        assertThat(refused(() -> put("{}")).getMessage()).isEqualTo("Expected a list for logEvents");
        assertThat(refused(() -> put("[1]")).getMessage()).isEqualTo("Expected a structure in logEvents");
        assertThat(refused(() -> put("[{\"timestamp\":\"1\",\"message\":\"m\"}]"))
                        .getMessage())
                .isEqualTo("Expected a long for timestamp");
        assertThat(refused(() -> put("[{\"timestamp\":1,\"message\":2}]")).getMessage())
                .isEqualTo("Expected a string for message");
        ApiException truncated = refused(() -> calls.call(put, "{\"logGroupName\":\"g\",\"logEvents\":[{"));
        assertThat(truncated.type()).isEqualTo("SerializationException");
        assertThat(truncated.getMessage()).startsWith("Malformed JSON: ");
    }

    @Test
    void requiredMembersAreCheckedGroupStreamEventsInThatOrder() {
        assertThat(refused(() -> calls.call(put, "{\"logStreamName\":\"a:b\"}")).getMessage())
                .contains("'logGroupName'", "Member must not be null");
        assertThat(refused(() -> calls.call(put, "{\"logGroupName\":\"g\"}")).getMessage())
                .contains("'logStreamName'", "Member must not be null");
        assertThat(refused(() -> calls.call(put, "{\"logGroupName\":\"g\",\"logStreamName\":\"a:b\"}"))
                        .getMessage())
                .contains("'logStreamName'", "[^:*]*");
        assertThat(refused(() -> put("null")).getMessage()).contains("'logEvents'", "Member must not be null");
        assertThat(refused(() -> put("[]")).getMessage())
                .contains("'logEvents'", "Member must have length greater than or equal to 1");
    }

    @Test
    void eventsAreNamedByTheirOneBasedIndex() {
        assertThat(refused(() -> put(events(event(NOW_MS, "a"), "{\"message\":\"b\"}")))
                        .getMessage())
                .contains("'logEvents.2.member.timestamp'", "Member must not be null");
        assertThat(refused(() -> put(events(event(-1, "a")))).getMessage())
                .contains("'logEvents.1.member.timestamp'", "Member must have value greater than or equal to 0");
        assertThat(refused(() -> put(events(event(NOW_MS, "a"), "{\"timestamp\":1}")))
                        .getMessage())
                .contains("'logEvents.2.member.message'", "Member must not be null");
        assertThat(refused(() -> put(events(event(NOW_MS, "")))).getMessage())
                .contains("'logEvents.1.member.message'", "Member must have length greater than or equal to 1");
        assertThat(refused(() -> put(events(event(NOW_MS, "b"), event(NOW_MS - 1, "a"))))
                        .getMessage())
                .isEqualTo("Log events in a single PutLogEvents request must be in chronological order.");
    }

    @Test
    void atMostTenThousandEvents() throws Exception {
        String[] tooMany = new String[PutLogEventsOperation.MAX_BATCH_EVENTS + 1];
        java.util.Arrays.fill(tooMany, event(NOW_MS, "m"));
        assertThat(refused(() -> put(events(tooMany))).getMessage())
                .contains("'10001 events'", "Member must have length less than or equal to 10000");
        put(events(java.util.Arrays.copyOf(tooMany, PutLogEventsOperation.MAX_BATCH_EVENTS)));
        assertThat(calls.store.events("g", "s")).hasSize(10_000);
    }

    @Test
    void sizesAreUtf8BytesPlus26PerEventUpToOneMebibyte() throws Exception {
        int largestMessage = PutLogEventsOperation.MAX_BATCH_BYTES - Event.OVERHEAD;
        assertThat(refused(() -> put(events(event(NOW_MS, "x".repeat(largestMessage + 1)))))
                        .getMessage())
                .isEqualTo("Log event too large: 1048577 bytes exceeds limit of 1048576");
        int half = PutLogEventsOperation.MAX_BATCH_BYTES / 2 - Event.OVERHEAD;
        assertThat(refused(() -> put(events(event(NOW_MS, "x".repeat(half)), event(NOW_MS, "x".repeat(half + 1)))))
                        .getMessage())
                .isEqualTo("Upload too large: 1048577 bytes exceeds limit of 1048576");
        // "é" is two UTF-8 bytes: counted in bytes, half as many characters fill the batch
        put(events(event(NOW_MS, "\u00e9".repeat(half / 2)), event(NOW_MS, "x".repeat(half))));
        put(events(event(NOW_MS, "x".repeat(largestMessage))));
        assertThat(calls.store.events("g", "s")).hasSize(3);
    }

    @Test
    void anUnpairedSurrogateIsStoredAsTheReplacementCharacter() throws Exception {
        put(events(event(NOW_MS, "a\\ud800b")));
        assertThat(calls.store.events("g", "s").get(0).message()).isEqualTo("a\uFFFDb");
        assertThat(calls.store.groupInfos().get(0).storedBytes()).isEqualTo(5);
    }
}
