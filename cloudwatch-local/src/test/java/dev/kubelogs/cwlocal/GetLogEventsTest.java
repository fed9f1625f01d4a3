package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/** GetLogEvents: time window, order, limits and the token contract of the real service. */
class GetLogEventsTest extends EndpointTestBase {

    @BeforeEach
    void target() {
        createGroupAndStream("g", "s");
    }

    /** Pages like a careful client: until the returned token equals the one passed. */
    private List<List<OutputLogEvent>> pageUntilTokenRepeats(GetLogEventsRequest first, boolean forward) {
        List<List<OutputLogEvent>> pages = new ArrayList<>();
        GetLogEventsRequest req = first;
        String passed = null;
        for (int guard = 0; guard < 10_000; guard++) {
            GetLogEventsResponse r = logs.getLogEvents(req);
            String next = forward ? r.nextForwardToken() : r.nextBackwardToken();
            if (next.equals(passed)) {
                assertThat(r.events())
                        .as("the page that repeats the token is empty")
                        .isEmpty();
                return pages;
            }
            pages.add(r.events());
            passed = next;
            req = req.toBuilder().nextToken(next).build();
        }
        throw new AssertionError("token never repeated");
    }

    private static List<String> messages(List<List<OutputLogEvent>> pages) {
        List<String> out = new ArrayList<>();
        pages.forEach(p -> p.forEach(e -> out.add(e.message())));
        return out;
    }

    @Test
    void pagesForwardThroughMoreThanTenThousandEventsExactlyOnce() {
        List<String> expected = new ArrayList<>();
        for (int batch = 0; batch < 3; batch++) {
            List<InputLogEvent> events =
                    events(batch == 2 ? 5_000 : 10_000, NOW_MS - HOUR + batch * 10_000L, "b" + batch + "-");
            events.forEach(e -> expected.add(e.message()));
            put("g", "s", events);
        }
        List<List<OutputLogEvent>> pages = pageUntilTokenRepeats(
                GetLogEventsRequest.builder()
                        .logGroupName("g")
                        .logStreamName("s")
                        .startFromHead(true)
                        .build(),
                true);
        assertThat(pages).extracting(List::size).containsExactly(10_000, 10_000, 5_000);
        assertThat(messages(pages)).isEqualTo(expected);
        OutputLogEvent first = pages.get(0).get(0);
        assertThat(first.timestamp()).isEqualTo(NOW_MS - HOUR);
        assertThat(first.ingestionTime()).isEqualTo(NOW_MS);

        // the SDK's own paginator relies on the same contract
        List<String> viaPaginator = new ArrayList<>();
        logs.getLogEventsPaginator(b -> b.logGroupName("g")
                        .logStreamName("s")
                        .startFromHead(true)
                        .limit(7_000))
                .events()
                .forEach(e -> viaPaginator.add(e.message()));
        assertThat(viaPaginator).isEqualTo(expected);
    }

    @Test
    void pagesHoldAtMostOneMegabyteAndBackwardPagingSeesEverythingOnce() {
        String body = "x".repeat(1000);
        List<String> expected = new ArrayList<>();
        for (int batch = 0; batch < 3; batch++) {
            List<InputLogEvent> events = new ArrayList<>();
            for (int i = 0; i < 1000; i++) { // 1,026,000 bytes per batch
                String m = String.format("%d-%04d-%s", batch, i, body);
                events.add(ev(NOW_MS - 10_000 + batch * 1000L + i, m.substring(0, 1000)));
                expected.add(m.substring(0, 1000));
            }
            put("g", "s", events);
        }
        int perPage = 1_048_576 / 1026; // 1022 events of 1000 bytes + 26
        List<List<OutputLogEvent>> forward = pageUntilTokenRepeats(
                GetLogEventsRequest.builder()
                        .logGroupName("g")
                        .logStreamName("s")
                        .startFromHead(true)
                        .build(),
                true);
        assertThat(forward).extracting(List::size).containsExactly(perPage, perPage, 3000 - 2 * perPage);
        assertThat(messages(forward)).isEqualTo(expected);

        // default direction: newest first page, then backward until the token repeats
        GetLogEventsResponse newest = logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s"));
        assertThat(newest.events()).hasSize(perPage);
        assertThat(newest.events().get(perPage - 1).message()).isEqualTo(expected.get(2999));
        List<List<OutputLogEvent>> backward = new ArrayList<>();
        backward.add(newest.events());
        backward.addAll(pageUntilTokenRepeats(
                GetLogEventsRequest.builder()
                        .logGroupName("g")
                        .logStreamName("s")
                        .nextToken(newest.nextBackwardToken())
                        .build(),
                false));
        List<String> seen = new ArrayList<>();
        for (int i = backward.size() - 1; i >= 0; i--) {
            backward.get(i).forEach(e -> seen.add(e.message()));
        }
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void startTimeIsInclusiveAndEndTimeExclusive() {
        List<InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(ev(NOW_MS + i, "t" + i));
        }
        put("g", "s", events);
        GetLogEventsResponse r = logs.getLogEvents(b -> b.logGroupName("g")
                .logStreamName("s")
                .startTime(NOW_MS + 3)
                .endTime(NOW_MS + 6)
                .startFromHead(true));
        assertThat(r.events()).extracting(OutputLogEvent::message).containsExactly("t3", "t4", "t5");
        GetLogEventsResponse tail = logs.getLogEvents(b -> b.logGroupName("g")
                .logStreamName("s")
                .startTime(NOW_MS + 3)
                .endTime(NOW_MS + 6)
                .limit(2));
        assertThat(tail.events()).extracting(OutputLogEvent::message).containsExactly("t4", "t5");
        GetLogEventsResponse none = logs.getLogEvents(b ->
                b.logGroupName("g").logStreamName("s").startTime(NOW_MS + 6).endTime(NOW_MS + 6));
        assertThat(none.events()).isEmpty();
    }

