package dev.kubelogs.cwlocal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The Logs_20140328 operations over awsJson1.1: request JSON in, response JSON out, {@link ApiException} for
 * modeled errors. Member names, constraints and error shapes follow the service model.
 */
final class Operations {
    static final String TARGET_PREFIX = "Logs_20140328.";
    static final int MAX_BATCH_BYTES = 1_048_576;
    static final int MAX_BATCH_EVENTS = 10_000;
    static final int MAX_PAGE_BYTES = 1_048_576;

    static final Set<Integer> RETENTION_DAYS = Set.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    private static final String RETENTION_ENUM = "[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, "
            + "1096, 1827, 2192, 2557, 2922, 3288, 3653]";
    private static final Set<String> GROUP_CLASSES = Set.of("STANDARD", "INFREQUENT_ACCESS", "DELIVERY");
    private static final Pattern GROUP_NAME = Pattern.compile("[\\.\\-_/#A-Za-z0-9]+");
    private static final Pattern GROUP_NAME_PATTERN = Pattern.compile("[\\.\\-_/#A-Za-z0-9]*");
    private static final Pattern GROUP_IDENTIFIER = Pattern.compile("[\\w#+=/:,.@-]*");

    /** One call: the request body and the region named by the request's SigV4 credential scope. */
    record Call(byte[] body, String region) {}

    @FunctionalInterface
    interface Operation {
        byte[] apply(Call call) throws IOException;
    }

    @FunctionalInterface
    private interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private final LogStore store;
    private final ObjectMapper mapper;
    private final JsonFactory json;
    private final Map<String, Operation> operations = new LinkedHashMap<>();
    private final AtomicLong sequenceTokens = new AtomicLong();

    Operations(LogStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
        this.json = mapper.getFactory();
        operations.put("CreateLogGroup", this::createLogGroup);
        operations.put("DeleteLogGroup", this::deleteLogGroup);
        operations.put("DescribeLogGroups", this::describeLogGroups);
        operations.put("CreateLogStream", this::createLogStream);
        operations.put("DeleteLogStream", this::deleteLogStream);
        operations.put("DescribeLogStreams", this::describeLogStreams);
        operations.put("PutRetentionPolicy", this::putRetentionPolicy);
        operations.put("DeleteRetentionPolicy", this::deleteRetentionPolicy);
        operations.put("PutLogEvents", this::putLogEvents);
        operations.put("GetLogEvents", this::getLogEvents);
        operations.put("FilterLogEvents", this::filterLogEvents);
    }

    Set<String> names() {
        return operations.keySet();
    }

    Operation get(String name) {
        return name == null ? null : operations.get(name);
    }

    // ================================================================ groups, streams, retention

