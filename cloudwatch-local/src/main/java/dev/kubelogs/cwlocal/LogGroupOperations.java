package dev.kubelogs.cwlocal;

import static dev.kubelogs.cwlocal.RequestMembers.checkGroupName;
import static dev.kubelogs.cwlocal.RequestMembers.checkLength;
import static dev.kubelogs.cwlocal.RequestMembers.groupIdentifier;
import static dev.kubelogs.cwlocal.RequestMembers.groupName;
import static dev.kubelogs.cwlocal.RequestMembers.integer;
import static dev.kubelogs.cwlocal.RequestMembers.range;
import static dev.kubelogs.cwlocal.RequestMembers.str;
import static dev.kubelogs.cwlocal.RequestMembers.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The log group operations: CreateLogGroup, DeleteLogGroup, DescribeLogGroups (prefix, pattern, identifiers,
 * class, pages) and a group's retention (PutRetentionPolicy, DeleteRetentionPolicy).
 */
final class LogGroupOperations {
    static final Set<Integer> RETENTION_DAYS = Set.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    private static final String RETENTION_ENUM = "[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, "
            + "1096, 1827, 2192, 2557, 2922, 3288, 3653]";
    private static final Set<String> GROUP_CLASSES = Set.of("STANDARD", "INFREQUENT_ACCESS", "DELIVERY");
    private static final Pattern GROUP_NAME_PATTERN = Pattern.compile("[\\.\\-_/#A-Za-z0-9]*");

    private final LogStore store;
    private final JsonBodies bodies;

    LogGroupOperations(LogStore store, JsonBodies bodies) {
        this.store = store;
        this.bodies = bodies;
    }

    byte[] createLogGroup(Operations.Call call) {
        ObjectNode in = bodies.read(call.body());
        String name = groupName(in, "logGroupName");
        if (name.startsWith("aws/")) {
            throw ApiException.invalidParameter("Log group names starting with 'aws/' are reserved for AWS services.");
        }
        String cls = str(in, "logGroupClass");
        if (cls == null) {
            cls = "STANDARD";
        } else {
            checkGroupClass(cls);
        }
        JsonNode tags = in.get("tags");
        if (tags != null && !tags.isNull()) {
            if (!tags.isObject()) {
                throw ApiException.serialization("Expected a map for tags");
            }
            if (tags.size() < 1 || tags.size() > 50) {
                throw ApiException.constraint(
                        tags.size() + " tags", "tags", "Member must have length between 1 and 50");
            }
        }
        store.createLogGroup(name, cls);
        return JsonBodies.empty();
    }

    byte[] deleteLogGroup(Operations.Call call) {
        store.deleteLogGroup(groupName(bodies.read(call.body()), "logGroupName"));
        return JsonBodies.empty();
    }

    byte[] putRetentionPolicy(Operations.Call call) {
        ObjectNode in = bodies.read(call.body());
        String group = groupName(in, "logGroupName");
        Integer days = integer(in, "retentionInDays");
        if (days == null) {
            throw ApiException.constraint(null, "retentionInDays", "Member must not be null");
        }
        if (!RETENTION_DAYS.contains(days)) {
            throw ApiException.constraint(
                    days, "retentionInDays", "Member must satisfy enum value set: " + RETENTION_ENUM);
        }
        store.retention(group, days);
        return JsonBodies.empty();
    }

    byte[] deleteRetentionPolicy(Operations.Call call) {
        store.retention(groupName(bodies.read(call.body()), "logGroupName"), null);
        return JsonBodies.empty();
    }

    byte[] describeLogGroups(Operations.Call call) throws IOException {
        ObjectNode in = bodies.read(call.body());
        String prefix = str(in, "logGroupNamePrefix");
        if (prefix != null) {
            checkGroupName(prefix, "logGroupNamePrefix");
        }
        String pattern = str(in, "logGroupNamePattern");
        if (pattern != null) {
            checkLength(pattern, "logGroupNamePattern", 0, 512);
            if (!GROUP_NAME_PATTERN.matcher(pattern).matches()) {
                throw ApiException.constraint(
                        pattern,
                        "logGroupNamePattern",
                        "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]*");
            }
        }
        if (prefix != null && pattern != null) {
            throw ApiException.invalidParameter(
                    "LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.");
        }
        String cls = str(in, "logGroupClass");
        if (cls != null) {
            checkGroupClass(cls);
        }
        Set<String> onlyNames = identifiedGroups(in, prefix != null || pattern != null);
        int limit = range(integer(in, "limit"), "limit", 1, 50, 50);
        String token = str(in, "nextToken");
        String after = token == null ? null : PageTokens.decode("groups", token);
        String lowerPattern = pattern == null ? null : pattern.toLowerCase();

        List<LogGroupInfo> page = new ArrayList<>();
        boolean more = store.read(() -> {
            NavigableMap<String, LogGroup> view = store.groups();
            if (after != null) {
                view = view.tailMap(after, false);
            } else if (prefix != null) {
                view = view.tailMap(prefix, true);
            }
            for (LogGroup g : view.values()) {
                if (prefix != null && !g.name.startsWith(prefix)) {
                    if (g.name.compareTo(prefix) > 0) {
                        break; // names with the prefix are contiguous
                    }
                    continue;
                }
                if (onlyNames != null && !onlyNames.contains(g.name)) {
                    continue;
                }
                if (lowerPattern != null && !g.name.toLowerCase().contains(lowerPattern)) {
                    continue;
                }
                if (cls != null && !cls.equals(g.logGroupClass)) {
                    continue;
                }
                if (page.size() == limit) {
                    return true;
                }
                page.add(g.info());
            }
            return false;
        });
        String region = call.region();
        return bodies.write(g -> {
            g.writeArrayFieldStart("logGroups");
            for (LogGroupInfo i : page) {
                String arn = Arns.logGroup(region, i.name());
                g.writeStartObject();
                g.writeStringField("logGroupName", i.name());
                g.writeNumberField("creationTime", i.creationTime());
                if (i.retentionInDays() != null) {
                    g.writeNumberField("retentionInDays", i.retentionInDays());
                }
                g.writeNumberField("metricFilterCount", 0);
                g.writeStringField("arn", arn + ":*");
                g.writeNumberField("storedBytes", i.storedBytes());
                g.writeStringField("logGroupClass", i.logGroupClass());
                g.writeStringField("logGroupArn", arn);
                g.writeEndObject();
            }
            g.writeEndArray();
            if (more) {
                g.writeStringField(
                        "nextToken",
                        PageTokens.encode("groups", page.get(page.size() - 1).name()));
            }
        });
    }

    /** The group names that logGroupIdentifiers (names or ARNs) select, null when the member is absent. */
    private static Set<String> identifiedGroups(ObjectNode in, boolean byName) {
        List<String> identifiers = strings(in, "logGroupIdentifiers");
        if (identifiers == null) {
            return null;
        }
        if (identifiers.isEmpty() || identifiers.size() > 50) {
            throw ApiException.constraint(
                    identifiers, "logGroupIdentifiers", "Member must have length between 1 and 50");
        }
        if (byName) {
            throw ApiException.invalidParameter(
                    "logGroupIdentifiers cannot be combined with logGroupNamePrefix or logGroupNamePattern.");
        }
        Set<String> only = new HashSet<>();
        for (String id : identifiers) {
            only.add(groupIdentifier(id, "logGroupIdentifiers.member"));
        }
        return only;
    }

    private static void checkGroupClass(String cls) {
        if (!GROUP_CLASSES.contains(cls)) {
            throw ApiException.constraint(
                    cls,
                    "logGroupClass",
                    "Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]");
        }
    }
}
