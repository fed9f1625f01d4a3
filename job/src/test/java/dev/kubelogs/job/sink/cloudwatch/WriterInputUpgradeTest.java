package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.io.RecordProcessorUtils;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.function.ThrowingConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics sink's writer moved from single events to bundles under the same uid, keyed by the same stream key: a
 * savepoint of the writer with event input, on RocksDB or the heap, restores into the writer with bundle input.
 */
class WriterInputUpgradeTest {
    @TempDir
    Path deadLetters;

    private CloudWatchLogsSinkConfig config() {
        return SinkTestSupport.localBuilder(URI.create("http://127.0.0.1:1"), deadLetters)
                .build()
                .config();
    }

    private OperatorSubtaskState eventWriterSavepoint(StateBackend backend) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, CloudWatchEvent, CloudWatchLogsCommittable> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        CloudWatchLogsWriterOperator.Factory.ofEvents(config()),
                        CloudWatchLogsSink.streamKeySelector(),
                        Types.STRING,
                        128,
                        1,
                        0)) {
            h.setStateBackend(backend);
            h.open();
            h.processElement(new StreamRecord<>(new CloudWatchEvent("group", "a", System.currentTimeMillis(), "x")));
            h.prepareSnapshotPreBarrier(1);
            return h.snapshotWithLocalState(1, 1, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                    .getJobManagerOwnedState();
        }
    }

    @Test
    void aSavepointOfTheEventWriterRestoresIntoTheBundleWriterOnEitherBackend() throws Exception {
        for (StateBackend from : List.of(new EmbeddedRocksDBStateBackend(), new HashMapStateBackend())) {
            OperatorSubtaskState savepoint = eventWriterSavepoint(from);
            for (StateBackend to : List.of(new EmbeddedRocksDBStateBackend(), new HashMapStateBackend())) {
                try (KeyedOneInputStreamOperatorTestHarness<String, CloudWatchEventBundle, CloudWatchLogsCommittable>
                        h = new KeyedOneInputStreamOperatorTestHarness<>(
                                new CloudWatchLogsWriterOperator.Factory<>(config(), SinkInput.BUNDLES),
                                CloudWatchLogsSink.bundleStreamKeySelector(),
                                Types.STRING,
                                128,
                                1,
                                0)) {
                    h.setStateBackend(to);
                    h.initializeState(savepoint);
                    h.open();
                    @SuppressWarnings("unchecked")
                    ThrowingConsumer<StreamRecord<CloudWatchEventBundle>, Exception> processor =
                            RecordProcessorUtils.getRecordProcessor(
                                    (CloudWatchLogsWriterOperator<CloudWatchEventBundle>) h.getOneInputOperator());
                    CloudWatchEventBundle b = new CloudWatchEventBundle("group", "a");
                    b.add(System.currentTimeMillis(), "y".getBytes(StandardCharsets.UTF_8));
                    processor.accept(new StreamRecord<>(b));
                    h.prepareSnapshotPreBarrier(2);
                    List<CloudWatchLogsCommittable> cut = h.extractOutputValues();
                    assertThat(cut)
                            .singleElement()
                            .satisfies(c -> assertThat(c.events())
                                    .extracting(SinkEvent::message)
                                    .containsExactly("y"));
                }
            }
        }
    }
}
