package dev.kubelogs.cwlocal;

import static dev.kubelogs.cwlocal.RequestMembers.bool;
import static dev.kubelogs.cwlocal.RequestMembers.groupNameOrIdentifier;
import static dev.kubelogs.cwlocal.RequestMembers.integer;
import static dev.kubelogs.cwlocal.RequestMembers.lng;
import static dev.kubelogs.cwlocal.RequestMembers.nonNegative;
import static dev.kubelogs.cwlocal.RequestMembers.range;
import static dev.kubelogs.cwlocal.RequestMembers.str;
import static dev.kubelogs.cwlocal.RequestMembers.streamName;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * GetLogEvents: one page of a stream's events between startTime and endTime, read forward from a position or
 * backward to it, bounded by the limit and by {@link Event#MAX_PAGE_BYTES}; the forward and backward tokens
 * ({@code f/} and {@code b/} plus an {@link EventPosition}) are never null, as the service's are not.
 */
final class GetLogEventsOperation implements Operations.Operation {
    private record Page(List<Event> events, EventPosition forward, EventPosition backward) {}

    private final LogStore store;
    private final JsonBodies bodies;

    GetLogEventsOperation(LogStore store, JsonBodies bodies) {
        this.store = store;
        this.bodies = bodies;
    }

    @Override
    public byte[] apply(Operations.Call call) throws IOException {
        ObjectNode in = bodies.read(call.body());
        String groupName = groupNameOrIdentifier(in);
        String streamName = streamName(in, "logStreamName");
        Long startTime = nonNegative(lng(in, "startTime"), "startTime");
        Long endTime = nonNegative(lng(in, "endTime"), "endTime");
        int limit = range(integer(in, "limit"), "limit", 1, 10_000, 10_000);
        boolean startFromHead = Boolean.TRUE.equals(bool(in, "startFromHead"));
        String token = str(in, "nextToken");
        boolean forward;
        EventPosition from;
        if (token != null) {
            forward = token.startsWith("f/");
            if (!forward && !token.startsWith("b/")) {
                throw PageTokens.invalid();
            }
            from = EventPosition.parse(token.substring(2));
        } else {
            forward = startFromHead;
            from = startFromHead ? EventPosition.HEAD : EventPosition.TAIL;
        }

        // forward, the page starts after the token's position too; backward, it may run down to startTime
        EventPosition readsAfter =
                forward ? EventPosition.max(EventPosition.before(startTime), from) : EventPosition.before(startTime);
        Page page = store.read(() -> LogStore.stream(store.group(groupName), streamName)
                .read(readsAfter, events -> page(events, startTime, endTime, forward, from, limit)));

        return bodies.write(g -> {
            g.writeArrayFieldStart("events");
            for (Event e : page.events()) {
                g.writeStartObject();
                g.writeNumberField("timestamp", e.timestamp());
                g.writeStringField("message", e.message());
                g.writeNumberField("ingestionTime", e.ingestionTime());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("nextForwardToken", "f/" + page.forward().cursor());
            g.writeStringField("nextBackwardToken", "b/" + page.backward().cursor());
        });
    }

    private static Page page(
            List<Event> events, Long startTime, Long endTime, boolean forward, EventPosition from, int limit) {
        int lo = startTime == null ? 0 : LogStream.countBefore(events, startTime);
        int hi = endTime == null ? events.size() : Math.max(lo, LogStream.countBefore(events, endTime));
        int a;
        int b;
        long bytes = 0;
        if (forward) {
            a = Math.max(lo, from.index(events));
            b = a;
            while (b < hi && b - a < limit && (b == a || bytes + events.get(b).pageBytes() <= Event.MAX_PAGE_BYTES)) {
                bytes += events.get(b++).pageBytes();
            }
        } else {
            b = Math.max(lo, Math.min(hi, from.index(events)));
            a = b;
            while (a > lo
                    && b - a < limit
                    && (a == b || bytes + events.get(a - 1).pageBytes() <= Event.MAX_PAGE_BYTES)) {
                bytes += events.get(--a).pageBytes();
            }
        }
        if (a == b) {
            // An empty page keeps its position. Going backward, the forward token still points right after the
            // events before that position (not at TAIL), so a client tailing an empty stream sees later events.
            EventPosition after = from;
            if (!forward) {
                after = b == 0 ? EventPosition.HEAD : EventPosition.after(events.get(b - 1));
            }
            return new Page(List.of(), after, from);
        }
        Event first = events.get(a);
        Event last = events.get(b - 1);
        return new Page(
                new ArrayList<>(events.subList(a, b)),
                EventPosition.after(last),
                new EventPosition(first.timestamp(), first.seq() - 1));
    }
}
