package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.model.CloudWatchEvent;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeutils.base.BooleanSerializer;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The sink's first operator: runs the {@link CloudWatchLogsSinkWriter} on each event of its input ({@link SinkInput}:
 * single events, or bundles of one stream's events) and hands what it cuts at each barrier
 * ({@link #prepareSnapshotPreBarrier}, and at the end of input) to the {@link CloudWatchLogsCommitterOperator}
 * chained after it, as Flink's Sink V2 writer operator did. It keeps no state: the source replays what came after
 * the last checkpoint. Its uid is the sink's, as the Sink V2 writer's was; that writer's own bookkeeping state
 * ({@code end_of_input_state}, one flag per subtask) is dropped on restore.
 */
final class CloudWatchLogsWriterOperator<IN> extends AbstractStreamOperator<CloudWatchLogsCommittable>
        implements OneInputStreamOperator<IN, CloudWatchLogsCommittable>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** Flink's Sink V2 writer operator's state: whether the end of input was reached. */
    static final ListStateDescriptor<Boolean> SINK_V2_END_OF_INPUT =
            new ListStateDescriptor<>("end_of_input_state", BooleanSerializer.INSTANCE);

    private final CloudWatchLogsSinkConfig config;
    private final SinkInput<IN> input;
    private final transient MailboxExecutor mailbox;
    private final transient SinkWriterContext context = new SinkWriterContext();
    private transient CloudWatchLogsSinkWriter writer;
    private transient boolean endOfInput;

    CloudWatchLogsWriterOperator(
            StreamOperatorParameters<CloudWatchLogsCommittable> parameters,
            CloudWatchLogsSinkConfig config,
            SinkInput<IN> input) {
        super(parameters);
        this.config = config;
        this.input = input;
        this.mailbox = parameters.getMailboxExecutor();
        // records and bytes out are those written to CloudWatch (FLIP-33), as for Flink's sink writer operator
        metrics.getIOMetricGroup().reuseOutputMetricsForTask();
        metrics.getIOMetricGroup().reuseBytesOutputMetricsForTask();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        OperatorStateStore store = context.getOperatorStateStore();
        if (context.isRestored() && store.getRegisteredStateNames().contains(SINK_V2_END_OF_INPUT.getName())) {
            store.getListState(SINK_V2_END_OF_INPUT).clear();
        }
        writer = new CloudWatchLogsSinkWriter(
                config,
                getRuntimeContext().getTaskInfo(),
                context.getRestoredCheckpointId().orElse(-1L),
                InternalSinkWriterMetricGroup.wrap(getMetricGroup()),
                getProcessingTimeService(),
                () -> mailbox);
    }

    /**
     * No: its input is keyed by stream only to route each stream to one writer, and it keeps no keyed state, so the
     * key is never read here. Flink then hands each record straight to {@link #processElement} instead of building
     * the key (a string per event) and setting it on the keyed state backend (serializing it into RocksDB's key
     * buffer) first.
     */
    @Override
    public boolean hasKeyContext1() {
        return false;
    }

    @Override
    public void processElement(StreamRecord<IN> element) throws Exception {
        context.element = element;
        input.write(element.getValue(), writer, context);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        if (!endOfInput) {
            emitCut(false);
        }
    }

    @Override
    public void endInput() throws Exception {
        if (!endOfInput) {
            endOfInput = true;
            emitCut(true);
        }
    }

    private void emitCut(boolean end) throws Exception {
        writer.flush(end);
        for (CloudWatchLogsCommittable c : writer.prepareCommit()) {
            output.collect(new StreamRecord<>(c));
        }
    }

    /** The writer's events carry no event time the sink uses; this is what SinkWriter.Context asks for. */
    private final class SinkWriterContext implements SinkWriter.Context {
        StreamRecord<?> element;

        @Override
        public long currentWatermark() {
            return Long.MIN_VALUE;
        }

        @Override
        public Long timestamp() {
            return element != null && element.hasTimestamp() ? element.getTimestamp() : null;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (writer != null) {
                writer.close();
            }
        } finally {
            super.close();
        }
    }

    /** Creates the operator in the task, with the task's mailbox and timers. */
    static final class Factory<IN> extends AbstractStreamOperatorFactory<CloudWatchLogsCommittable>
            implements OneInputStreamOperatorFactory<IN, CloudWatchLogsCommittable> {
        private static final long serialVersionUID = 1L;

        private final CloudWatchLogsSinkConfig config;
        private final SinkInput<IN> input;

        Factory(CloudWatchLogsSinkConfig config, SinkInput<IN> input) {
            this.config = config;
            this.input = input;
        }

        /** A writer of a stream of single events. */
        static Factory<CloudWatchEvent> ofEvents(CloudWatchLogsSinkConfig config) {
            return new Factory<>(config, SinkInput.EVENTS);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends StreamOperator<CloudWatchLogsCommittable>> T createStreamOperator(
                StreamOperatorParameters<CloudWatchLogsCommittable> parameters) {
            return (T) new CloudWatchLogsWriterOperator<>(parameters, config, input);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
            return CloudWatchLogsWriterOperator.class;
        }
    }
}