    @Test
    void ordersByTimestampThenIngestionOrder() {
        put("g", "s", ev(NOW_MS + 5, "a"));
        put("g", "s", ev(NOW_MS + 5, "b"));
        put("g", "s", ev(NOW_MS + 1, "c"), ev(NOW_MS + 5, "d"));
        GetLogEventsResponse r =
                logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s").startFromHead(true));
        assertThat(r.events()).extracting(OutputLogEvent::message).containsExactly("c", "a", "b", "d");

        // many interleaved batches: the result is the stable sort of everything by timestamp
        Random random = new Random(7);
        record Sent(long ts, String message) {}
        List<Sent> all = new ArrayList<>(List.of(
                new Sent(NOW_MS + 5, "a"),
                new Sent(NOW_MS + 5, "b"),
                new Sent(NOW_MS + 1, "c"),
                new Sent(NOW_MS + 5, "d")));
        for (int batch = 0; batch < 40; batch++) {
            long base = NOW_MS - random.nextInt(3_600_000);
            List<InputLogEvent> events = new ArrayList<>();
            long t = base;
            for (int i = 0; i < 50; i++) {
                t += random.nextInt(3) * 1000L; // many equal timestamps
                events.add(ev(t, batch + ":" + i));
                all.add(new Sent(t, batch + ":" + i));
            }
            put("g", "s", events);
        }
        List<Sent> sorted = new ArrayList<>(all);
        sorted.sort(java.util.Comparator.comparingLong(Sent::ts)); // List.sort is stable
        List<String> got = new ArrayList<>();
        logs.getLogEventsPaginator(b -> b.logGroupName("g")
                        .logStreamName("s")
                        .startFromHead(true)
                        .limit(333))
                .events()
                .forEach(e -> got.add(e.message()));
        assertThat(got).isEqualTo(sorted.stream().map(Sent::message).toList());
    }

    @Test
    void aForwardTokenFromTheNewestPageSeesOnlyLaterEvents() {
        put("g", "s", ev(NOW_MS, "before"));
        GetLogEventsResponse tail = logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s"));
        assertThat(tail.events()).extracting(OutputLogEvent::message).containsExactly("before");
        GetLogEventsResponse nothingYet =
                logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s").nextToken(tail.nextForwardToken()));
        assertThat(nothingYet.events()).isEmpty();
        assertThat(nothingYet.nextForwardToken()).isEqualTo(tail.nextForwardToken());

        put("g", "s", ev(NOW_MS + 1, "after1"), ev(NOW_MS + 2, "after2"));
        GetLogEventsResponse more =
                logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s").nextToken(tail.nextForwardToken()));
        assertThat(more.events()).extracting(OutputLogEvent::message).containsExactly("after1", "after2");
        assertThat(logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s").nextToken(more.nextForwardToken()))
                        .events())
                .isEmpty();
    }

    @Test
    void anEmptyStreamAnswersEmptyPagesWithStableTokens() {
        UnaryOperator<GetLogEventsRequest.Builder> base =
                b -> b.logGroupName("g").logStreamName("s");
        GetLogEventsResponse r = logs.getLogEvents(b -> base.apply(b).startFromHead(true));
        assertThat(r.events()).isEmpty();
        GetLogEventsResponse again = logs.getLogEvents(b -> base.apply(b).nextToken(r.nextForwardToken()));
        assertThat(again.nextForwardToken()).isEqualTo(r.nextForwardToken());
        // newest-first on an empty stream: the backward token repeats, the forward token tails later events
        GetLogEventsResponse newest =
                logs.getLogEvents(base.apply(GetLogEventsRequest.builder()).build());
        assertThat(newest.events()).isEmpty();
        assertThat(logs.getLogEvents(b -> base.apply(b).nextToken(newest.nextBackwardToken()))
                        .nextBackwardToken())
                .isEqualTo(newest.nextBackwardToken());
        put("g", "s", ev(NOW_MS, "later"));
        assertThat(logs.getLogEvents(b -> base.apply(b).nextToken(newest.nextForwardToken()))
                        .events())
                .extracting(OutputLogEvent::message)
                .containsExactly("later");
        // the logGroupIdentifier form works too
        assertThat(logs.getLogEvents(b -> b.logGroupIdentifier("g").logStreamName("s"))
                        .events())
                .hasSize(1);
    }

    @Test
    void rejectsBadLimitsAndTokens() {
        assertThatThrownBy(() -> logs.getLogEvents(
                        b -> b.logGroupName("g").logStreamName("s").limit(0)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.getLogEvents(
                        b -> b.logGroupName("g").logStreamName("s").limit(10_001)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("10000");
        assertThatThrownBy(() -> logs.getLogEvents(
                        b -> b.logGroupName("g").logStreamName("s").nextToken("x/1/2")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("nextToken");
        assertThatThrownBy(() -> logs.getLogEvents(
                        b -> b.logGroupName("g").logStreamName("s").nextToken("f/a/b")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.getLogEvents(b -> b.logGroupName("g")))
                .isInstanceOf(InvalidParameterException.class);
    }
}
