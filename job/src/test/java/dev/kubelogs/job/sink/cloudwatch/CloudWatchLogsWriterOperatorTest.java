package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.model.CloudWatchEvent;
import java.net.URI;
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
        return new OneInputStreamOperatorTestHarness<>(new CloudWatchLogsWriterOperator.Factory(config), 128, 1, 0);
    }

    private static CloudWatchEvent event(String stream, long i) {
        return new CloudWatchEvent("group", stream, System.currentTimeMillis() + i, "line " + i, "src", i);
    }

    private static List<CloudWatchLogsCommittable> output(
            OneInputStreamOperatorTestHarness<CloudWatchEvent, CloudWatchLogsCommittable> h) {
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
                        new CloudWatchLogsWriterOperator.Factory(config),
                        new CountingStreamKey(),
                        Types.STRING,
                        128,
                        1,
                        0)) {
            h.open();
            CloudWatchLogsWriterOperator operator = (CloudWatchLogsWriterOperator) h.getOneInputOperator();
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