    private byte[] createLogGroup(Call call) {
        ObjectNode in = object(call.body());
        String name = groupName(in, "logGroupName");
        if (name.startsWith("aws/")) {
            throw ApiException.invalidParameter("Log group names starting with 'aws/' are reserved for AWS services.");
        }
        String cls = str(in, "logGroupClass");
        if (cls == null) {
            cls = "STANDARD";
        } else if (!GROUP_CLASSES.contains(cls)) {
            throw ApiException.constraint(
                    cls,
                    "logGroupClass",
                    "Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]");
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
        return empty();
    }

    private byte[] deleteLogGroup(Call call) {
        store.deleteLogGroup(groupName(object(call.body()), "logGroupName"));
        return empty();
    }

    private byte[] createLogStream(Call call) {
        ObjectNode in = object(call.body());
        String group = groupName(in, "logGroupName");
        store.createLogStream(group, streamName(in, "logStreamName"));
        return empty();
    }

    private byte[] deleteLogStream(Call call) {
        ObjectNode in = object(call.body());
        String group = groupName(in, "logGroupName");
        store.deleteLogStream(group, streamName(in, "logStreamName"));
        return empty();
    }

    private byte[] putRetentionPolicy(Call call) {
        ObjectNode in = object(call.body());
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
        return empty();
    }

    private byte[] deleteRetentionPolicy(Call call) {
        store.retention(groupName(object(call.body()), "logGroupName"), null);
        return empty();
    }

    private byte[] describeLogGroups(Call call) throws IOException {
        ObjectNode in = object(call.body());
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
        if (cls != null && !GROUP_CLASSES.contains(cls)) {
            throw ApiException.constraint(
                    cls,
                    "logGroupClass",
                    "Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]");
        }
        List<String> identifiers = strings(in, "logGroupIdentifiers");
        java.util.Set<String> only = null;
        if (identifiers != null) {
            if (identifiers.isEmpty() || identifiers.size() > 50) {
                throw ApiException.constraint(
                        identifiers, "logGroupIdentifiers", "Member must have length between 1 and 50");
            }
            if (prefix != null || pattern != null) {
                throw ApiException.invalidParameter(
                        "logGroupIdentifiers cannot be combined with logGroupNamePrefix or logGroupNamePattern.");
            }
            only = new java.util.HashSet<>();
            for (String id : identifiers) {
                only.add(groupIdentifier(id, "logGroupIdentifiers.member"));
            }
        }
        java.util.Set<String> onlyNames = only;
        int limit = range(integer(in, "limit"), "limit", 1, 50, 50);
        String token = str(in, "nextToken");
        String after = token == null ? null : decodeToken("groups", token);
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
        return write(g -> {
            g.writeArrayFieldStart("logGroups");
            for (LogGroupInfo i : page) {
                String arn = groupArn(region, i.name());
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
                        encodeToken("groups", page.get(page.size() - 1).name()));
            }
        });
    }

