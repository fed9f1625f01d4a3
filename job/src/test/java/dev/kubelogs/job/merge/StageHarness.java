package dev.kubelogs.job.merge;

import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.route.OutputTags;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.SegmentHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.SupplierWithException;

/**
 * Runs one stage of the keyed stage alone, wrapped in a small {@link KeyedProcessFunction}, in Flink's keyed
 * operator test harness: its keyed state, timers, snapshots and counters are the real ones.
 */
public final class StageHarness<IN, OUT> implements AutoCloseable {
    private final SupplierWithException<KeyedProcessFunction<String, IN, OUT>, Exception> function;
    private final KeySelector<IN, String> key;
    private final Map<String, Metric> metrics = new HashMap<>();
    private KeyedOneInputStreamOperatorTestHarness<String, IN, OUT> harness;
    private MockEnvironment environment;

    public StageHarness(
            SupplierWithException<KeyedProcessFunction<String, IN, OUT>, Exception> function,
            KeySelector<IN, String> key)
            throws Exception {
        this.function = function;
        this.key = key;
        open(null);
    }

    /** Closes the running operator and opens a new one, restored from {@code state} when it is not null. */
    public void restart(OperatorSubtaskState state) throws Exception {
        close();
        open(state);
    }

    /**
     * A one-subtask task environment whose metrics land in {@code metrics} by name (the harness's default registry
     * drops them).
     */
    public static MockEnvironment environment(String taskName, Map<String, Metric> metrics) {
        metrics.clear();
        TestingMetricRegistry registry = TestingMetricRegistry.builder()
                .setRegisterConsumer((metric, name, group) -> metrics.put(name, metric))
                .build();
        TaskMetricGroup task = TaskManagerMetricGroup.createTaskManagerMetricGroup(
                        registry, "localhost", ResourceID.generate())
                .addJob(new JobID(), "kubelogs")
                .addTask(ExecutionAttemptID.randomId(), taskName);
        return new MockEnvironmentBuilder()
                .setTaskName(taskName)
                .setManagedMemorySize(3 * 1024 * 1024)
                .setMaxParallelism(1)
                .setParallelism(1)
                .setSubtaskIndex(0)
                .setMetricGroup(task)
                .build();
    }

    private void open(OperatorSubtaskState restore) throws Exception {
        environment = environment("stage", metrics);
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(function.get()), key, Types.STRING, environment);
        harness.setup();
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
    }

    /**
     * A LINES batch of {@code file}: the texts as lines ending in a newline, the first at {@code fromOffset}, all
     * read at {@code readTime}.
     */
    public static SpoolRecord lines(
            SegmentHeader header, FileRef file, long fromOffset, long readTime, String... texts) {
        List<LineEntry> entries = new ArrayList<>();
        long offset = fromOffset;
        for (String text : texts) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            entries.add(new LineEntry(file, offset, bytes, 0, readTime));
            offset += bytes.length + 1;
        }
        return SpoolRecord.lines(header, 1, entries);
    }

    public void send(IN element) throws Exception {
        harness.processElement(element, 0L);
    }

    public void advanceProcessingTime(long millis) throws Exception {
        harness.setProcessingTime(harness.getProcessingTime() + millis);
    }

    public void endOfInput() throws Exception {
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
    }

    public OperatorSubtaskState snapshot() throws Exception {
        return harness.snapshot(1L, 1L);
    }

    /** What the function collected so far (its main output), taken: the next call returns only what is new. */
    public List<OUT> take() {
        List<OUT> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                @SuppressWarnings("unchecked")
                OUT value = (OUT) r.getValue();
                out.add(value);
            }
        }
        harness.getOutput().clear();
        return out;
    }

    /** The events of {@code category} (by their log group) on the stage's output of events. */
    public List<CloudWatchEvent> events(Category category) {
        List<CloudWatchEvent> out = new ArrayList<>();
        for (CloudWatchEvent e : sideOutput(OutputTags.EVENTS)) {
            if (Category.ofLogGroup(e.logGroup) == category) {
                out.add(e);
            }
        }
        return out;
    }

    public <T> List<T> sideOutput(OutputTag<T> tag) {
        List<T> out = new ArrayList<>();
        if (harness.getSideOutput(tag) != null) {
            for (StreamRecord<T> r : harness.getSideOutput(tag)) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    /** A counter the stage registered, by name. */
    public long counter(String name) {
        if (!(metrics.get(name) instanceof Counter counter)) {
            throw new AssertionError("no counter " + name + " among " + metrics.keySet());
        }
        return counter.getCount();
    }

    @Override
    public void close() throws Exception {
        harness.close();
        environment.close();
    }
}
