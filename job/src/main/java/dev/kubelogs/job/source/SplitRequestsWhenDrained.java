package dev.kubelogs.job.source;

import java.util.function.IntSupplier;
import org.apache.flink.api.common.watermark.Watermark;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A reader's context that asks the enumerator for segments only once the reader holds none: FileSourceReader asks
 * again after each segment it finishes, so a reader given several segments in one assignment would send a request,
 * an RPC to the JobManager, per segment. With this context a batch costs one request and one assignment.
 */
final class SplitRequestsWhenDrained implements SourceReaderContext {
    private final SourceReaderContext context;
    private IntSupplier heldSplits;

    SplitRequestsWhenDrained(SourceReaderContext context) {
        this.context = context;
    }

    /** How many splits the reader holds; set once the reader made with this context exists, before it starts. */
    void heldSplits(IntSupplier heldSplits) {
        this.heldSplits = heldSplits;
    }

    @Override
    public void sendSplitRequest() {
        if (heldSplits == null) {
            throw new IllegalStateException("The reader's held splits were not set before it asked for splits");
        }
        if (heldSplits.getAsInt() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    public SourceReaderMetricGroup metricGroup() {
        return context.metricGroup();
    }

    @Override
    public Configuration getConfiguration() {
        return context.getConfiguration();
    }

    @Override
    public String getLocalHostName() {
        return context.getLocalHostName();
    }

    @Override
    public int getIndexOfSubtask() {
        return context.getIndexOfSubtask();
    }

    @Override
    public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {
        context.sendSourceEventToCoordinator(sourceEvent);
    }

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        return context.getUserCodeClassLoader();
    }

    @Override
    public int currentParallelism() {
        return context.currentParallelism();
    }

    @Override
    public void emitWatermark(Watermark watermark) {
        context.emitWatermark(watermark);
    }
}