    private byte[] describeLogStreams(Call call) throws IOException {
        ObjectNode in = object(call.body());
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
        String cursor = token == null ? null : decodeToken(tokenKind, token);

        List<LogStreamInfo> page = new ArrayList<>();
        boolean more = store.read(() -> {
            LogGroup g = store.group(groupName);
            if (byTime) {
                return streamsByLastEventTime(g, descending, cursor, limit, page);
            }
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
        });
        String region = call.region();
        return write(g -> {
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
                g.writeStringField("arn", groupArn(region, s.logGroupName()) + ":log-stream:" + s.name());
                g.writeNumberField("storedBytes", 0);
                g.writeEndObject();
            }
            g.writeEndArray();
            if (more) {
                LogStreamInfo last = page.get(page.size() - 1);
                g.writeStringField(
                        "nextToken",
                        encodeToken(tokenKind, byTime ? lastEventKey(last) + "/" + last.name() : last.name()));
            }
        });
    }

    private static long lastEventKey(LogStreamInfo s) {
        return s.lastEventTimestamp() == null ? -1 : s.lastEventTimestamp();
    }

    private static boolean streamsByLastEventTime(
            LogGroup g, boolean descending, String cursor, int limit, List<LogStreamInfo> page) {
        Comparator<LogStreamInfo> order =
                Comparator.comparingLong(Operations::lastEventKey).thenComparing(LogStreamInfo::name);
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
                throw invalidToken();
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

    // ================================================================ PutLogEvents

    private byte[] putLogEvents(Call call) throws IOException {
        String groupName = null;
        String streamName = null;
        int n = 0;
        boolean eventsPresent = false;
        long[] timestamps = new long[16];
        boolean[] hasTimestamp = new boolean[16];
        String[] messages = new String[16];
        try (JsonParser p = json.createParser(call.body())) {
            JsonToken t = p.nextToken();
            if (t != null && t != JsonToken.START_OBJECT) {
                throw ApiException.serialization("Start of structure or map found where not expected.");
            }
            while (t != null && (t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "logGroupName" -> groupName = text(p, v, field);
                    case "logStreamName" -> streamName = text(p, v, field);
                    case "logEvents" -> {
                        if (v == JsonToken.VALUE_NULL) {
                            break;
                        }
                        if (v != JsonToken.START_ARRAY) {
                            throw ApiException.serialization("Expected a list for logEvents");
                        }
                        eventsPresent = true;
                        while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                            if (v != JsonToken.START_OBJECT) {
                                throw ApiException.serialization("Expected a structure in logEvents");
                            }
                            if (n == timestamps.length) {
                                timestamps = Arrays.copyOf(timestamps, n * 2);
                                hasTimestamp = Arrays.copyOf(hasTimestamp, n * 2);
                                messages = Arrays.copyOf(messages, n * 2);
                            }
                            while ((v = p.nextToken()) == JsonToken.FIELD_NAME) {
                                String member = p.currentName();
                                JsonToken ev = p.nextToken();
                                if (member.equals("timestamp")) {
                                    if (ev == JsonToken.VALUE_NUMBER_INT) {
                                        timestamps[n] = p.getLongValue();
                                        hasTimestamp[n] = true;
                                    } else if (ev != JsonToken.VALUE_NULL) {
                                        throw ApiException.serialization("Expected a long for timestamp");
                                    }
                                } else if (member.equals("message")) {
                                    messages[n] = text(p, ev, member);
                                } else {
                                    p.skipChildren();
                                }
                            }
                            n++;
                        }
                    }
                    default -> p.skipChildren(); // sequenceToken (ignored by the service), entity
                }
            }
        } catch (JsonProcessingException e) {
            throw ApiException.serialization("Malformed JSON: " + e.getOriginalMessage());
        }

        if (groupName == null) {
            throw ApiException.constraint(null, "logGroupName", "Member must not be null");
        }
        checkGroupName(groupName, "logGroupName");
        if (streamName == null) {
            throw ApiException.constraint(null, "logStreamName", "Member must not be null");
        }
        checkStreamName(streamName, "logStreamName");
        if (!eventsPresent) {
            throw ApiException.constraint(null, "logEvents", "Member must not be null");
        }
        if (n < 1) {
            throw ApiException.constraint("[]", "logEvents", "Member must have length greater than or equal to 1");
        }
        if (n > MAX_BATCH_EVENTS) {
            throw ApiException.constraint(
                    n + " events", "logEvents", "Member must have length less than or equal to " + MAX_BATCH_EVENTS);
        }
        int[] bytes = new int[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            String member = "logEvents." + (i + 1) + ".member.";
            if (!hasTimestamp[i]) {
                throw ApiException.constraint(null, member + "timestamp", "Member must not be null");
            }
            if (timestamps[i] < 0) {
                throw ApiException.constraint(
                        timestamps[i], member + "timestamp", "Member must have value greater than or equal to 0");
            }
            String m = messages[i];
            if (m == null) {
                throw ApiException.constraint(null, member + "message", "Member must not be null");
            }
            if (m.isEmpty()) {
                throw ApiException.constraint(
                        "", member + "message", "Member must have length greater than or equal to 1");
            }
            int b = Utf8Size.length(m);
            if (b < 0) {
                messages[i] = m = Utf8Size.sanitize(m);
                b = Utf8Size.length(m);
            }
            bytes[i] = b;
            long eventSize = (long) b + Event.OVERHEAD;
            if (eventSize > MAX_BATCH_BYTES) {
                throw ApiException.invalidParameter(
                        "Log event too large: " + eventSize + " bytes exceeds limit of " + MAX_BATCH_BYTES);
            }
            total += eventSize;
        }
        if (total > MAX_BATCH_BYTES) {
            throw ApiException.invalidParameter(
                    "Upload too large: " + total + " bytes exceeds limit of " + MAX_BATCH_BYTES);
        }
        for (int i = 1; i < n; i++) {
            if (timestamps[i] < timestamps[i - 1]) {
                throw ApiException.invalidParameter(
                        "Log events in a single PutLogEvents request must be in chronological order.");
            }
        }

        LogStore.PutResult r =
                store.put(groupName, streamName, Arrays.copyOf(timestamps, n), Arrays.copyOf(messages, n), bytes);
        String sequenceToken = String.format("%056d", sequenceTokens.incrementAndGet());
        return write(g -> {
            g.writeStringField("nextSequenceToken", sequenceToken);
            if (r.tooNewLogEventStartIndex() != null
                    || r.tooOldLogEventEndIndex() != null
                    || r.expiredLogEventEndIndex() != null) {
                g.writeObjectFieldStart("rejectedLogEventsInfo");
                if (r.tooNewLogEventStartIndex() != null) {
                    g.writeNumberField("tooNewLogEventStartIndex", r.tooNewLogEventStartIndex());
                }
                if (r.tooOldLogEventEndIndex() != null) {
                    g.writeNumberField("tooOldLogEventEndIndex", r.tooOldLogEventEndIndex());
                }
                if (r.expiredLogEventEndIndex() != null) {
                    g.writeNumberField("expiredLogEventEndIndex", r.expiredLogEventEndIndex());
                }
                g.writeEndObject();
            }
        });
    }

    private static String text(JsonParser p, JsonToken v, String field) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            throw ApiException.serialization("Expected a string for " + field);
        }
        return p.getText();
    }

    // ================================================================ GetLogEvents

    /** A position between events: events with key <= (timestamp, seq) lie before it. */
    private record Position(long timestamp, long seq) {
        static final Position HEAD = new Position(-1, 0);
        static final Position TAIL = new Position(Long.MAX_VALUE, Long.MAX_VALUE);

        int index(List<Event> events) {
            return LogStream.countAtOrBefore(events, timestamp, seq);
        }
    }

    private record Page(List<Event> events, Position forward, Position backward) {}

    private byte[] getLogEvents(Call call) throws IOException {
        ObjectNode in = object(call.body());
        String groupName = groupNameOrIdentifier(in);
        String streamName = streamName(in, "logStreamName");
        Long startTime = nonNegative(lng(in, "startTime"), "startTime");
        Long endTime = nonNegative(lng(in, "endTime"), "endTime");
        int limit = range(integer(in, "limit"), "limit", 1, 10_000, 10_000);
        boolean startFromHead = Boolean.TRUE.equals(bool(in, "startFromHead"));
        String token = str(in, "nextToken");
        boolean forward;
        Position from;
        if (token != null) {
            forward = token.startsWith("f/");
            if (!forward && !token.startsWith("b/")) {
                throw invalidToken();
            }
            from = parsePosition(token.substring(2));
        } else {
            forward = startFromHead;
            from = startFromHead ? Position.HEAD : Position.TAIL;
        }

        Page page = store.read(() -> LogStore.stream(store.group(groupName), streamName)
                .read(events -> {
                    int lo = startTime == null ? 0 : LogStream.countBefore(events, startTime);
                    int hi = endTime == null ? events.size() : Math.max(lo, LogStream.countBefore(events, endTime));
                    int a;
                    int b;
                    long bytes = 0;
                    if (forward) {
                        a = Math.max(lo, from.index(events));
                        b = a;
                        while (b < hi
                                && b - a < limit
                                && (b == a || bytes + events.get(b).pageBytes() <= MAX_PAGE_BYTES)) {
                            bytes += events.get(b++).pageBytes();
                        }
                    } else {
                        b = Math.max(lo, Math.min(hi, from.index(events)));
                        a = b;
                        while (a > lo
                                && b - a < limit
                                && (a == b || bytes + events.get(a - 1).pageBytes() <= MAX_PAGE_BYTES)) {
                            bytes += events.get(--a).pageBytes();
                        }
                    }
                    if (a == b) {
                        // An empty page keeps its position. Going backward, the forward token still points right after
                        // the events before that position (not at TAIL), so a client tailing an empty stream sees later
                        // events.
                        Position after = from;
                        if (!forward) {
                            after = b == 0
                                    ? Position.HEAD
                                    : new Position(
                                            events.get(b - 1).timestamp(),
                                            events.get(b - 1).seq());
                        }
                        return new Page(List.of(), after, from);
                    }
                    Event first = events.get(a);
                    Event last = events.get(b - 1);
                    return new Page(
                            new ArrayList<>(events.subList(a, b)),
                            new Position(last.timestamp(), last.seq()),
                            new Position(first.timestamp(), first.seq() - 1));
                }));

        return write(g -> {
            g.writeArrayFieldStart("events");
            for (Event e : page.events()) {
                g.writeStartObject();
                g.writeNumberField("timestamp", e.timestamp());
                g.writeStringField("message", e.message());
                g.writeNumberField("ingestionTime", e.ingestionTime());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField(
                    "nextForwardToken",
                    "f/" + page.forward().timestamp() + "/" + page.forward().seq());
            g.writeStringField(
                    "nextBackwardToken",
                    "b/" + page.backward().timestamp() + "/" + page.backward().seq());
        });
    }

    private static Position parsePosition(String s) {
        int slash = s.indexOf('/');
        try {
            return new Position(Long.parseLong(s.substring(0, slash)), Long.parseLong(s.substring(slash + 1)));
        } catch (RuntimeException e) {
            throw invalidToken();
        }
    }

    // ================================================================ FilterLogEvents

    private record Hit(String stream, Event event) {}

    private byte[] filterLogEvents(Call call) throws IOException {
        ObjectNode in = object(call.body());
        String groupName = groupNameOrIdentifier(in);
        List<String> names = strings(in, "logStreamNames");
        if (names != null) {
            if (names.isEmpty() || names.size() > 100) {
                throw ApiException.constraint(names, "logStreamNames", "Member must have length between 1 and 100");
            }
            for (String s : names) {
                checkStreamName(s, "logStreamNames.member");
            }
        }
        String prefix = str(in, "logStreamNamePrefix");
        if (prefix != null) {
            checkStreamName(prefix, "logStreamNamePrefix");
        }
        if (names != null && prefix != null) {
            throw ApiException.invalidParameter(
                    "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        }
        Long startTime = nonNegative(lng(in, "startTime"), "startTime");
        Long endTime = nonNegative(lng(in, "endTime"), "endTime");
        String patternText = str(in, "filterPattern");
        if (patternText != null) {
            checkLength(patternText, "filterPattern", 0, 1024);
        }
        FilterPattern pattern = FilterPattern.compile(patternText);
        int limit = range(integer(in, "limit"), "limit", 1, 10_000, 10_000);
        String token = str(in, "nextToken");
        Position after = token == null ? Position.HEAD : parsePosition(decodeToken("filter", token));
        long lowTime = startTime == null ? Long.MIN_VALUE : startTime;
        long highTime =
                endTime == null ? Long.MAX_VALUE : endTime; // inclusive: "later than this time are not returned"

        List<Hit> hits = new ArrayList<>();
        store.read(() -> {
            LogGroup g = store.group(groupName);
            Collection<LogStream> streams;
            if (names != null) {
                streams = new ArrayList<>();
                for (String s : names) {
                    streams.add(LogStore.stream(g, s));
                }
            } else {
                streams = g.streams.values();
            }
            for (LogStream s : streams) {
                if (prefix != null && !s.name.startsWith(prefix)) {
                    continue;
                }
                s.read(events -> {
                    int i = Math.max(after.index(events), LogStream.countBefore(events, lowTime));
                    int found = 0;
                    // one more than a page per stream tells whether a next page exists
                    for (; i < events.size() && found <= limit; i++) {
                        Event e = events.get(i);
                        if (e.timestamp() > highTime) {
                            break;
                        }
                        if (pattern.matches(e.message())) {
                            hits.add(new Hit(s.name, e));
                            found++;
                        }
                    }
                    return null;
                });
            }
            return null;
        });
        hits.sort(Comparator.comparingLong((Hit h) -> h.event().timestamp())
                .thenComparingLong(h -> h.event().seq()));
        int taken = 0;
        long bytes = 0;
        while (taken < hits.size()
                && taken < limit
                && (taken == 0 || bytes + hits.get(taken).event().pageBytes() <= MAX_PAGE_BYTES)) {
            bytes += hits.get(taken++).event().pageBytes();
        }
        List<Hit> page = hits.subList(0, taken);
        boolean more = taken < hits.size();
        return write(g -> {
            g.writeArrayFieldStart("events");
            for (Hit h : page) {
                Event e = h.event();
                g.writeStartObject();
                g.writeStringField("logStreamName", h.stream());
                g.writeNumberField("timestamp", e.timestamp());
                g.writeStringField("message", e.message());
                g.writeNumberField("ingestionTime", e.ingestionTime());
                g.writeStringField("eventId", String.format("%020d%036d", e.timestamp(), e.seq()));
                g.writeEndObject();
            }
            g.writeEndArray();
            if (more) {
                Event last = page.get(page.size() - 1).event();
                g.writeStringField("nextToken", encodeToken("filter", last.timestamp() + "/" + last.seq()));
            }
        });
    }

    // ================================================================ request helpers

    private ObjectNode object(byte[] body) {
        if (body.length == 0) {
            return mapper.createObjectNode();
        }
        JsonNode n;
        try {
            n = mapper.readTree(body);
        } catch (IOException e) {
            throw ApiException.serialization("Malformed JSON: " + e.getMessage());
        }
        if (n == null || n.isMissingNode() || n.isNull()) {
            return mapper.createObjectNode();
        }
        if (!n.isObject()) {
            throw ApiException.serialization("Start of structure or map found where not expected.");
        }
        return (ObjectNode) n;
    }

    private static String str(ObjectNode in, String member) {
        JsonNode v = in.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.serialization("Expected a string for " + member);
        }
        return v.textValue();
    }

    private static Long lng(ObjectNode in, String member) {
        JsonNode v = in.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.serialization("Expected a long for " + member);
        }
        return v.longValue();
    }

    private static Integer integer(ObjectNode in, String member) {
        JsonNode v = in.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.serialization("Expected an integer for " + member);
        }
        return v.intValue();
    }

    private static Boolean bool(ObjectNode in, String member) {
        JsonNode v = in.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiException.serialization("Expected a boolean for " + member);
        }
        return v.booleanValue();
    }

    private static List<String> strings(ObjectNode in, String member) {
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

    private static int range(Integer v, String member, int min, int max, int dflt) {
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

    private static Long nonNegative(Long v, String member) {
        if (v != null && v < 0) {
            throw ApiException.constraint(v, member, "Member must have value greater than or equal to 0");
        }
        return v;
    }

    private static String groupName(ObjectNode in, String member) {
        String v = str(in, member);
        if (v == null) {
            throw ApiException.constraint(null, member, "Member must not be null");
        }
        checkGroupName(v, member);
        return v;
    }

    private static String streamName(ObjectNode in, String member) {
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

    private static void checkLength(String v, String member, int min, int max) {
        int len = v.codePointCount(0, v.length());
        if (len < min) {
            throw ApiException.constraint(v, member, "Member must have length greater than or equal to " + min);
        }
        if (len > max) {
            throw ApiException.constraint(v, member, "Member must have length less than or equal to " + max);
        }
    }

    /** logGroupName xor logGroupIdentifier (a name or a log group ARN) → the group name. */
    private static String groupNameOrIdentifier(ObjectNode in) {
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
    private static String groupIdentifier(String id, String member) {
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

    static String groupArn(String region, String group) {
        String partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        return "arn:" + partition + ":logs:" + region + ":" + LocalCloudWatchLogs.ACCOUNT_ID + ":log-group:" + group;
    }

    private static String encodeToken(String kind, String payload) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((kind + "\n" + payload).getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String kind, String token) {
        String s;
        try {
            s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidToken();
        }
        if (!s.startsWith(kind + "\n")) {
            throw invalidToken();
        }
        return s.substring(kind.length() + 1);
    }

    private static ApiException invalidToken() {
        return ApiException.invalidParameter("The specified nextToken is invalid.");
    }

    // ================================================================ response helpers

    private static byte[] empty() {
        return new byte[] {'{', '}'};
    }

    private byte[] write(JsonWriter body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
