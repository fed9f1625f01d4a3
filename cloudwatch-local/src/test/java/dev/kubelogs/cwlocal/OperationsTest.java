package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operations on request bodies, without HTTP: validation as CloudWatch words it, paging tokens, ARNs. What the
 * SDK sees of each operation is in PutLogEventsTest, GetLogEventsTest, FilterLogEventsTest and ResourcesTest.
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

    private static ApiException refused(ThrowingCall c) {
        try {
            c.run();
        } catch (ApiException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected an ApiException", e);
        }
        throw new AssertionError("expected an ApiException");
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
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
    void namesAreValidatedAsCloudWatchWordsIt() {
        ApiException missing = refused(() -> call("CreateLogGroup", "{}"));
        assertThat(missing.type()).isEqualTo("InvalidParameterException");
        assertThat(missing.getMessage()).contains("logGroupName", "Member must not be null");
        assertThat(refused(() -> call("CreateLogGroup", "{\"logGroupName\":\"bad name!\"}"))
                        .getMessage())
                .contains("Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
        assertThat(refused(() -> call("CreateLogGroup", "{\"logGroupName\":\"" + "g".repeat(513) + "\"}"))
                        .getMessage())
                .contains("Member must have length less than or equal to 512");
        assertThat(refused(() -> RequestMembers.checkStreamName("a:b", "logStreamName"))
                        .getMessage())
                .contains("[^:*]*");
        assertThat(refused(() -> call("PutRetentionPolicy", "{\"logGroupName\":\"g\",\"retentionInDays\":2}"))
                        .getMessage())
                .contains("retentionInDays");
    }

    @Test
    void describeLogGroupsPagesWithATokenOnlyItAccepts() throws Exception {
        for (String g : new String[] {"a", "b", "c"}) {
            call("CreateLogGroup", "{\"logGroupName\":\"" + g + "\"}");
        }
        JsonNode first = call("DescribeLogGroups", "{\"limit\":2}");
        assertThat(first.get("logGroups"))
                .extracting(n -> n.get("logGroupName").asText())
                .containsExactly("a", "b");
        String token = first.get("nextToken").asText();
        JsonNode second = call("DescribeLogGroups", "{\"limit\":2,\"nextToken\":\"" + token + "\"}");
        assertThat(second.get("logGroups"))
                .extracting(n -> n.get("logGroupName").asText())
                .containsExactly("c");
        assertThat(second.has("nextToken")).isFalse();
        assertThat(second.get("logGroups").get(0).get("arn").asText())
                .isEqualTo("arn:aws:logs:us-east-1:" + LocalCloudWatchLogs.ACCOUNT_ID + ":log-group:c:*");
        ApiException bad = refused(() -> call("DescribeLogGroups", "{\"nextToken\":\"not-a-token\"}"));
        assertThat(bad.type()).isEqualTo("InvalidParameterException");
        assertThat(bad.getMessage()).isEqualTo("The specified nextToken is invalid.");
        assertThat(refused(() -> call("DescribeLogGroups", "{\"limit\":51}")).getMessage())
                .contains("Member must have value less than or equal to 50");
    }

    @Test
    void arnsNameThePartitionOfTheRegion() {
        assertThat(Arns.logGroup("us-west-2", "g")).startsWith("arn:aws:logs:us-west-2:");
        assertThat(Arns.logGroup("cn-north-1", "g")).startsWith("arn:aws-cn:logs:");
        assertThat(Arns.logGroup("us-gov-west-1", "g")).startsWith("arn:aws-us-gov:logs:");
    }
}
