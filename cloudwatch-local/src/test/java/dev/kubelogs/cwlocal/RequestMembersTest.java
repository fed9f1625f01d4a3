package dev.kubelogs.cwlocal;

import static dev.kubelogs.cwlocal.OperationCalls.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Request members read with their types checked and validated as the service model words its constraints. */
class RequestMembersTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private ObjectNode in(String json) throws Exception {
        return (ObjectNode) mapper.readTree(json);
    }

    @Test
    void absentAndNullMembersAreNull() throws Exception {
        ObjectNode in = in("{\"s\":null}");
        assertThat(RequestMembers.str(in, "s")).isNull();
        assertThat(RequestMembers.lng(in, "missing")).isNull();
        assertThat(RequestMembers.integer(in, "s")).isNull();
        assertThat(RequestMembers.bool(in, "s")).isNull();
        assertThat(RequestMembers.strings(in, "s")).isNull();
    }

    @Test
    void aMemberOfTheWrongTypeIsASerializationError() throws Exception {
        ObjectNode in = in("{\"s\":5,\"n\":\"5\",\"big\":3000000000,\"b\":\"true\",\"list\":[\"a\",1],\"obj\":{}}");
        ApiException notString = refused(() -> RequestMembers.str(in, "s"));
        assertThat(notString.type()).isEqualTo("SerializationException");
        assertThat(notString.getMessage()).isEqualTo("Expected a string for s");
        assertThat(refused(() -> RequestMembers.lng(in, "n")).getMessage()).isEqualTo("Expected a long for n");
        assertThat(refused(() -> RequestMembers.integer(in, "big")).getMessage())
                .isEqualTo("Expected an integer for big");
        assertThat(RequestMembers.lng(in, "big")).isEqualTo(3_000_000_000L);
        assertThat(refused(() -> RequestMembers.bool(in, "b")).getMessage()).isEqualTo("Expected a boolean for b");
        assertThat(refused(() -> RequestMembers.strings(in, "list")).getMessage())
                .isEqualTo("Expected strings in list");
        assertThat(refused(() -> RequestMembers.strings(in, "obj")).getMessage())
                .isEqualTo("Expected a list for obj");
    }

    @Test
    void rangesDefaultAndNameTheViolatedBound() {
        assertThat(RequestMembers.range(null, "limit", 1, 50, 50)).isEqualTo(50);
        assertThat(RequestMembers.range(1, "limit", 1, 50, 50)).isEqualTo(1);
        assertThat(RequestMembers.range(50, "limit", 1, 50, 50)).isEqualTo(50);
        assertThat(refused(() -> RequestMembers.range(0, "limit", 1, 50, 50)).getMessage())
                .isEqualTo("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 1");
        assertThat(refused(() -> RequestMembers.range(51, "limit", 1, 50, 50)).getMessage())
                .endsWith("Member must have value less than or equal to 50");
        assertThat(RequestMembers.nonNegative(0L, "startTime")).isZero();
        assertThat(refused(() -> RequestMembers.nonNegative(-1L, "startTime")).getMessage())
                .contains("'startTime'", "greater than or equal to 0");
    }

    @Test
    void groupNamesAreRequiredAndFollowTheModelPattern() throws Exception {
        ApiException missing = refused(() -> RequestMembers.groupName(in("{}"), "logGroupName"));
        assertThat(missing.type()).isEqualTo("InvalidParameterException");
        assertThat(missing.getMessage())
                .isEqualTo("1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: "
                        + "Member must not be null");
        assertThat(RequestMembers.groupName(in("{\"g\":\"/aws/eks/a_b-c.d#1\"}"), "g"))
                .isEqualTo("/aws/eks/a_b-c.d#1");
        assertThat(refused(() -> RequestMembers.checkGroupName("bad name!", "logGroupName"))
                        .getMessage())
                .contains("Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
        RequestMembers.checkGroupName("g".repeat(512), "logGroupName");
        assertThat(refused(() -> RequestMembers.checkGroupName("g".repeat(513), "logGroupName"))
                        .getMessage())
                .contains("Member must have length less than or equal to 512");
        assertThat(refused(() -> RequestMembers.checkGroupName("", "logGroupName"))
                        .getMessage())
                .contains("Member must have length greater than or equal to 1");
    }

    @Test
    void streamNamesRefuseColonAndStarAndCountCodePoints() throws Exception {
        assertThat(refused(() -> RequestMembers.checkStreamName("a:b", "logStreamName"))
                        .getMessage())
                .contains("[^:*]*");
        assertThat(refused(() -> RequestMembers.checkStreamName("a*", "logStreamName"))
                        .getMessage())
                .contains("[^:*]*");
        String smile = "\uD83D\uDE00"; // one code point, two chars
        RequestMembers.checkStreamName(smile.repeat(512), "logStreamName");
        assertThat(refused(() -> RequestMembers.checkStreamName(smile.repeat(513), "logStreamName"))
                        .getMessage())
                .contains("less than or equal to 512");
        assertThat(refused(() -> RequestMembers.streamName(in("{}"), "logStreamName"))
                        .getMessage())
                .contains("'logStreamName'", "Member must not be null");
    }

    @Test
    void aGroupIsNamedOrIdentifiedByArnButNotBoth() throws Exception {
        assertThat(RequestMembers.groupNameOrIdentifier(in("{\"logGroupName\":\"g\"}")))
                .isEqualTo("g");
        assertThat(RequestMembers.groupNameOrIdentifier(in("{\"logGroupIdentifier\":\"g\"}")))
                .isEqualTo("g");
        assertThat(RequestMembers.groupNameOrIdentifier(
                        in("{\"logGroupIdentifier\":\"arn:aws:logs:us-east-1:000000000000:log-group:/a/b\"}")))
                .isEqualTo("/a/b");
        assertThat(refused(() -> RequestMembers.groupNameOrIdentifier(
                                in("{\"logGroupName\":\"g\",\"logGroupIdentifier\":\"g\"}")))
                        .getMessage())
                .isEqualTo("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        assertThat(refused(() -> RequestMembers.groupNameOrIdentifier(in("{}"))).getMessage())
                .isEqualTo("Either logGroupName or logGroupIdentifier must be specified.");
        assertThat(refused(() -> RequestMembers.groupIdentifier("arn:aws:s3:::bucket", "logGroupIdentifier"))
                        .getMessage())
                .isEqualTo("Invalid log group ARN: arn:aws:s3:::bucket");
        assertThat(refused(() -> RequestMembers.groupIdentifier(
                                "arn:aws:logs:us-east-1:000000000000:log-group:g:extra", "logGroupIdentifier"))
                        .getMessage())
                .startsWith("Invalid log group ARN");
        assertThat(refused(() -> RequestMembers.groupIdentifier("a b", "logGroupIdentifier"))
                        .getMessage())
                .contains("[\\w#+=/:,.@-]*");
    }
}
