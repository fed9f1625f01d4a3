package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The upgrade from the per-event EMF stage: under the uid {@link EmfBundleOperator#UID} the job ran a flatMap that
 * emitted each event as a record; a savepoint it took restores into {@link EmfBundleOperator}, which then emits the
 * same events.
 */
class EmfBundleUpgradeTest {
    private static final EmfEventBuilder.Builder SETTINGS = EmfEventBuilder.builder("c");

    /** The EMF stage as the job ran it before bundles. */
    private static final class PerEvent extends RichFlatMapFunction<SeriesGroup, CloudWatchEvent> {
        private transient EmfEventBuilder builder;

        @Override
        public void open(OpenContext context) {
            builder = SETTINGS.build(
                    new EmfCounters(getRuntimeContext().getMetricGroup().addGroup("kubelogs")));
        }

        @Override
        public void flatMap(SeriesGroup group, Collector<CloudWatchEvent> out) {
            builder.build(group, out::collect);
        }
    }

    private static SeriesGroup group(int i) {
        return new SeriesGroup(
                "job-a",
                Labels.of("job", "job-a", "instance", "10.0.0." + i + ":9100"),
                MetricType.GAUGE,
                1_760_000_000_000L + i,
                new String[] {"up"},
                new double[] {1},
                null);
    }

    @Test
    void aSavepointOfThePerEventStageRestoresIntoTheBundlingOne() throws Exception {
        OperatorSubtaskState savepoint;
        List<CloudWatchEvent> before = new ArrayList<>();
        try (OneInputStreamOperatorTestHarness<SeriesGroup, CloudWatchEvent> old =
                new OneInputStreamOperatorTestHarness<>(new StreamFlatMap<>(new PerEvent()))) {
            old.open();
            old.processElement(new StreamRecord<>(group(0)));
            old.extractOutputValues().forEach(before::add);
            savepoint = old.snapshotWithLocalState(1, 1, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                    .getJobManagerOwnedState();
        }
        assertThat(before).hasSize(1);

        try (OneInputStreamOperatorTestHarness<SeriesGroup, CloudWatchEventBundle> restored =
                new OneInputStreamOperatorTestHarness<>(new EmfBundleOperator(SETTINGS))) {
            restored.initializeState(savepoint);
            restored.open();
            restored.processElement(new StreamRecord<>(group(0)));
            restored.endInput();
            assertThat(restored.extractOutputValues()).singleElement().satisfies(b -> {
                assertThat(b.size()).isEqualTo(1);
                assertThat(b.event(0)).isEqualTo(before.get(0));
            });
        }
    }
}
