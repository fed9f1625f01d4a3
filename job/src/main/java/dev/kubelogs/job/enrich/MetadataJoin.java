package dev.kubelogs.job.enrich;

import dev.kubelogs.job.merge.AwaitingEvent;
import dev.kubelogs.job.merge.PerKey;
import dev.kubelogs.job.merge.StageContext;
import dev.kubelogs.job.parse.LineRecord;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.PodRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The metadata join: the node's pods from the pod metadata records in the same spool, in keyed state, and the
 * application records that came before their pod, parked (bounded in number and time) until it comes or their
 * wait runs out. A parked container's later records queue behind it, so a container's order is kept. Counts the
 * pod records, the parked, the records that left without metadata and those of excluded pods.
 */
public final class MetadataJoin {
    private static final int MAX_CACHED_PODS = 10_000;

    /** Where a released record goes; {@code kubernetesJson} is null when its wait ran out without metadata. */
    public interface Released {
        void emit(AwaitingEvent event, LineRecord record, String kubernetesJson) throws Exception;
    }

    private final long waitMillis;
    private final int maxAwaitingPerNode;
    private final boolean labels;
    private final boolean annotations;
    private MapState<String, String> pods;
    private MapState<Long, AwaitingEvent> awaiting;
    private MapState<String, Integer> awaitingByContainer;
    private ValueState<Long> awaitingNextId;
    private ValueState<Integer> awaitingCount;
    /** Parsed pods, by node key and pod key; rebuilt lazily after a restore. */
    private Map<String, PodMetadata> podCache;

    private PerKey<View> views;
    private long podVersion;
    private Counter podRecords;
    private Counter awaitedMetadata;
    private Counter missingMetadata;
    private Counter podExcludedLines;

    public MetadataJoin(Duration wait, int maxAwaitingPerNode, boolean labels, boolean annotations) {
        this.waitMillis = wait.toMillis();
        this.maxAwaitingPerNode = maxAwaitingPerNode;
        this.labels = labels;
        this.annotations = annotations;
    }

    public void open(RuntimeContext state, MetricGroup metrics) {
        pods = state.getMapState(new MapStateDescriptor<>("pods", Types.STRING, Types.STRING));
        awaiting = state.getMapState(
                new MapStateDescriptor<>("awaiting-metadata", Types.LONG, TypeInformation.of(AwaitingEvent.class)));
        awaitingByContainer =
                state.getMapState(new MapStateDescriptor<>("awaiting-by-container", Types.STRING, Types.INT));
        awaitingNextId = state.getState(new ValueStateDescriptor<>("awaiting-next-id", Types.LONG));
        awaitingCount = state.getState(new ValueStateDescriptor<>("awaiting-count", Types.INT));
        podCache = new HashMap<>();
        views = new PerKey<>(View::new);
        podVersion = 0;
        podRecords = metrics.counter("podRecords");
        awaitedMetadata = metrics.counter("awaitedMetadata");
        missingMetadata = metrics.counter("missingMetadata");
        podExcludedLines = metrics.counter("podExcludedLines");
    }

    /** Bumped by every pod record: what was derived from pod metadata before is stale after it. */
    public long podVersion() {
        return podVersion;
    }

    /** The kubernetes block of a container, with the labels and annotations as configured. */
    public String kubernetesJson(PodMetadata pod, PodRecord.Container container) {
        return pod.kubernetesJson(container, labels, annotations);
    }

    /** The same for a container entry made for one file (not one of the pod record's own): written each time. */
    public String kubernetesJsonUncached(PodMetadata pod, PodRecord.Container container) {
        return EventJson.write(pod.kubernetesBlock(container, labels, annotations));
    }

    /** A record of an excluded pod was left out. */
    public void excludedLine() {
        podExcludedLines.inc();
    }

    /** The pod's metadata from keyed state, parsed once per pod and change; null when it is not known. */
    public PodMetadata pod(StageContext ctx, String namespace, String name) throws Exception {
        return podByKey(ctx, PodMetadata.key(namespace, name));
    }

    private PodMetadata podByKey(StageContext ctx, String key) throws Exception {
        String cacheKey = ctx.key() + "|" + key;
        PodMetadata cached = podCache.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        View view = views.of(ctx.key());
        if (view.podsKnownAbsent.contains(key)) {
            return null;
        }
        String json = pods.get(key);
        if (json == null) {
            view.podsKnownAbsent.add(key);
            return null;
        }
        PodMetadata parsed = PodMetadata.parse(json);
        if (podCache.size() > MAX_CACHED_PODS) {
            podCache.clear();
        }
        podCache.put(cacheKey, parsed);
        return parsed;
    }

    /** A pod metadata record, counted and read; an IOException when it is not a pod record. */
    public PodMetadata read(SpoolRecord record) throws IOException {
        podRecords.inc();
        return PodMetadata.parse(record.data);
    }

    /** A pod record: the pod is kept (or, for a delete, forgotten) and the records waiting for it leave. */
    public void onPod(StageContext ctx, PodMetadata pod, Released out) throws Exception {
        if (pod.isDelete()) {
            // the collector announces a delete only after a grace period, after the pod's last lines
            pods.remove(pod.key());
        } else {
            pods.put(pod.key(), pod.toJson());
        }
        podCache.remove(ctx.key() + "|" + pod.key());
        podVersion++;
        views.of(ctx.key()).podsKnownAbsent.remove(pod.key());
        release(ctx, pod.key() + "/", false, out);
    }

