package dev.kubelogs.cwlocal;

import static dev.kubelogs.cwlocal.OperationCalls.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The table of operations: which names it serves, and that each takes its request body through the shared JSON
 * reading. Each operation has its own test ({@code LogGroupOperationsTest}, {@code PutLogEventsOperationTest}...);
 * what the SDK sees of them is in PutLogEventsTest, GetLogEventsTest, FilterLogEventsTest and ResourcesTest.
 */
class OperationsTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private LogStore store;
    private Operations ops;

    @BeforeEach
    void setUp() throws Exception {
        store = new LogStore(new SettableClock(Instant.parse("2026-03-10T12:00:00Z")), null, mapper);
        ops = new Operations(store, mapper);
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
    }

    private JsonNode call(String operation, String body) throws Exception {
        byte[] out = ops.get(operation).apply(new Operations.Call(body.getBytes(StandardCharsets.UTF_8), "us-east-1"));
        return mapper.readTree(out);
    }

    @Test
    void servesTheElevenOperationsAndNothingElse() {
        assertThat(ops.names())
                .containsExactlyInAnyOrder(
                        "CreateLogGroup",
                        "DeleteLogGroup",
                        "DescribeLogGroups",
                        "CreateLogStream",
                        "DeleteLogStream",
                        "DescribeLogStreams",
                        "PutRetentionPolicy",
                        "DeleteRetentionPolicy",
                        "PutLogEvents",
                        "GetLogEvents",
                        "FilterLogEvents");
        assertThat(ops.get("CreateExportTask")).isNull();
        assertThat(ops.get(null)).isNull();
    }

    @Test
    void badBodiesAreSerializationErrors() {
        ApiException malformed = refused(() -> call("CreateLogGroup", "{\"logGroupName\":"));
        assertThat(malformed.type()).isEqualTo("SerializationException");
        assertThat(refused(() -> call("CreateLogGroup", "[]")).type()).isEqualTo("SerializationException");
        assertThat(refused(() -> call("CreateLogGroup", "{\"logGroupName\":5}")).getMessage())
                .contains("Expected a string for logGroupName");
    }

    @Test
    void eachOperationAnswersOneJsonObject() throws Exception {
        assertThat(call("CreateLogGroup", "{\"logGroupName\":\"g\"}").isObject())
                .isTrue();
        assertThat(call("DescribeLogGroups", "").get("logGroups")).hasSize(1);
    }
}
