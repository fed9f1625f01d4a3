package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The EMF stage's operator: the events it bundles are those the builder makes, in order, each bundle one stream's,
 * and every bundle leaves before the next barrier, at the end of input and within its hold time, if it has one.
 */
class EmfBundleOperatorTest {
    private static final EmfEventBuilder.Builder SETTINGS = EmfEventBuilder.builder("c");
    private static final long T = 1_760_000_000_000L;

    private static SeriesGroup group(String stream, int i) {
        return new SeriesGroup(
                stream,
                Labels.of("job", stream, "instance", "10.0.0." + i + ":9100"),
                MetricType.GAUGE,
                T + i,
                new String[] {"up", "temperature"},
                new double[] {1, i},
                null);
    }

    private static OneInputStreamOperatorTestHarness<SeriesGroup, CloudWatchEventBundle> harness() throws Exception {
        OneInputStreamOperatorTestHarness<SeriesGroup, CloudWatchEventBundle> h =
                new OneInputStreamOperatorTestHarness<>(new EmfBundleOperator(SETTINGS));
        h.open();
        return h;
    }

    private static List<CloudWatchEventBundle> output(
            OneInputStreamOperatorTestHarness<SeriesGroup, CloudWatchEventBundle> h) {
        List<CloudWatchEventBundle> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((CloudWatchEventBundle) r.getValue());
            }
        }
        h.getOutput().clear();
        return out;
    }

    /** What the per-event EMF stage emitted for {@code groups}. */
    private static List<CloudWatchEvent> eventsOf(List<SeriesGroup> groups) {
        EmfEventBuilder builder = SETTINGS.build(new EmfCounters());
        List<CloudWatchEvent> events = new ArrayList<>();
        groups.forEach(g -> builder.build(g, events::add));
        return events;
    }

    private static List<CloudWatchEvent> eventsOfBundles(List<CloudWatchEventBundle> bundles) {
        List<CloudWatchEvent> events = new ArrayList<>();
        for (CloudWatchEventBundle b : bundles) {
            for (int i = 0; i < b.size(); i++) {
                events.add(b.event(i));
            }
        }
        return events;
    }

    @Test
    void aStreamsRunOfEventsLeavesAsOneBundleBeforeTheBarrier() throws Exception {
        try (OneInputStreamOperatorTestHarness<SeriesGroup, CloudWatchEventBundle> h = harness()) {
            List<SeriesGroup> groups = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                groups.add(group("job-a", i));
                h.processElement(new StreamRecord<>(groups.get(i), T + i));
            }
            assertThat(output(h)).isEmpty();

            h.prepareSnapshotPreBarrier(1);
            List<CloudWatchEventBundle> out = output(h);
            assertThat(out).singleElement().satisfies(b -> {
                assertThat(b.logGroup()).isEqualTo("/aws/containerinsights/c/prometheus");
                assertThat(b.logStream()).isEqualTo("job-a");
            });
            assertThat(eventsOfBundles(out)).isEqualTo(eventsOf(groups));
            h.prepareSnapshotPreBarrier(2);
            assertThat(output(h)).isEmpty();
        }
    }

    @Test
    void anotherStreamStartsAnotherBundleAndOrderIsKept() throws Exception {
        try (OneInputStreamOperatorTestHarness<SeriesGroup, CloudWatchEventBundle> h = harness()) {
            List<SeriesGroup> groups = List.of(
                    group("job-a", 0), group("job-a", 1), group("job-b", 2), group("job-a", 3), group("job-a", 4));
            for (SeriesGroup g : groups) {
                h.processElement(new StreamRecord<>(g));
            }
            h.endInput();
            List<CloudWatchEventBundle> out = output(h);
            assertThat(out).extracting(CloudWatchEventBundle::logStream).containsExactly("job-a", "job-b", "job-a");
            assertThat(out).extracting(CloudWatchEventBundle::size).containsExactly(2, 1, 2);
            assertThat(eventsOfBundles(out)).isEqualTo(eventsOf(groups));
        }
    }

    @Test
    void aFullBundleLeavesAtOnce() throws Exception {
        try (OneInputStreamOperatorTestHarness<SeriesGroup, CloudWatchEventBundle> h = harness()) {
            List<SeriesGroup> groups = new ArrayList<>();
            for (int i = 0; i < EmfBundleOperator.MAX_EVENTS + 3; i++) {
                groups.add(group("job-a", i));
                h.processElement(new StreamRecord<>(groups.get(i)));
            }
            List<CloudWatchEventBundle> full = output(h);
            assertThat(full)
                    .singleElement()
                    .extracting(CloudWatchEventBundle::size)
                    .isEqualTo(EmfBundleOperator.MAX_EVENTS);
            h.endInput();
            List<CloudWatchEventBundle> rest = output(h);
            assertThat(rest)
                    .singleElement()
                    .extracting(CloudWatchEventBundle::size)
                    .isEqualTo(3);
            full.addAll(rest);
            assertThat(eventsOfBundles(full)).isEqualTo(eventsOf(groups));
        }
    }

    @Test
    void aBundleWaitsNoLongerThanItsHoldTime() throws Exception {
        try (OneInputStreamOperatorTestHarness<SeriesGroup, CloudWatchEventBundle> h = harness()) {
            h.setProcessingTime(1_000);
            h.processElement(new StreamRecord<>(group("job-a", 0)));
            h.setProcessingTime(1_000 + EmfBundleOperator.MAX_HOLD_MS - 1);
            assertThat(output(h)).isEmpty();
            h.setProcessingTime(1_000 + EmfBundleOperator.MAX_HOLD_MS);
            assertThat(output(h))
                    .singleElement()
                    .extracting(CloudWatchEventBundle::size)
                    .isEqualTo(1);

            // the next bundle gets its own hold time
            h.setProcessingTime(5_000);
            h.processElement(new StreamRecord<>(group("job-a", 1)));
            h.setProcessingTime(5_000 + EmfBundleOperator.MAX_HOLD_MS);
            assertThat(output(h))
                    .singleElement()
                    .extracting(CloudWatchEventBundle::size)
                    .isEqualTo(1);
        }
    }

    @Test
    void untilTheBarrierABundleWaitsForNoTimer() throws Exception {
        try (OneInputStreamOperatorTestHarness<SeriesGroup, CloudWatchEventBundle> h =
                new OneInputStreamOperatorTestHarness<>(
                        new EmfBundleOperator(SETTINGS, EmfBundleOperator.UNTIL_BARRIER))) {
            h.open();
            h.setProcessingTime(1_000);
            h.processElement(new StreamRecord<>(group("job-a", 0)));
            h.processElement(new StreamRecord<>(group("job-a", 1)));
            h.setProcessingTime(1_000 + 10 * EmfBundleOperator.MAX_HOLD_MS);
            assertThat(output(h)).isEmpty();

            // another stream's event sends the bundle before it; the barrier sends the rest
            h.processElement(new StreamRecord<>(group("job-b", 2)));
            assertThat(output(h))
                    .singleElement()
                    .extracting(CloudWatchEventBundle::size)
                    .isEqualTo(2);
            h.prepareSnapshotPreBarrier(1);
            assertThat(output(h))
                    .singleElement()
                    .extracting(CloudWatchEventBundle::logStream)
                    .isEqualTo("job-b");
        }
    }

    @Test
    void aHoldTimeIsPositiveOrUntilTheBarrier() {
        assertThatThrownBy(() -> new EmfBundleOperator(SETTINGS, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hold time must be positive or UNTIL_BARRIER");
        assertThatThrownBy(() -> new EmfBundleOperator(SETTINGS, -2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsNoState() throws Exception {
        try (OneInputStreamOperatorTestHarness<SeriesGroup, CloudWatchEventBundle> h = harness()) {
            h.processElement(new StreamRecord<>(group("job-a", 0)));
            h.prepareSnapshotPreBarrier(1);
            assertThat(h.snapshot(1, 1).hasState()).isFalse();
        }
    }
}
