package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.runtime.io.RecordProcessorUtils;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.function.ThrowingConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer operator hands what it cuts at each barrier and at the end of input to its committer, and nothing else. */
class CloudWatchLogsWriterOperatorTest {
    @TempDir
    Path deadLetters;

    private OneInputStreamOperatorTestHarness<CloudWatchEvent, CloudWatchLogsCommittable> harness() throws Exception {
        CloudWatchLogsSinkConfig config = SinkTestSupport.localBuilder(URI.create("http://127.0.0.1:1"), deadLetters)
                .build()
                .config();
        return new OneInputStreamOperatorTestHarness<>(
                CloudWatchLogsWriterOperator.Factory.ofEvents(config), 128, 1, 0);
    }

    private static CloudWatchEvent event(String stream, long i) {
        return new CloudWatchEvent("group", stream, System.currentTimeMillis() + i, "line " + i, "src", i);
    }

    private static List<CloudWatchLogsCommittable> output(
            OneInputStreamOperatorTestHarness<?, CloudWatchLogsCommittable> h) {
        List<CloudWatchLogsCommittable> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((CloudWatchLogsCommittable) r.getValue());
            }
        }
        h.getOutput().clear();
        return out;
    }

    @Test
    void cutsEachStreamsEventsAtTheBarrierAndAtTheEndOfInput() throws Exception {
        try (OneInputStreamOperatorTestHarness<CloudWatchEvent, CloudWatchLogsCommittable> h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(event("a", 0)));
            h.processElement(new StreamRecord<>(event("b", 1)));
            h.processElement(new StreamRecord<>(event("a", 2)));
            assertThat(output(h)).isEmpty();

            h.prepareSnapshotPreBarrier(1);
            List<CloudWatchLogsCommittable> cut = output(h);
            assertThat(cut).extracting(CloudWatchLogsCommittable::logStream).containsExactly("a", "b");
            assertThat(cut.get(0).events()).extracting(SinkEvent::message).containsExactly("line 0", "line 2");

            h.processElement(new StreamRecord<>(event("b", 3)));
            h.endInput();
            assertThat(output(h))
                    .singleElement()
                    .satisfies(c -> assertThat(c.events())
                            .extracting(SinkEvent::message)
                            .containsExactly("line 3"));
            h.prepareSnapshotPreBarrier(2); // the final checkpoint: nothing left
            assertThat(output(h)).isEmpty();
        }
    }

    @Test
    void keepsNoStateOfItsOwn() throws Exception {
        try (OneInputStreamOperatorTestHarness<CloudWatchEvent, CloudWatchLogsCommittable> h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(event("a", 0)));
            assertThat(h.snapshot(1, 1).hasState()).isFalse();
        }
    }

    @Test
    void flinkHandsItsRecordsOverWithoutSettingTheStreamKey() throws Exception {
        CloudWatchLogsSinkConfig config = SinkTestSupport.localBuilder(URI.create("http://127.0.0.1:1"), deadLetters)
                .build()
                .config();
        CountingStreamKey.READ.set(0);
        try (KeyedOneInputStreamOperatorTestHarness<String, CloudWatchEvent, CloudWatchLogsCommittable> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        CloudWatchLogsWriterOperator.Factory.ofEvents(config),
                        new CountingStreamKey(),
                        Types.STRING,
                        128,
                        1,
                        0)) {
            h.open();
            @SuppressWarnings("unchecked")
            CloudWatchLogsWriterOperator<CloudWatchEvent> operator =
                    (CloudWatchLogsWriterOperator<CloudWatchEvent>) h.getOneInputOperator();
            ThrowingConsumer<StreamRecord<CloudWatchEvent>, Exception> processor =
                    RecordProcessorUtils.getRecordProcessor(operator);
            processor.accept(new StreamRecord<>(event("a", 0)));
            processor.accept(new StreamRecord<>(event("b", 1)));

            assertThat(CountingStreamKey.READ).hasValue(0);
            h.prepareSnapshotPreBarrier(1);
            assertThat(output(h))
                    .extracting(CloudWatchLogsCommittable::logStream)
                    .containsExactly("a", "b");
        }
    }

    private static CloudWatchEventBundle bundle(String stream, long first, int n) {
        CloudWatchEventBundle b = new CloudWatchEventBundle("group", stream);
        for (long i = first; i < first + n; i++) {
            b.add(System.currentTimeMillis() + i, ("line " + i).getBytes(StandardCharsets.UTF_8));
        }
        return b;
    }

    private OneInputStreamOperatorTestHarness<CloudWatchEventBundle, CloudWatchLogsCommittable> bundleHarness(
            int parallelism, int subtask) throws Exception {
        CloudWatchLogsSinkConfig config = SinkTestSupport.localBuilder(URI.create("http://127.0.0.1:1"), deadLetters)
                .build()
                .config();
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new CloudWatchLogsWriterOperator.Factory<>(config, SinkInput.BUNDLES),
                CloudWatchLogsSink.bundleStreamKeySelector(),
                Types.STRING,
                128,
                parallelism,
                subtask);
    }

    @Test
    void writesABundlesEventsAsIfTheyHadComeOneByOne() throws Exception {
        try (OneInputStreamOperatorTestHarness<CloudWatchEventBundle, CloudWatchLogsCommittable> h =
                bundleHarness(1, 0)) {
            h.open();
            @SuppressWarnings("unchecked")
            ThrowingConsumer<StreamRecord<CloudWatchEventBundle>, Exception> processor =
                    RecordProcessorUtils.getRecordProcessor(
                            (CloudWatchLogsWriterOperator<CloudWatchEventBundle>) h.getOneInputOperator());
            processor.accept(new StreamRecord<>(bundle("a", 0, 2)));
            processor.accept(new StreamRecord<>(bundle("b", 2, 1)));
            processor.accept(new StreamRecord<>(bundle("a", 3, 2)));
            assertThat(output(h)).isEmpty();

            h.prepareSnapshotPreBarrier(1);
            List<CloudWatchLogsCommittable> cut = output(h);
            assertThat(cut).extracting(CloudWatchLogsCommittable::logStream).containsExactly("a", "b");
            assertThat(cut.get(0).events())
                    .extracting(SinkEvent::message)
                    .containsExactly("line 0", "line 1", "line 3", "line 4");
            assertThat(cut.get(1).events()).extracting(SinkEvent::message).containsExactly("line 2");
        }
    }

    @Test
    void bundlesOfAStreamAtAnotherSubtaskFailTheOwnershipCheck() throws Exception {
        String owned = null;
        String foreign = null;
        for (int i = 0; owned == null || foreign == null; i++) {
            String stream = "stream-" + i;
            int owner = org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignKeyToParallelOperator(
                    CloudWatchLogsSink.streamKey("group", stream), 128, 2);
            if (owner == 0) {
                owned = owned == null ? stream : owned;
            } else {
                foreign = foreign == null ? stream : foreign;
            }
        }
        try (OneInputStreamOperatorTestHarness<CloudWatchEventBundle, CloudWatchLogsCommittable> h =
                bundleHarness(2, 0)) {
            h.open();
            // as Flink hands records to an operator without key context: the stream's key is not set first
            @SuppressWarnings("unchecked")
            ThrowingConsumer<StreamRecord<CloudWatchEventBundle>, Exception> processor =
                    RecordProcessorUtils.getRecordProcessor(
                            (CloudWatchLogsWriterOperator<CloudWatchEventBundle>) h.getOneInputOperator());
            processor.accept(new StreamRecord<>(bundle(owned, 0, 2)));
            CloudWatchEventBundle wrong = bundle(foreign, 2, 1);
            assertThatThrownBy(() -> processor.accept(new StreamRecord<>(wrong)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("log stream group/" + foreign + " arrived at sink subtask 0");
        }
    }

    /** The stream key, counting its reads in a static: the harness hands the operator a deserialized copy. */
    private static final class CountingStreamKey implements KeySelector<CloudWatchEvent, String> {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger READ = new AtomicInteger();

        @Override
        public String getKey(CloudWatchEvent e) {
            READ.incrementAndGet();
            return CloudWatchLogsSink.streamKey(e.logGroup, e.logStream);
        }
    }
}
