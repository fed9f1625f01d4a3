package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudWatchLogsCommittableTest {
    private static final String GROUP = "/aws/containerinsights/prod/application";
    private static final String STREAM = "ip-10-0-1-2.internal-application.var.log.containers.web_shop_nginx-abc.log";
    /** The block Container Insights ends every event of one container with: stored once per run in the arena. */
    private static final String KUBERNETES = ",\"kubernetes\":{\"pod_name\":\"web-7d\",\"namespace_name\":\"shop\","
            + "\"container_name\":\"nginx\",\"docker_id\":\"" + "a".repeat(64) + "\",\"host\":\"ip-10-0-1-2\"}}";

    private static CloudWatchLogsCommittable committable(long sequence, List<SinkEvent> events) {
        return new CloudWatchLogsCommittable(GROUP, STREAM, 41L, 2, sequence, 1_760_000_000_000L, events);
    }

    @Test
    void aCommittableWithoutEventsIsRefused() {
        assertThatThrownBy(() -> committable(0, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a committable needs at least one event");
    }

    @Test
    void aMissingGroupOrStreamIsNamed() {
        List<SinkEvent> one = List.of(new SinkEvent(1, "x", null, -1));
        assertThatThrownBy(() -> new CloudWatchLogsCommittable(null, STREAM, 0, 0, 0, 0, one))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("logGroup");
        assertThatThrownBy(() -> new CloudWatchLogsCommittable(GROUP, null, 0, 0, 0, 0, one))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("logStream");
    }

    @Test
    void eventsComeBackExactlyIncludingSharedKubernetesBlocksSourcesAndOrder() {
        List<SinkEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String source = i % 3 == 0 ? null : "node-a:/var/log/pods/x/" + (i % 2) + ".log#inode=12";
            events.add(new SinkEvent(
                    1_760_000_000_000L + (i * 7919L) % 1000,
                    "{\"log\":\"line " + i + " é€😀\"" + KUBERNETES,
                    source,
                    i * 100L));
        }
        events.add(new SinkEvent(1_760_000_000_500L, "{\"log\":\"no block\"}", "other", 3));
        CloudWatchLogsCommittable c = committable(7, events);
        assertThat(c.events()).containsExactlyElementsOf(events);
        assertThat(c.eventCount()).isEqualTo(51);
    }

    @Test
    void sizesAreUtf8BytesAndTheBatchCountsTwentySixBytesAnEvent() {
        // "é" is 2 bytes, "€" 3, "😀" 4 (a surrogate pair): 2 + 3 + 4 + 1 = 10 bytes in 4 characters + 1
        CloudWatchLogsCommittable c = committable(
                0,
                List.of(
                        new SinkEvent(5, "é€😀x", null, -1),
                        new SinkEvent(6, "{\"log\":\"a\"}" + KUBERNETES, "f", 0),
                        new SinkEvent(7, "{\"log\":\"b\"}" + KUBERNETES, "f", 12)));
        long expected = 10 + 2L * ("{\"log\":\"a\"}" + KUBERNETES).getBytes(StandardCharsets.UTF_8).length;
        assertThat(c.messageBytes()).isEqualTo(expected);
        assertThat(c.batchBytes()).isEqualTo(expected + 3 * 26);
    }

    @Test
    void minAndMaxTimestampsAreTheFirstAndLastOfTheCuttersSortedEvents() {
        CloudWatchLogsCommittable c = committable(
                0,
                List.of(
                        new SinkEvent(-5, "a", null, -1),
                        new SinkEvent(7, "b", null, -1),
                        new SinkEvent(7, "c", null, -1),
                        new SinkEvent(Long.MAX_VALUE / 2, "d", null, -1)));
        assertThat(c.minTimestamp()).isEqualTo(-5);
        assertThat(c.maxTimestamp()).isEqualTo(Long.MAX_VALUE / 2);
        CloudWatchLogsCommittable one = committable(0, List.of(new SinkEvent(42, "x", null, -1)));
        assertThat(one.minTimestamp()).isEqualTo(42);
        assertThat(one.maxTimestamp()).isEqualTo(42);
    }

    @Test
    void theIdNamesGroupStreamEpochSubtaskAndSequence() {
        CloudWatchLogsCommittable c = committable(7, List.of(new SinkEvent(1, "x", null, -1)));
        assertThat(c.id()).isEqualTo(GROUP + "/" + STREAM + "#41.2.7");
        assertThat(c.toString()).isEqualTo(c.id() + " [1 events 1..1]");
        assertThat(new CloudWatchLogsCommittable("g", "s", -1, 0, 0, 0, List.of(new SinkEvent(1, "x", null, -1))).id())
                .isEqualTo("g/s#-1.0.0");
    }

    @Test
    void equalWhenHeaderAndEventsAreEqualAndNotOtherwise() {
        List<SinkEvent> events = List.of(new SinkEvent(1, "x", "f", 0), new SinkEvent(2, "y", "f", 2));
        CloudWatchLogsCommittable c = committable(7, events);
        assertThat(c).isEqualTo(committable(7, List.copyOf(events))).hasSameHashCodeAs(committable(7, events));
        assertThat(c).isNotEqualTo(committable(8, events));
        assertThat(c)
                .isNotEqualTo(committable(7, List.of(new SinkEvent(1, "x", "f", 0), new SinkEvent(2, "z", "f", 2))));
        assertThat(c)
                .isNotEqualTo(committable(7, List.of(new SinkEvent(1, "x", "f", 0), new SinkEvent(2, "y", "f", 3))));
        assertThat(c)
                .isNotEqualTo(committable(7, List.of(new SinkEvent(2, "y", "f", 2), new SinkEvent(1, "x", "f", 0))));
        assertThat(c)
                .isNotEqualTo(
                        new CloudWatchLogsCommittable(GROUP, STREAM + "2", 41L, 2, 7, 1_760_000_000_000L, events));
        assertThat(c).isNotEqualTo(new CloudWatchLogsCommittable(GROUP, STREAM, 42L, 2, 7, 1_760_000_000_000L, events));
        assertThat(c).isNotEqualTo(new CloudWatchLogsCommittable(GROUP, STREAM, 41L, 3, 7, 1_760_000_000_000L, events));
        assertThat(c).isNotEqualTo(new CloudWatchLogsCommittable(GROUP, STREAM, 41L, 2, 7, 1_760_000_000_001L, events));
        assertThat(c).isNotEqualTo(events);
    }
}
