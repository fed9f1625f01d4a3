package dev.kubelogs.job.metrics.emf;

import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import java.util.function.Consumer;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The EMF stage: each group (its counters already deltas) becomes its event(s), and consecutive events of one log
 * stream leave as one {@link CloudWatchEventBundle}, the sink's input record. A scrape's groups come one after the
 * other from the delta stage and all go to its job's stream, so a bundle carries hundreds of events across the
 * shuffle to the sink instead of a record each.
 *
 * <p>A bundle is emitted when the next event is of another stream, at {@link #MAX_EVENTS} events or
 * {@link #MAX_MESSAGE_BYTES} bytes, before each checkpoint barrier (so a checkpoint's events are all in front of its
 * barrier, as single events were), at the end of input, and, if it has a hold time, at the latest that long after
 * its first event ({@link #MAX_HOLD_MS} by default, as long as Flink's network buffers hold a record by default).
 * Ahead of an exactly-once sink, whose output buffers go when full or with the barrier, a hold time would only send
 * a bundle into a buffer that waits for the barrier anyway, so there it has none ({@link #UNTIL_BARRIER}): no
 * processing-time timer per bundle. It keeps no state: its uid is the one the per-event EMF stage had, which had none
 * either.
 */
public final class EmfBundleOperator extends AbstractStreamOperator<CloudWatchEventBundle>
        implements OneInputStreamOperator<SeriesGroup, CloudWatchEventBundle>, BoundedOneInput, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;
    public static final String UID = "metrics-emf";
    static final int MAX_EVENTS = 512;
    static final long MAX_MESSAGE_BYTES = 256 * 1024;
    static final long MAX_HOLD_MS = 100;
    /** The hold time of a bundle that leaves only when full, at another stream, at a barrier or at the end. */
    public static final long UNTIL_BARRIER = -1;

    private final EmfEventBuilder.Builder settings;
    private final long maxHoldMs;
    private transient EmfEventBuilder builder;
    private transient Consumer<CloudWatchEvent> append;
    private transient StreamRecord<CloudWatchEventBundle> record;
    private transient CloudWatchEventBundle bundle;
    private transient boolean timerSet;

    /** Bundles held at most {@link #MAX_HOLD_MS}. */
    public EmfBundleOperator(EmfEventBuilder.Builder settings) {
        this(settings, MAX_HOLD_MS);
    }

    /** @param maxHoldMs how long a bundle may wait for more events, positive, or {@link #UNTIL_BARRIER} */
    public EmfBundleOperator(EmfEventBuilder.Builder settings, long maxHoldMs) {
        if (maxHoldMs <= 0 && maxHoldMs != UNTIL_BARRIER) {
            throw new IllegalArgumentException("an EMF bundle's hold time must be positive or UNTIL_BARRIER ("
                    + UNTIL_BARRIER + "): " + maxHoldMs);
        }
        this.settings = settings;
        this.maxHoldMs = maxHoldMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        builder = settings.build(new EmfCounters(getMetricGroup().addGroup("kubelogs")));
        append = this::append;
        record = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<SeriesGroup> element) throws Exception {
        builder.build(element.getValue(), append);
    }

    private void append(CloudWatchEvent e) {
        if (e.messageUtf8 == null) {
            throw new IllegalStateException("an EMF event without its UTF-8 bytes: " + e);
        }
        if (bundle != null
                && !(bundle.logStream().equals(e.logStream) && bundle.logGroup().equals(e.logGroup))) {
            emit();
        }
        if (bundle == null) {
            bundle = new CloudWatchEventBundle(e.logGroup, e.logStream);
            if (!timerSet && maxHoldMs != UNTIL_BARRIER) {
                timerSet = true;
                getProcessingTimeService()
                        .registerTimer(getProcessingTimeService().getCurrentProcessingTime() + maxHoldMs, this);
            }
        }
        bundle.add(e.timestamp, e.messageUtf8);
        if (bundle.size() >= MAX_EVENTS || bundle.messageBytes() >= MAX_MESSAGE_BYTES) {
            emit();
        }
    }

    private void emit() {
        if (bundle != null) {
            output.collect(record.replace(bundle));
            bundle = null;
        }
    }

    @Override
    public void onProcessingTime(long time) {
        timerSet = false;
        emit();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        emit();
    }

    @Override
    public void endInput() {
        emit();
    }
}
