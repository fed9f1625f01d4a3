package dev.kubelogs.cwlocal;

import static dev.kubelogs.cwlocal.OperationCalls.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The log group operations on request bodies: creation rules, the DescribeLogGroups filters and pages, retention. */
class LogGroupOperationsTest {
    private OperationCalls calls;
    private LogGroupOperations groups;

    @BeforeEach
    void setUp() throws Exception {
        calls = new OperationCalls();
        groups = new LogGroupOperations(calls.store, calls.bodies);
    }

    @AfterEach
    void tearDown() throws Exception {
        calls.close();
    }

    private void create(String... names) throws Exception {
        for (String name : names) {
            calls.call(groups::createLogGroup, "{\"logGroupName\":\"" + name + "\"}");
        }
    }

    private JsonNode describe(String body) throws Exception {
        return calls.call(groups::describeLogGroups, body);
    }

    private static String[] names(JsonNode response) {
        JsonNode list = response.get("logGroups");
        String[] out = new String[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i).get("logGroupName").asText();
        }
        return out;
    }

    @Test
    void createLogGroupKeepsTheServiceRules() throws Exception {
        assertThat(refused(() -> create("aws/mine")).getMessage())
                .isEqualTo("Log group names starting with 'aws/' are reserved for AWS services.");
        assertThat(refused(() -> calls.call(
                                groups::createLogGroup, "{\"logGroupName\":\"g\",\"logGroupClass\":\"COLD\"}"))
                        .getMessage())
                .contains("[STANDARD, INFREQUENT_ACCESS, DELIVERY]");
        assertThat(refused(() -> calls.call(groups::createLogGroup, "{\"logGroupName\":\"g\",\"tags\":{}}"))
                        .getMessage())
                .contains("Member must have length between 1 and 50");
        assertThat(refused(() -> calls.call(groups::createLogGroup, "{\"logGroupName\":\"g\",\"tags\":[]}"))
                        .type())
                .isEqualTo("SerializationException");
        calls.call(
                groups::createLogGroup,
                "{\"logGroupName\":\"ia\",\"logGroupClass\":\"INFREQUENT_ACCESS\",\"tags\":{\"team\":\"a\"}}");
        create("std");
        assertThat(calls.store.groupInfos())
                .extracting(LogGroupInfo::name, LogGroupInfo::logGroupClass)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ia", "INFREQUENT_ACCESS"),
                        org.assertj.core.groups.Tuple.tuple("std", "STANDARD"));
        assertThat(refused(() -> create("std")).type()).isEqualTo("ResourceAlreadyExistsException");
    }

    @Test
    void describeLogGroupsPagesWithATokenOnlyItAccepts() throws Exception {
        create("a", "b", "c");
        JsonNode first = describe("{\"limit\":2}");
        assertThat(names(first)).containsExactly("a", "b");
        String token = first.get("nextToken").asText();
        JsonNode second = describe("{\"limit\":2,\"nextToken\":\"" + token + "\"}");
        assertThat(names(second)).containsExactly("c");
        assertThat(second.has("nextToken")).isFalse();
        ApiException bad = refused(() -> describe("{\"nextToken\":\"not-a-token\"}"));
        assertThat(bad.type()).isEqualTo("InvalidParameterException");
        assertThat(bad.getMessage()).isEqualTo("The specified nextToken is invalid.");
        String otherListing = PageTokens.encode("filter", "a");
        assertThat(refused(() -> describe("{\"nextToken\":\"" + otherListing + "\"}"))
                        .getMessage())
                .isEqualTo("The specified nextToken is invalid.");
        assertThat(refused(() -> describe("{\"limit\":51}")).getMessage())
                .contains("Member must have value less than or equal to 50");
    }

    @Test
    void describeLogGroupsSelectsByPrefixPatternIdentifiersAndClass() throws Exception {
        create("/app/a", "/app/b", "/other/App", "z");
        calls.call(groups::createLogGroup, "{\"logGroupName\":\"ia\",\"logGroupClass\":\"INFREQUENT_ACCESS\"}");
        assertThat(names(describe("{\"logGroupNamePrefix\":\"/app/\"}"))).containsExactly("/app/a", "/app/b");
        assertThat(names(describe("{\"logGroupNamePattern\":\"APP\"}")))
                .containsExactly("/app/a", "/app/b", "/other/App");
        assertThat(names(describe("{\"logGroupIdentifiers\":[\"z\","
                        + "\"arn:aws:logs:us-east-1:000000000000:log-group:/app/b\"]}")))
                .containsExactly("/app/b", "z");
        assertThat(names(describe("{\"logGroupClass\":\"INFREQUENT_ACCESS\"}"))).containsExactly("ia");
        assertThat(refused(() -> describe("{\"logGroupNamePrefix\":\"a\",\"logGroupNamePattern\":\"a\"}"))
                        .getMessage())
                .isEqualTo("LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.");
        assertThat(refused(() -> describe("{\"logGroupNamePrefix\":\"a\",\"logGroupIdentifiers\":[\"a\"]}"))
                        .getMessage())
                .isEqualTo("logGroupIdentifiers cannot be combined with logGroupNamePrefix or logGroupNamePattern.");
        assertThat(refused(() -> describe("{\"logGroupIdentifiers\":[]}")).getMessage())
                .contains("Member must have length between 1 and 50");
        assertThat(refused(() -> describe("{\"logGroupNamePattern\":\"a b\"}")).getMessage())
                .contains("[\\.\\-_/#A-Za-z0-9]*");
    }

    @Test
    void describedGroupsCarryTheServiceFieldsAndTheRegionsArn() throws Exception {
        create("g");
        JsonNode g = calls.call(groups::describeLogGroups, "cn-north-1", "{}")
                .get("logGroups")
                .get(0);
        String arn = "arn:aws-cn:logs:cn-north-1:" + LocalCloudWatchLogs.ACCOUNT_ID + ":log-group:g";
        assertThat(g.get("logGroupArn").asText()).isEqualTo(arn);
        assertThat(g.get("arn").asText()).isEqualTo(arn + ":*");
        assertThat(g.get("creationTime").asLong()).isEqualTo(OperationCalls.NOW_MS);
        assertThat(g.get("metricFilterCount").asInt()).isZero();
        assertThat(g.get("logGroupClass").asText()).isEqualTo("STANDARD");
        assertThat(g.has("retentionInDays")).isFalse();
    }

    @Test
    void retentionTakesOnlyTheServicePeriodsAndCanBeRemoved() throws Exception {
        create("g");
        assertThat(refused(() -> calls.call(
                                groups::putRetentionPolicy, "{\"logGroupName\":\"g\",\"retentionInDays\":2}"))
                        .getMessage())
                .contains("'retentionInDays'", "Member must satisfy enum value set: [1, 3, 5, 7, 14,");
        assertThat(refused(() -> calls.call(groups::putRetentionPolicy, "{\"logGroupName\":\"g\"}"))
                        .getMessage())
                .contains("'retentionInDays'", "Member must not be null");
        calls.call(groups::putRetentionPolicy, "{\"logGroupName\":\"g\",\"retentionInDays\":3653}");
        assertThat(describe("{}").get("logGroups").get(0).get("retentionInDays").asInt())
                .isEqualTo(3653);
        calls.call(groups::deleteRetentionPolicy, "{\"logGroupName\":\"g\"}");
        assertThat(describe("{}").get("logGroups").get(0).has("retentionInDays"))
                .isFalse();
        assertThat(refused(() -> calls.call(
                                groups::putRetentionPolicy, "{\"logGroupName\":\"none\",\"retentionInDays\":1}"))
                        .type())
                .isEqualTo("ResourceNotFoundException");
    }

    @Test
    void deleteLogGroupRemovesOnlyThatGroup() throws Exception {
        create("a", "b");
        assertThat(calls.call(groups::deleteLogGroup, "{\"logGroupName\":\"a\"}")
                        .size())
                .isZero();
        assertThat(names(describe("{}"))).containsExactly("b");
        assertThat(refused(() -> calls.call(groups::deleteLogGroup, "{\"logGroupName\":\"a\"}"))
                        .type())
                .isEqualTo("ResourceNotFoundException");
    }
}