    /** Whether records of the container wait already: a later one must queue behind them. */
    public boolean queued(StageContext ctx, String containerKey) throws Exception {
        return awaiting(ctx) != 0 && awaitingByContainer.contains(containerKey);
    }

    /**
     * Parks an application record until its pod's metadata arrives. False (counted as missing metadata) when the
     * wait is off or the node's budget of parked records is spent: the record leaves now with the file name's
     * fields.
     */
    public boolean park(
            StageContext ctx,
            String containerKey,
            String cluster,
            String node,
            String path,
            String fileId,
            LineRecord record,
            long time,
            long offset)
            throws Exception {
        int parked = awaiting(ctx);
        if (waitMillis <= 0 || parked >= maxAwaitingPerNode) {
            missingMetadata.inc();
            return false;
        }
        setAwaiting(ctx, parked + 1);
        AwaitingEvent e = new AwaitingEvent();
        e.containerKey = containerKey;
        e.cluster = cluster;
        e.node = node;
        e.path = path;
        e.fileId = fileId;
        e.record = record.toJson();
        e.time = time;
        e.offset = offset;
        Integer already = awaitingByContainer.get(containerKey);
        // later lines of a container that already waits join the queue, so their order is kept
        e.deadline = ctx.now() + waitMillis;
        long id = awaitingNextId.value() == null ? 0L : awaitingNextId.value();
        awaiting.put(id, e);
        awaitingNextId.update(id + 1);
        awaitingByContainer.put(containerKey, already == null ? 1 : already + 1);
        awaitedMetadata.inc();
        ctx.scheduleAt(e.deadline);
        ctx.scheduleEndOfInput();
        return true;
    }

    /** The timer: records whose wait ran out leave with the file name's fields. */
    public void releaseExpired(StageContext ctx, Released out) throws Exception {
        release(ctx, null, true, out);
    }

    /** End of input: every parked record leaves. */
    public void releaseAll(StageContext ctx, Released out) throws Exception {
        release(ctx, null, false, out);
    }

    /**
     * Sends parked records on, in arrival order: those of {@code containerPrefix} whose metadata is now
     * known, and (when {@code expiredOnly}) every record whose wait ran out — with the file name's fields.
     */
    private void release(StageContext ctx, String containerPrefix, boolean expiredOnly, Released out) throws Exception {
        if (awaiting(ctx) == 0) {
            return;
        }
        long now = ctx.now();
        TreeMap<Long, AwaitingEvent> ready = new TreeMap<>();
        for (Map.Entry<Long, AwaitingEvent> entry : awaiting.entries()) {
            AwaitingEvent e = entry.getValue();
            boolean match = containerPrefix != null && e.containerKey.startsWith(containerPrefix);
            long deadline = ctx.sinceStart(e.deadline, waitMillis);
            boolean expired = expiredOnly && deadline <= now;
            if (expiredOnly && !expired && !match) {
                ctx.scheduleAt(deadline);
            }
            if (match || expired || containerPrefix == null && !expiredOnly) {
                ready.put(entry.getKey(), e);
            }
        }
        Map<String, Boolean> blocked = new HashMap<>();
        for (Map.Entry<Long, AwaitingEvent> entry : ready.entrySet()) {
            AwaitingEvent e = entry.getValue();
            if (blocked.containsKey(e.containerKey)) {
                continue; // keep this container's order: its earlier line still waits
            }
            // namespace/pod/container id
            int podEnd = e.containerKey.lastIndexOf('/');
            PodMetadata pod = podByKey(ctx, e.containerKey.substring(0, podEnd));
            PodRecord.Container container = pod == null ? null : pod.container(e.containerKey.substring(podEnd + 1));
            boolean giveUp = expiredOnly && ctx.sinceStart(e.deadline, waitMillis) <= now
                    || containerPrefix == null && !expiredOnly;
            if (container == null && !giveUp) {
                blocked.put(e.containerKey, true);
                continue;
            }
            awaiting.remove(entry.getKey());
            setAwaiting(ctx, Math.max(0, awaiting(ctx) - 1));
            int left = awaitingByContainer.get(e.containerKey) - 1;
            if (left == 0) {
                awaitingByContainer.remove(e.containerKey);
            } else {
                awaitingByContainer.put(e.containerKey, left);
            }
            LineRecord record = LineRecord.parse(e.record);
            if (pod != null && pod.excluded()) {
                podExcludedLines.inc();
                continue;
            }
            String kubernetes = null;
            if (container != null) {
                kubernetes = kubernetesJson(pod, container);
            } else {
                missingMetadata.inc();
            }
            out.emit(e, record, kubernetes);
        }
    }

    private int awaiting(StageContext ctx) throws Exception {
        View view = views.of(ctx.key());
        if (view.awaiting < 0) {
            Integer stored = awaitingCount.value();
            view.awaiting = stored == null ? 0 : stored;
        }
        return view.awaiting;
    }

    private void setAwaiting(StageContext ctx, int count) throws Exception {
        awaitingCount.update(count);
        views.of(ctx.key()).awaiting = count;
    }

    /** What this instance knows of one key's state: the parked count (-1: not read yet), pods known absent. */
    private static final class View {
        int awaiting = -1;
        final Set<String> podsKnownAbsent = new HashSet<>();
    }
}
