package dev.kubelogs.cwlocal;

import static dev.kubelogs.cwlocal.RequestMembers.bool;
import static dev.kubelogs.cwlocal.RequestMembers.checkStreamName;
import static dev.kubelogs.cwlocal.RequestMembers.groupName;
import static dev.kubelogs.cwlocal.RequestMembers.groupNameOrIdentifier;
import static dev.kubelogs.cwlocal.RequestMembers.integer;
import static dev.kubelogs.cwlocal.RequestMembers.range;
import static dev.kubelogs.cwlocal.RequestMembers.str;
import static dev.kubelogs.cwlocal.RequestMembers.streamName;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;

/**
 * The log stream operations: CreateLogStream, DeleteLogStream and DescribeLogStreams (by name with a prefix, or by
 * last event time, either way ascending or descending, in pages).
 */
final class LogStreamOperations {
    private final LogStore store;
    private final JsonBodies bodies;

    LogStreamOperations(LogStore store, JsonBodies bodies) {
        this.store = store;
        this.bodies = bodies;
    }

    byte[] createLogStream(Operations.Call call) {
        ObjectNode in = bodies.read(call.body());
        String group = groupName(in, "logGroupName");
        store.createLogStream(group, streamName(in, "logStreamName"));
        return JsonBodies.empty();
    }

    byte[] deleteLogStream(Operations.Call call) {
        ObjectNode in = bodies.read(call.body());
        String group = groupName(in, "logGroupName");
        store.deleteLogStream(group, streamName(in, "logStreamName"));
        return JsonBodies.empty();
    }

    byte[] describeLogStreams(Operations.Call call) throws IOException {
        ObjectNode in = bodies.read(call.body());
        String groupName = groupNameOrIdentifier(in);
        String prefix = str(in, "logStreamNamePrefix");
        if (prefix != null) {
            checkStreamName(prefix, "logStreamNamePrefix");
        }
        String orderBy = str(in, "orderBy");
        if (orderBy == null) {
            orderBy = "LogStreamName";
        } else if (!orderBy.equals("LogStreamName") && !orderBy.equals("LastEventTime")) {
            throw ApiException.constraint(
                    orderBy, "orderBy", "Member must satisfy enum value set: [LogStreamName, LastEventTime]");
        }
        boolean byTime = orderBy.equals("LastEventTime");
        if (byTime && prefix != null) {
            throw ApiException.invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        boolean descending = Boolean.TRUE.equals(bool(in, "descending"));
        int limit = range(integer(in, "limit"), "limit", 1, 50, 50);
        String tokenKind = "streams/" + orderBy + "/" + descending;
        String token = str(in, "nextToken");
        String cursor = token == null ? null : PageTokens.decode(tokenKind, token);

        List<LogStreamInfo> page = new ArrayList<>();
        boolean more = store.read(() -> {
            LogGroup g = store.group(groupName);
            return byTime
                    ? byLastEventTime(g, descending, cursor, limit, page)
                    : byName(g, prefix, descending, cursor, limit, page);
        });
        String region = call.region();
        return bodies.write(g -> {
            g.writeArrayFieldStart("logStreams");
            for (LogStreamInfo s : page) {
                g.writeStartObject();
                g.writeStringField("logStreamName", s.name());
                g.writeNumberField("creationTime", s.creationTime());
                if (s.firstEventTimestamp() != null) {
                    g.writeNumberField("firstEventTimestamp", s.firstEventTimestamp());
                    g.writeNumberField("lastEventTimestamp", s.lastEventTimestamp());
                }
                if (s.lastIngestionTime() != null) {
                    g.writeNumberField("lastIngestionTime", s.lastIngestionTime());
                }
                g.writeStringField("arn", Arns.logStream(region, s.logGroupName(), s.name()));
                g.writeNumberField("storedBytes", 0);
                g.writeEndObject();
            }
            g.writeEndArray();
            if (more) {
                LogStreamInfo last = page.get(page.size() - 1);
                g.writeStringField(
                        "nextToken",
                        PageTokens.encode(tokenKind, byTime ? lastEventKey(last) + "/" + last.name() : last.name()));
            }
        });
    }

    /** Fills the page in name order after the cursor; true when more streams follow it. */
    private static boolean byName(
            LogGroup g, String prefix, boolean descending, String cursor, int limit, List<LogStreamInfo> page) {
        NavigableMap<String, LogStream> view = g.streams;
        if (descending) {
            view = cursor != null ? view.headMap(cursor, false) : view;
            view = view.descendingMap();
        } else if (cursor != null) {
            view = view.tailMap(cursor, false);
        } else if (prefix != null) {
            view = view.tailMap(prefix, true);
        }
        for (LogStream s : view.values()) {
            if (prefix != null && !s.name.startsWith(prefix)) {
                if (descending ? s.name.compareTo(prefix) < 0 : s.name.compareTo(prefix) > 0) {
                    break;
                }
                continue;
            }
            if (page.size() == limit) {
                return true;
            }
            page.add(s.info());
        }
        return false;
    }

    /** Fills the page in (last event time, name) order after the cursor; true when more streams follow it. */
    private static boolean byLastEventTime(
            LogGroup g, boolean descending, String cursor, int limit, List<LogStreamInfo> page) {
        Comparator<LogStreamInfo> order =
                Comparator.comparingLong(LogStreamOperations::lastEventKey).thenComparing(LogStreamInfo::name);
        if (descending) {
            order = order.reversed();
        }
        List<LogStreamInfo> all = new ArrayList<>();
        for (LogStream s : g.streams.values()) {
            all.add(s.info());
        }
        all.sort(order);
        long cursorTime = 0;
        String cursorName = null;
        if (cursor != null) {
            int slash = cursor.indexOf('/');
            try {
                cursorTime = Long.parseLong(cursor.substring(0, slash));
            } catch (RuntimeException e) {
                throw PageTokens.invalid();
            }
            cursorName = cursor.substring(slash + 1);
        }
        LogStreamInfo probe = new LogStreamInfo(g.name, cursorName, 0, 0, 0, cursorTime, cursorTime, null);
        for (LogStreamInfo s : all) {
            if (cursorName != null && order.compare(s, probe) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                return true;
            }
            page.add(s);
        }
        return false;
    }

    private static long lastEventKey(LogStreamInfo s) {
        return s.lastEventTimestamp() == null ? -1 : s.lastEventTimestamp();
    }
}
