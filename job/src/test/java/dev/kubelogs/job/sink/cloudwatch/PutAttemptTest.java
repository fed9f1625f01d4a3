package dev.kubelogs.job.sink.cloudwatch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.StoredEvent;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier.Kind;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBodyTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One PutLogEvents call against the local endpoint: its response or its failure, never a retry. */
class PutAttemptTest {
    @RegisterExtension
    static final LocalEndpointExtension LOCAL = new LocalEndpointExtension();

    @TempDir
    Path tmp;

    private static final long T = System.currentTimeMillis() - 60_000;

    private static String newStream(String group) {
        LOCAL.sdk().createLogGroup(b -> b.logGroupName(group));
        LOCAL.sdk().createLogStream(b -> b.logGroupName(group).logStreamName("s"));
        return "s";
    }

    @Test
    void putsThePendingEventsInTheirOrder() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            String g = DeliveryParts.newGroup("put");
            List<SinkEvent> events = DeliveryParts.events(6, T, "put");
            PutAttempt.Outcome o = new PutAttempt(p.client.api(), true, p.policy, p.metrics)
                    .put(g, newStream(g), EventArena.of(events), List.of(1, 3, 4));

            assertThat(o.succeeded()).isTrue();
            assertThat(o.response().rejectedLogEventsInfo()).isNull();
            assertThat(o.messageBytes())
                    .isEqualTo(events.get(1).utf8Length()
                            + events.get(3).utf8Length()
                            + events.get(4).utf8Length());
            assertThat(LOCAL.endpoint().events(g, "s"))
                    .extracting(StoredEvent::message)
                    .containsExactly(
                            events.get(1).message(),
                            events.get(3).message(),
                            events.get(4).message());
            assertThat(p.metrics.putRequests()).isEqualTo(1);
        }
    }

    @Test
    void theMessageBytesCountTheEndsEventsShare() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            String g = DeliveryParts.newGroup("put");
            String kubernetes = ",\"kubernetes\":{\"pod_name\":\"" + "p".repeat(100) + "\"}}";
            List<SinkEvent> events = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                events.add(new SinkEvent(T + i, "{\"log\":\"line " + i + "\"" + kubernetes, "src", i));
            }
            EventArena arena = EventArena.of(events);
            assertThat(java.util.Arrays.stream(arena.slices().tailLengths())
                            .max()
                            .orElse(0))
                    .as("the events share their end")
                    .isGreaterThanOrEqualTo(kubernetes.length());

            PutAttempt.Outcome o = new PutAttempt(p.client.api(), true, p.policy, p.metrics)
                    .put(g, newStream(g), arena, List.of(0, 2, 3));

            assertThat(o.succeeded()).isTrue();
            assertThat(o.messageBytes())
                    .isEqualTo(events.get(0).utf8Length()
                            + events.get(2).utf8Length()
                            + events.get(3).utf8Length());
        }
    }

    @Test
    void aFailureIsReturnedForTheRetryPolicyNotRetried() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            String g = DeliveryParts.newGroup("put");
            LOCAL.endpoint().faults().throttle("PutLogEvents", 1);
            PutAttempt.Outcome o = new PutAttempt(p.client.api(), true, p.policy, p.metrics)
                    .put(g, newStream(g), EventArena.of(DeliveryParts.events(2, T, "throttled")), List.of(0, 1));

            assertThat(o.succeeded()).isFalse();
            assertThat(p.policy.classify(o.failure(), "PutLogEvents", g, "s")).isEqualTo(Kind.THROTTLED);
            assertThat(LOCAL.endpoint().faults().calls("PutLogEvents")).isEqualTo(1);
            assertThat(LOCAL.endpoint().events(g, "s")).isEmpty();
        }
    }

    @Test
    void aMissingStreamIsAFailureToo() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            PutAttempt.Outcome o = new PutAttempt(p.client.api(), true, p.policy, p.metrics)
                    .put(
                            DeliveryParts.newGroup("put"),
                            "s",
                            EventArena.of(DeliveryParts.events(1, T, "x")),
                            List.of(0));
            assertThat(p.policy.classify(o.failure(), "PutLogEvents", "g", "s")).isEqualTo(Kind.RESOURCE_NOT_FOUND);
        }
    }

    @Test
    void theFastBodyAndTheSdksMarshallerLandTheSameBytes() throws Exception {
        List<SinkEvent> events = PutLogEventsBodyTest.trickyEvents();
        List<Integer> all = DeliveryParts.indexes(0, events.size());
        String g = DeliveryParts.newGroup("put");
        LOCAL.sdk().createLogGroup(b -> b.logGroupName(g));
        for (String stream : List.of("fast", "sdk")) {
            LOCAL.sdk().createLogStream(b -> b.logGroupName(g).logStreamName(stream));
        }
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            assertThat(new PutAttempt(p.client.api(), true, p.policy, p.metrics)
                            .put(g, "fast", EventArena.of(events), all)
                            .succeeded())
                    .isTrue();
            assertThat(new PutAttempt(p.client.api(), false, p.policy, p.metrics)
                            .put(g, "sdk", EventArena.of(events), all)
                            .succeeded())
                    .isTrue();
        }
        List<String> fast = landed(g, "fast");
        assertThat(fast).hasSize(events.size()).isEqualTo(landed(g, "sdk"));
        assertThat(fast.get(0))
                .isEqualTo(events.get(0).timestamp() + " "
                        + Base64.getEncoder().encodeToString(events.get(0).utf8()));
    }

    @Test
    void aPutWritesItsBodyOverTheLastAnsweredBodyOfItsThreadAndLandsItsOwnEvents() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            String g = DeliveryParts.newGroup("put");
            String s = newStream(g);
            PutAttempt put = new PutAttempt(p.client.api(), true, p.policy, p.metrics);
            List<SinkEvent> longer = DeliveryParts.events(6, T, "the first, longer batch of the two");
            List<SinkEvent> shorter = DeliveryParts.events(2, T + 10, "second");

            assertThat(put.spareBody()).isNull();
            assertThat(put.put(g, s, EventArena.of(longer), DeliveryParts.indexes(0, 6))
                            .succeeded())
                    .isTrue();
            byte[] spare = put.spareBody();
            assertThat(spare).isNotNull();
            assertThat(put.put(g, s, EventArena.of(shorter), List.of(0, 1)).succeeded())
                    .isTrue();

            assertThat(put.spareBody()).isSameAs(spare);
            assertThat(LOCAL.endpoint().events(g, s))
                    .extracting(StoredEvent::message)
                    .containsExactlyElementsOf(java.util.stream.Stream.concat(longer.stream(), shorter.stream())
                            .map(SinkEvent::message)
                            .collect(Collectors.toList()));
        }
    }

    @Test
    void theBodyOfAFailedPutIsNotReused() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            String g = DeliveryParts.newGroup("put");
            String s = newStream(g);
            PutAttempt put = new PutAttempt(p.client.api(), true, p.policy, p.metrics);
            assertThat(put.put(g, s, EventArena.of(DeliveryParts.events(2, T, "answered")), List.of(0, 1))
                            .succeeded())
                    .isTrue();
            assertThat(put.spareBody()).isNotNull();
            LOCAL.endpoint().faults().throttle("PutLogEvents", 1);

            assertThat(put.put(g, s, EventArena.of(DeliveryParts.events(2, T, "throttled")), List.of(0, 1))
                            .succeeded())
                    .isFalse();

            // the failed put took the spare; its own array may still be read by the SDK, so it is dropped
            assertThat(put.spareBody()).isNull();
        }
    }

    /** Each stored event as its timestamp and the exact UTF-8 bytes of its message. */
    private static List<String> landed(String group, String stream) {
        return LOCAL.endpoint().events(group, stream).stream()
                .map(e -> e.timestamp() + " "
                        + Base64.getEncoder().encodeToString(e.message().getBytes(UTF_8)))
                .collect(Collectors.toList());
    }
}
