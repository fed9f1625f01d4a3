package dev.kubelogs.collector.kubelet;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.spool.SegmentSpool;
import dev.kubelogs.collector.tail.CollectorState;
import dev.kubelogs.collector.tail.FileTailer;
import dev.kubelogs.spool.ContainerLogName;
import dev.kubelogs.spool.SegmentWriter;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves the kubelet poller's pod records into the spool's open segment and keeps the pods announced so far, which
 * the next committed state records. Without a poller the committed announcements are carried over unchanged.
 * Tail thread only.
 */
public final class PodDrain implements AutoCloseable {
    private final KubeletPoller poller;
    private final SegmentSpool spool;
    private final CollectorMetrics metrics;
    private final Map<String, String> announced = new LinkedHashMap<>();

    /**
     * @param poller the kubelet poller, or null when the kubelet is not polled
     * @param committedPods the announcements of the committed state
     */
    public PodDrain(
            KubeletPoller poller, Map<String, String> committedPods, SegmentSpool spool, CollectorMetrics metrics) {
        this.poller = poller;
        this.spool = spool;
        this.metrics = metrics;
        announced.putAll(committedPods);
    }

    /** Spools every pod record polled so far; true if there was any. */
    public boolean drain(long readTimeMillis, FileTailer.Sink sink) throws IOException {
        if (poller == null) {
            return false;
        }
        boolean any = false;
        KubeletPoller.PodChange r;
        while ((r = poller.poll()) != null) {
            SegmentWriter w = spool.writer(readTimeMillis);
            w.readTime(readTimeMillis);
            w.podMetadata(r.json());
            metrics.podRecords.inc();
            if (r.hash() == null) {
                announced.remove(r.key());
            } else {
                announced.put(r.key(), r.hash());
            }
            any = true;
            sink.afterLine();
        }
        return any;
    }

    /** A new container log file: a pod we have no metadata for makes the poller ask now rather than at its poll. */
    public void onNewContainerFile(String path) {
        if (poller == null) {
            return;
        }
        ContainerLogName name = ContainerLogName.parse(path.substring(path.lastIndexOf('/') + 1));
        if (name != null && !poller.knows(name.namespace(), name.podName())) {
            poller.requestRefresh();
        }
    }

    /** Records the announcements so far in a state about to be committed. */
    public void addTo(CollectorState s) {
        s.pods = new LinkedHashMap<>(announced);
    }

    /** After the open segment was dropped: back to the committed announcements. */
    public void rewind(Map<String, String> committedPods) {
        announced.clear();
        announced.putAll(committedPods);
        if (poller != null) {
            poller.resetAnnounced(announced);
        }
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.close();
        }
    }
}
