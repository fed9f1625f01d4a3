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

/** The log stream operations on request bodies: create and delete, DescribeLogStreams' orders, pages and tokens. */
class LogStreamOperationsTest {
    private OperationCalls calls;
    private LogStreamOperations streams;

    @BeforeEach
    void setUp() throws Exception {
        calls = new OperationCalls();
        streams = new LogStreamOperations(calls.store, calls.bodies);
        calls.store.createLogGroup("g", "STANDARD");
    }

    @AfterEach
    void tearDown() throws Exception {
        calls.close();
    }

    private void create(String... names) throws Exception {
        for (String name : names) {
            calls.call(streams::createLogStream, "{\"logGroupName\":\"g\",\"logStreamName\":\"" + name + "\"}");
        }
    }

    private void putAt(String stream, long timestamp) {
        calls.store.put("g", stream, new long[] {timestamp}, new String[] {"m"}, new int[] {1});
    }

    private JsonNode describe(String members) throws Exception {
        return calls.call(streams::describeLogStreams, "{\"logGroupName\":\"g\"" + members + "}");
    }

    /** Every page of a listing, following nextToken (a token that never ends the listing fails the test). */
    private List<String> allPages(String members) throws Exception {
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            assertThat(seen).as("streams listed before this page").hasSizeLessThan(20);
            JsonNode page = describe(members + (token == null ? "" : ",\"nextToken\":\"" + token + "\""));
            page.get("logStreams").forEach(s -> seen.add(s.get("logStreamName").asText()));
            token = page.has("nextToken") ? page.get("nextToken").asText() : null;
        } while (token != null);
        return seen;
    }

    @Test
    void createAndDeleteNeedTheGroupAndRefuseDuplicates() throws Exception {
        create("s");
        assertThat(calls.store.streamInfos("g")).extracting(LogStreamInfo::name).containsExactly("s");
        assertThat(refused(() -> create("s")).type()).isEqualTo("ResourceAlreadyExistsException");
        assertThat(refused(() -> calls.call(
                                streams::createLogStream, "{\"logGroupName\":\"none\",\"logStreamName\":\"s\"}"))
                        .getMessage())
                .isEqualTo("The specified log group does not exist.");
        assertThat(refused(() -> create("a:b")).getMessage()).contains("[^:*]*");
        calls.call(streams::deleteLogStream, "{\"logGroupName\":\"g\",\"logStreamName\":\"s\"}");
        assertThat(calls.store.streamInfos("g")).isEmpty();
        assertThat(refused(() -> calls.call(
                                streams::deleteLogStream, "{\"logGroupName\":\"g\",\"logStreamName\":\"s\"}"))
                        .getMessage())
                .isEqualTo("The specified log stream does not exist.");
    }

    @Test
    void aPrefixPagesInBothDirections() throws Exception {
        create("a1", "b1", "b2", "b3", "c1");
        assertThat(allPages(",\"logStreamNamePrefix\":\"b\",\"limit\":2")).containsExactly("b1", "b2", "b3");
        assertThat(allPages(",\"logStreamNamePrefix\":\"b\",\"descending\":true,\"limit\":2"))
                .containsExactly("b3", "b2", "b1");
        assertThat(allPages(",\"descending\":true,\"limit\":1")).containsExactly("c1", "b3", "b2", "b1", "a1");
    }

    @Test
    void lastEventTimeOrdersEmptyStreamsFirstAndTiesByName() throws Exception {
        create("empty", "late", "early", "tie");
        putAt("late", NOW_MS - 1_000);
        putAt("early", NOW_MS - 9_000);
        putAt("tie", NOW_MS - 1_000);
        assertThat(allPages(",\"orderBy\":\"LastEventTime\",\"limit\":1"))
                .containsExactly("empty", "early", "late", "tie");
        assertThat(allPages(",\"orderBy\":\"LastEventTime\",\"descending\":true,\"limit\":3"))
                .containsExactly("tie", "late", "early", "empty");
        assertThat(refused(() -> describe(",\"orderBy\":\"LastEventTime\",\"logStreamNamePrefix\":\"e\""))
                        .getMessage())
                .isEqualTo("Cannot order by LastEventTime with a logStreamNamePrefix.");
        assertThat(refused(() -> describe(",\"orderBy\":\"Size\"")).getMessage())
                .contains("Member must satisfy enum value set: [LogStreamName, LastEventTime]");
    }

    @Test
    void aTokenOnlyContinuesTheListingThatGaveIt() throws Exception {
        create("a", "b", "c");
        String byName = describe(",\"limit\":1").get("nextToken").asText();
        String byTime = describe(",\"orderBy\":\"LastEventTime\",\"limit\":1")
                .get("nextToken")
                .asText();
        assertThat(describe(",\"limit\":1,\"nextToken\":\"" + byName + "\"")
                        .get("logStreams")
                        .get(0)
                        .get("logStreamName")
                        .asText())
                .isEqualTo("b");
        for (String other : List.of(
                ",\"orderBy\":\"LastEventTime\",\"nextToken\":\"" + byName + "\"",
                ",\"nextToken\":\"" + byTime + "\"",
                ",\"descending\":true,\"nextToken\":\"" + byName + "\"",
                ",\"orderBy\":\"LastEventTime\",\"nextToken\":\""
                        + PageTokens.encode("streams/LastEventTime/false", "x/a") + "\"")) {
            assertThat(refused(() -> describe(other)).getMessage())
                    .as(other)
                    .isEqualTo("The specified nextToken is invalid.");
        }
    }

    @Test
    void describedStreamsCarryTheServiceFields() throws Exception {
        create("s", "empty");
        putAt("s", NOW_MS - 5);
        JsonNode listed = calls.call(streams::describeLogStreams, "us-gov-west-1", "{\"logGroupIdentifier\":\"g\"}")
                .get("logStreams");
        JsonNode empty = listed.get(0);
        JsonNode s = listed.get(1);
        assertThat(s.get("arn").asText())
                .isEqualTo("arn:aws-us-gov:logs:us-gov-west-1:" + LocalCloudWatchLogs.ACCOUNT_ID
                        + ":log-group:g:log-stream:s");
        assertThat(s.get("firstEventTimestamp").asLong()).isEqualTo(NOW_MS - 5);
        assertThat(s.get("lastEventTimestamp").asLong()).isEqualTo(NOW_MS - 5);
        assertThat(s.get("lastIngestionTime").asLong()).isEqualTo(NOW_MS);
        assertThat(s.get("storedBytes").asLong()).isZero();
        assertThat(empty.has("firstEventTimestamp")).isFalse();
        assertThat(empty.has("lastIngestionTime")).isFalse();
        assertThat(empty.get("creationTime").asLong()).isEqualTo(NOW_MS);
    }
}
