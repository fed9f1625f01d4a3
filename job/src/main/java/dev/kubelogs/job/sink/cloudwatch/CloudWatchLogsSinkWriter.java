package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers events per (log group, log stream) between checkpoints, each appended on arrival to its stream's
 * {@link StreamBuffer}: the bytes of the committables it will be cut into, not an object per event.
 *
 * <p><b>EXACTLY_ONCE</b> (default): nothing is sent from here. {@link #prepareCommit()} (at every checkpoint
 * barrier and at end of input, right after {@link #flush(boolean)}) cuts each stream's buffer into batches
 * ({@link BatchCutter#cut}) and hands them out as {@link CloudWatchLogsCommittable}s, which go into checkpoint
 * state and are written by the {@link CloudWatchLogsCommitter} once the checkpoint is complete. No writer state
 * is needed: events buffered after the last checkpoint are replayed by the source after a failover.
 *
 * <p><b>AT_LEAST_ONCE</b>: the writer puts a stream's buffer itself as soon as it holds a full batch, every
 * {@code atLeastOnceMaxBufferTime}, and on every {@link #flush(boolean)} (checkpoint or end of input), so a
 * completed checkpoint means every earlier event is stored. After a failover the events since the last
 * checkpoint are replayed and may be stored twice. {@link #prepareCommit()} returns nothing.
 *
 * <p><b>Single writer per stream.</b> Read-back after an ambiguous failure is only unambiguous if nobody
 * else writes the same stream. The job must route all events of one stream to one subtask, e.g. by keying
 * the input with {@link CloudWatchLogsSink#streamKeySelector()}, or chain the sink to a keyed stage whose key
 * the events carry ({@link CloudWatchLogsSink#ownerKeySelector()}). With {@code streamOwnershipCheck} on
 * (default), the writer checks that each stream arrives at the subtask that Flink's key-group hashing of its
 * owner key ({@code streamOwner}, by default {@link CloudWatchLogsSink#streamKey}) assigns it, and fails the job
 * otherwise.
 */
public final class CloudWatchLogsSinkWriter
        implements CommittingSinkWriter<CloudWatchEvent, CloudWatchLogsCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchLogsSinkWriter.class);

    private final CloudWatchLogsSinkConfig config;
    private final BatchCutter cutter;
    private final int subtask;
    private final int parallelism;
    private final int maxParallelism;
    private final long writerEpoch;
    private final SinkWriterMetricGroup metricGroup;
    private final SinkMetrics metrics;
    /** Counts buffered events as waiting; in AT_LEAST_ONCE also the state of the writer's own puts. */
    private final DeliveryHealth health;

    private final ProcessingTimeService timeService;
    private final boolean exactlyOnce;
    /** EXACTLY_ONCE: what this subtask holds, shared with its committer, and the wait when it is over the limit. */
    private final HeldBytes held;

    private final HeldBytesGate gate;

    /** Streams with buffered events, in order of their first event since the last cut. */
    private final Map<Target, StreamBuffer> buffers = new LinkedHashMap<>();
    /** The arrays the buffers give back at a cut, for the next interval's buffers. */
    private final ChunkPool pool = new ChunkPool();
    /** Every stream seen (group → stream → target): names and ownership are checked once per stream, not per event. */
    private final Map<String, Map<String, Target>> targets = new HashMap<>();

    private int targetCount;
    private static final int MAX_REMEMBERED_TARGETS = 100_000;
    private long sequence;

    private CloudWatchLogsClientConfig.Client client;
    private DeadLetterWriter deadLetter;
    private BatchDeliverer deliverer;
    private StreamDispatcher dispatcher;
    private boolean timerRegistered;

    /** A (group, stream) seen by this writer, with the outcome of its one-time checks. Identity equality. */
    private static final class Target {
        final String group;
        final String stream;
        /** Why CloudWatch would refuse the names, or null. */
        final String problem;
        /** The source id of this stream's last event: consecutive events mostly share it, and then the instance. */
        String lastSourceId;

        Target(String group, String stream, String problem) {
            this.group = group;
            this.stream = stream;
            this.problem = problem;
        }
    }

    CloudWatchLogsSinkWriter(CloudWatchLogsSinkConfig config, WriterInitContext context) {
        this(
                config,
                context.getTaskInfo(),
                context.getRestoredCheckpointId().orElse(-1L),
                context.metricGroup(),
                context.getProcessingTimeService(),
                context::getMailboxExecutor);
    }

    /**
     * @param restoredEpoch the checkpoint id the job was restored from, -1 for a fresh start
     * @param mailbox the task's mailbox, where the writer waits for commits ({@link HeldBytesGate})
     */
    CloudWatchLogsSinkWriter(
            CloudWatchLogsSinkConfig config,
            TaskInfo task,
            long restoredEpoch,
            SinkWriterMetricGroup metricGroup,
            ProcessingTimeService timeService,
            Supplier<MailboxExecutor> mailbox) {
        this.config = config;
        this.cutter = config.cutter;
        this.subtask = task.getIndexOfThisSubtask();
        this.parallelism = task.getNumberOfParallelSubtasks();
        this.maxParallelism = task.getMaxNumberOfParallelSubtasks();
        this.writerEpoch = restoredEpoch;
        this.metricGroup = metricGroup;
        this.metrics = new SinkMetrics(metricGroup);
        this.health = new DeliveryHealth("CloudWatch Logs writer " + subtask).publish();
        metrics.track(health);
        this.timeService = timeService;
        this.exactlyOnce = config.deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE;
        this.held = HeldBytes.writer(config.sinkId, task);
        metrics.track(held);
        this.gate =
                new HeldBytesGate(held, config.maxHeldBytes, config.heldBytesMaxWait, timeService, mailbox, metrics);
        LOG.info("CloudWatch Logs sink writer {}/{} (epoch {}) with {}", subtask, parallelism, writerEpoch, config);
    }

    @Override
    public void write(CloudWatchEvent element, Context context) throws IOException, InterruptedException {
        Target target = target(element);
        String sourceId = element.sourceId;
        if (sourceId != null && sourceId.equals(target.lastSourceId)) {
            sourceId = target.lastSourceId;
        } else {
            target.lastSourceId = sourceId;
        }
        StreamBuffer b;
        long bytes;
        if (cutter.takesAsWritten(element, target.problem)) {
            b = buffer(target);
            bytes = b.add(element.timestamp, element.messageUtf8, sourceId, element.sourceOffset);
        } else {
            BatchCutter.Prepared p = cutter.prepare(element, target.problem, sourceId);
            if (p.deadLetter != null) {
                deadLetter(p, element);
            }
            if (p.truncated) {
                metrics.eventsTruncated.inc();
            }
            if (p.event == null) {
                return;
            }
            b = buffer(target);
            bytes = b.add(p.event.timestamp(), p.event.utf8(), p.event.sourceId(), p.event.sourceOffset());
        }
        health.waiting(1);
        if (exactlyOnce) {
            held.buffered(bytes);
            gate.awaitRoom();
        } else {
            if (b.events() >= BatchCutter.MAX_EVENTS_PER_BATCH || b.bytes() >= BatchCutter.MAX_BATCH_BYTES) {
                buffers.remove(target);
                putDirectly(List.of(b));
            } else if (!timerRegistered && config.atLeastOnceMaxBufferTime != null) {
                timerRegistered = true;
                timeService.registerTimer(
                        timeService.getCurrentProcessingTime() + config.atLeastOnceMaxBufferTime.toMillis(), time -> {
                            timerRegistered = false;
                            flushAllDirectly();
                        });
            }
        }
    }

    /**
     * A bundle's events (one log stream's, in order), each as {@link #write(CloudWatchEvent, Context)} takes it, with
     * the stream's target and buffer looked up once per bundle and its events counted as waiting and its bytes as held
     * once per run of events taken as written (then the held-bytes gate is checked: the subtask may go over its limit
     * by one bundle). Why: the metrics half's bundles carry a few hundred bytes an event, and an event object, three
     * map look-ups and two atomic adds per event were a good part of the writer's time. An event that is not taken as
     * written (empty, oversize, a negative timestamp, an invalid stream) goes through {@code write} as an event of its
     * own; AT_LEAST_ONCE writes every event that way.
     */
    void write(CloudWatchEventBundle bundle, Context context) throws IOException, InterruptedException {
        int n = bundle.size();
        if (n == 0) {
            return;
        }
        Target target = knownTarget(bundle.logGroup(), bundle.logStream());
        if (!exactlyOnce || target == null || target.problem != null) {
            // the first bundle of a stream (its checks), an invalid stream, or AT_LEAST_ONCE's puts per event
            for (int i = 0; i < n; i++) {
                write(bundle.event(i), context);
            }
            return;
        }
        StreamBuffer b = buffer(target);
        int taken = 0;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            long timestamp = bundle.timestamp(i);
            byte[] message = bundle.messageUtf8(i);
            if (cutter.takesAsWritten(timestamp, message)) {
                bytes += b.add(timestamp, message, null, -1L);
                taken++;
                continue;
            }
            took(target, taken, bytes);
            taken = 0;
            bytes = 0;
            write(bundle.event(i), context);
            b = buffer(target); // the same one, unless the wait for room let a cut in
        }
        took(target, taken, bytes);
    }

    /** Counts {@code events} of a bundle taken as written, of {@code bytes} batch bytes, as {@code write} does each. */
    private void took(Target target, int events, long bytes) throws InterruptedException {
        if (events == 0) {
            return;
        }
        target.lastSourceId = null; // a bundle's events have no source
        health.waiting(events);
        held.buffered(bytes);
        gate.awaitRoom();
    }

    private StreamBuffer buffer(Target target) {
        StreamBuffer b = buffers.get(target);
        if (b == null) {
            b = new StreamBuffer(target.group, target.stream, pool);
            buffers.put(target, b);
        }
        return b;
    }

    /** The event's stream's target; names and ownership are checked the first time a stream is seen. */
    private Target target(CloudWatchEvent event) {
        String group = event.logGroup;
        String stream = event.logStream;
        Target t = knownTarget(group, stream);
        if (t != null) {
            return t;
        }
        String problem = BatchCutter.targetProblem(group, stream);
        if (problem == null) {
            checkOwnership(event);
        }
        if (targetCount >= MAX_REMEMBERED_TARGETS) {
            // bound the memory of streams seen: forget the idle ones (checked again when they come back), keep
            // the buffered ones so a stream never has two buffers
            targets.clear();
            targetCount = 0;
            for (Target buffered : buffers.keySet()) {
                remember(buffered);
            }
        }
        t = new Target(group, stream, problem);
        remember(t);
        return t;
    }

    /** The target of a stream seen before (and not forgotten since), or null. */
    private Target knownTarget(String group, String stream) {
        Map<String, Target> streams = targets.get(group);
        return streams == null ? null : streams.get(stream);
    }

    private void remember(Target t) {
        targets.computeIfAbsent(t.group, g -> new HashMap<>()).put(t.stream, t);
        targetCount++;
    }

    private void checkOwnership(CloudWatchEvent event) {
        if (!config.streamOwnershipCheck || parallelism <= 1) {
            return;
        }
        String stream = event.logGroup + "/" + event.logStream;
        String key;
        try {
            key = config.streamOwner.getKey(event);
        } catch (Exception e) {
            throw new IllegalStateException("the owner key of log stream " + stream + " could not be read", e);
        }
        if (key == null) {
            throw new IllegalStateException("log stream " + stream + " arrived at sink subtask " + subtask
                    + " without an owner key (" + config.streamOwner.getClass().getSimpleName() + "): the sink needs "
                    + "a single writer per log stream; chain it to the keyed stage that sets CloudWatchEvent.ownerKey");
        }
        int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism);
        if (owner != subtask) {
            throw new IllegalStateException("log stream " + stream + " arrived at sink subtask " + subtask
                    + " but belongs to subtask " + owner + " (owner key " + key.replace('\n', '/') + " by "
                    + config.streamOwner.getClass().getSimpleName() + "): the sink needs a single writer per log "
                    + "stream, key its input by that owner key (CloudWatchLogsSink.streamKeySelector() by "
                    + "default), or turn streamOwnershipCheck off if you route streams to subtasks some other "
                    + "single-writer way");
        }
    }

    private void deadLetter(BatchCutter.Prepared p, CloudWatchEvent e) throws IOException {
        DeadLetterRecord r = new DeadLetterRecord(
                p.deadLetter,
                p.detail,
                e.logGroup,
                e.logStream,
                e.timestamp,
                p.originalMessage,
                e.sourceId,
                e.sourceOffset);
        try {
            deadLetterWriter().write(List.of(r));
        } catch (IOException | RuntimeException ex) {
            throw new IOException("could not dead-letter " + r, ex);
        }
        metrics.deadLettered.inc();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        if (!exactlyOnce) {
            flushAllDirectly();
        }
    }

    private void flushAllDirectly() throws IOException, InterruptedException {
        if (buffers.isEmpty()) {
            return;
        }
        List<StreamBuffer> all = new ArrayList<>(buffers.values());
        buffers.clear();
        pool.dropUnused();
        putDirectly(all);
    }

    /** AT_LEAST_ONCE: cut and put now; any final failure fails the job. */
    private void putDirectly(List<StreamBuffer> streams) throws IOException, InterruptedException {
        List<CloudWatchLogsCommittable> batches = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (StreamBuffer b : streams) {
            List<CloudWatchLogsCommittable> cut = b.cut(writerEpoch, subtask, sequence, now);
            sequence += cut.size();
            batches.addAll(cut);
        }
        List<StreamDispatcher.Outcome<BatchDeliverer.Result>> outcomes = dispatcher()
                .run(
                        batches,
                        c -> CloudWatchLogsSink.streamKey(c.logGroup(), c.logStream()),
                        c -> deliverer().deliver(c.logGroup(), c.logStream(), c.arena(), false, 0));
        for (int i = 0; i < outcomes.size(); i++) {
            StreamDispatcher.Outcome<BatchDeliverer.Result> o = outcomes.get(i);
            CloudWatchLogsCommittable c = batches.get(i);
            health.waiting(-c.eventCount());
            if (o.failure instanceof CloudWatchLogsFatalException) {
                throw (CloudWatchLogsFatalException) o.failure; // already logged as one line; no restart
            }
            if (o.failure != null) {
                throw new IOException("AT_LEAST_ONCE put of " + c + " failed", o.failure);
            }
            if (!o.skipped) {
                metricGroup.getNumRecordsSendCounter().inc(c.eventCount());
                metricGroup.getNumBytesSendCounter().inc(c.messageBytes());
            }
        }
    }

    @Override
    public Collection<CloudWatchLogsCommittable> prepareCommit() {
        if (!exactlyOnce || buffers.isEmpty()) {
            return Collections.emptyList();
        }
        List<CloudWatchLogsCommittable> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        pool.dropUnused();
        for (StreamBuffer b : buffers.values()) {
            health.waiting(-b.events());
            List<CloudWatchLogsCommittable> cut = b.cut(writerEpoch, subtask, sequence, now);
            sequence += cut.size();
            out.addAll(cut);
        }
        buffers.clear();
        held.cutAll();
        return out;
    }

    private CloudWatchLogsClientConfig.Client client() {
        if (client == null) {
            client = config.client.createClient();
        }
        return client;
    }

    private DeadLetterWriter deadLetterWriter() throws IOException {
        if (deadLetter == null) {
            deadLetter = DeadLetterWriter.open(
                    config.deadLetter,
                    "writer",
                    subtask,
                    config,
                    config.deadLetter.usesCloudWatch() ? client().api() : null,
                    metricGroup.addGroup(SinkMetrics.GROUP));
        }
        return deadLetter;
    }

    private BatchDeliverer deliverer() throws IOException {
        if (deliverer == null) {
            CloudWatchLogsClientConfig.Client c = client();
            deliverer = new BatchDeliverer(c.api(), c.leanPuts(), config, deadLetterWriter(), metrics, health);
        }
        return deliverer;
    }

    private StreamDispatcher dispatcher() {
        if (dispatcher == null) {
            dispatcher = new StreamDispatcher(config.maxConcurrentStreams, "cwlogs-writer-" + subtask);
        }
        return dispatcher;
    }

    /** Events buffered now (all streams); for tests and metrics. */
    int bufferedEvents() {
        int n = 0;
        for (StreamBuffer b : buffers.values()) {
            n += b.events();
        }
        return n;
    }

    SinkMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable c : new AutoCloseable[] {health, dispatcher, deadLetter, client, held}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (!buffers.isEmpty() && exactlyOnce) {
            LOG.info(
                    "writer {} closed with {} buffered events not yet checkpointed (they are replayed from the source after a restart)",
                    subtask,
                    bufferedEvents());
        }
        if (first != null) {
            throw first;
        }
    }
}
