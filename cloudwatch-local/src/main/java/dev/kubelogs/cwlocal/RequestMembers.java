package dev.kubelogs.cwlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Members of a request object, read with their types checked ({@code SerializationException}) and validated as the
 * service model constrains them, worded as CloudWatch words it ({@code InvalidParameterException}).
 */
final class RequestMembers {
    private static final Pattern GROUP_NAME = Pattern.compile("[\\.\\-_/#A-Za-z0-9]+");
    private static final Pattern GROUP_IDENTIFIER = Pattern.compile("[\\w#+=/:,.@-]*");

    private RequestMembers() {}

    static String str(ObjectNode in, String member) {
        JsonNode v = in.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.serialization("Expected a string for " + member);
        }
        return v.textValue();
    }

    static Long lng(ObjectNode in, String member) {
        JsonNode v = in.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.serialization("Expected a long for " + member);
        }
        return v.longValue();
    }

    static Integer integer(ObjectNode in, String member) {
        JsonNode v = in.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.serialization("Expected an integer for " + member);
        }
        return v.intValue();
    }

    static Boolean bool(ObjectNode in, String member) {
        JsonNode v = in.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiException.serialization("Expected a boolean for " + member);
        }
        return v.booleanValue();
    }

    static List<String> strings(ObjectNode in, String member) {
        JsonNode v = in.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.serialization("Expected a list for " + member);
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw ApiException.serialization("Expected strings in " + member);
            }
            out.add(e.textValue());
        }
        return out;
    }

    static int range(Integer v, String member, int min, int max, int dflt) {
        if (v == null) {
            return dflt;
        }
        if (v < min) {
            throw ApiException.constraint(v, member, "Member must have value greater than or equal to " + min);
        }
        if (v > max) {
            throw ApiException.constraint(v, member, "Member must have value less than or equal to " + max);
        }
        return v;
    }

    static Long nonNegative(Long v, String member) {
        if (v != null && v < 0) {
            throw ApiException.constraint(v, member, "Member must have value greater than or equal to 0");
        }
        return v;
    }

    /** A required log group name. */
    static String groupName(ObjectNode in, String member) {
        String v = str(in, member);
        if (v == null) {
            throw ApiException.constraint(null, member, "Member must not be null");
        }
        checkGroupName(v, member);
        return v;
    }

    /** A required log stream name. */
    static String streamName(ObjectNode in, String member) {
        String v = str(in, member);
        if (v == null) {
            throw ApiException.constraint(null, member, "Member must not be null");
        }
        checkStreamName(v, member);
        return v;
    }

    static void checkGroupName(String v, String member) {
        checkLength(v, member, 1, 512);
        if (!GROUP_NAME.matcher(v).matches()) {
            throw ApiException.constraint(
                    v, member, "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
        }
    }

    static void checkStreamName(String v, String member) {
        checkLength(v, member, 1, 512);
        if (v.indexOf(':') >= 0 || v.indexOf('*') >= 0) {
            throw ApiException.constraint(v, member, "Member must satisfy regular expression pattern: [^:*]*");
        }
    }

    /** Length in code points, as the model's length constraints count it. */
    static void checkLength(String v, String member, int min, int max) {
        int len = v.codePointCount(0, v.length());
        if (len < min) {
            throw ApiException.constraint(v, member, "Member must have length greater than or equal to " + min);
        }
        if (len > max) {
            throw ApiException.constraint(v, member, "Member must have length less than or equal to " + max);
        }
    }

    /** logGroupName xor logGroupIdentifier (a name or a log group ARN) → the group name. */
    static String groupNameOrIdentifier(ObjectNode in) {
        String name = str(in, "logGroupName");
        String id = str(in, "logGroupIdentifier");
        if (name != null && id != null) {
            throw ApiException.invalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        if (name != null) {
            checkGroupName(name, "logGroupName");
            return name;
        }
        if (id == null) {
            throw ApiException.invalidParameter("Either logGroupName or logGroupIdentifier must be specified.");
        }
        return groupIdentifier(id, "logGroupIdentifier");
    }

    /** A log group identifier (name or ARN) → the group name. */
    static String groupIdentifier(String id, String member) {
        checkLength(id, member, 1, 2048);
        if (!GROUP_IDENTIFIER.matcher(id).matches()) {
            throw ApiException.constraint(
                    id, member, "Member must satisfy regular expression pattern: [\\w#+=/:,.@-]*");
        }
        if (!id.startsWith("arn:")) {
            checkGroupName(id, member);
            return id;
        }
        // arn:<partition>:logs:<region>:<account>:log-group:<name> (the model's pattern excludes a trailing ":*")
        String[] parts = id.split(":", -1);
        if (parts.length != 7 || !parts[2].equals("logs") || !parts[5].equals("log-group")) {
            throw ApiException.invalidParameter("Invalid log group ARN: " + id);
        }
        checkGroupName(parts[6], member);
        return parts[6];
    }
}
