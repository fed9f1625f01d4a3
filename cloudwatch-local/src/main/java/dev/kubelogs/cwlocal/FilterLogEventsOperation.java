package dev.kubelogs.cwlocal;

import static dev.kubelogs.cwlocal.RequestMembers.checkLength;
import static dev.kubelogs.cwlocal.RequestMembers.checkStreamName;
import static dev.kubelogs.cwlocal.RequestMembers.groupNameOrIdentifier;
import static dev.kubelogs.cwlocal.RequestMembers.integer;
import static dev.kubelogs.cwlocal.RequestMembers.lng;
import static dev.kubelogs.cwlocal.RequestMembers.nonNegative;
import static dev.kubelogs.cwlocal.RequestMembers.range;
import static dev.kubelogs.cwlocal.RequestMembers.str;
import static dev.kubelogs.cwlocal.RequestMembers.strings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * FilterLogEvents: the events of a group's streams (all, named, or by prefix) between startTime and endTime whose
 * message matches the filter pattern, merged by (timestamp, ingestion order), in pages bounded by the limit and by
 * {@link Event#MAX_PAGE_BYTES}; the page token is the position after the page's last event.
 */
final class FilterLogEventsOperation implements Operations.Operation {
    private record Hit(String stream, Event event) {}

    private final LogStore store;
    private final JsonBodies bodies;

    FilterLogEventsOperation(LogStore store, JsonBodies bodies) {
        this.store = store;
        this.bodies = bodies;
    }

    @Override
    public byte[] apply(Operations.Call call) throws IOException {
        ObjectNode in = bodies.read(call.body());
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
        EventPosition after =
                token == null ? EventPosition.HEAD : EventPosition.parse(PageTokens.decode("filter", token));
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
                s.read(EventPosition.max(after, EventPosition.before(startTime)), events -> {
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
                && (taken == 0 || bytes + hits.get(taken).event().pageBytes() <= Event.MAX_PAGE_BYTES)) {
            bytes += hits.get(taken++).event().pageBytes();
        }
        List<Hit> page = hits.subList(0, taken);
        boolean more = taken < hits.size();
        return bodies.write(g -> {
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
                g.writeStringField(
                        "nextToken",
                        PageTokens.encode("filter", EventPosition.after(last).cursor()));
            }
        });
    }
}
