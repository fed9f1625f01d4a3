package dev.kubelogs.job.sink.cloudwatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each committed batch into CloudWatch Logs exactly once (see {@link BatchDeliverer} for one batch).
 *
 * <p>Per {@link #commit} call, requests are grouped by log stream: one stream's batches are written in order,
 * one after the other; different streams in parallel (up to {@code maxConcurrentStreams}). A batch is read
 * back before anything is written when
 * <ul>
 *   <li>it was restored from a checkpoint after a failover: its {@code writerEpoch} differs from the
 *       checkpoint id this committer was restored from (see {@link CloudWatchLogsCommittable}); the read-back
 *       waits until the settle delay has passed since this committer started;
 *   <li>Flink retries it ({@code getNumberOfRetries() > 0});
 *   <li>an attempt of it failed ambiguously (timeout, reset, 5xx) inside this call.
 * </ul>
 * Outcomes: written → left as committed; all already there → {@code signalAlreadyCommitted()}; retry budget
 * spent or another error → {@code signalFailedWithUnknownReason} (the {@link CloudWatchLogsCommitterOperator} fails the
 * task, the job restarts from the last checkpoint and the batch is then read back, so nothing is dropped or
 * duplicated); a failure retrying cannot heal → the {@link CloudWatchLogsFatalException} is thrown as it is (the job
 * ends without restarts); later batches of a failed stream → {@code retryLater()} (not marked committed).
 *
 * <p>It runs on the committer operator's commit thread, one {@link #commit} call at a time.
 *
 * <p>Its {@link DeliveryHealth} (metrics {@code millisSinceLastSuccessfulPut}, {@code eventsWaiting},
 * {@code failedAttempts}, {@code lastErrorKind}; {@link DeliveryStatus#ofThisJvm()}) counts the events of the
 * commit call in progress as waiting until their batch is stored.
 */
public final class CloudWatchLogsCommitter implements Committer<CloudWatchLogsCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchLogsCommitter.class);

    private final CloudWatchLogsSinkConfig config;
    private final long restoredEpoch;
    private final long startedAtMillis;
    private final int subtask;
    private final SinkMetrics metrics;
    private final CloudWatchLogsClientConfig.Client client;
    private final DeadLetterWriter deadLetter;
    private final BatchDeliverer deliverer;
    private final StreamDispatcher dispatcher;
    private final DeliveryHealth health;
    /** Shared with this subtask's writer: the committables it cut leave it once stored. */
    private final HeldBytes held;
    /** Per stream, within one commit call: events stored by the batches committed before (see BatchDeliverer). */
    private final Map<String, Ledger> ledgers = new ConcurrentHashMap<>();

    CloudWatchLogsCommitter(CloudWatchLogsSinkConfig config, CommitterInitContext context) throws IOException {
        this(
                config,
                context.getRestoredCheckpointId().orElse(-1L),
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.metricGroup(),
                HeldBytes.committer(config.sinkId, context.getTaskInfo()));
    }

    /**
     * @param restoredEpoch the checkpoint id the job was restored from, -1 for a fresh start
     */
    CloudWatchLogsCommitter(CloudWatchLogsSinkConfig config, long restoredEpoch, int subtask, MetricGroup metricGroup)
            throws IOException {
        this(config, restoredEpoch, subtask, metricGroup, HeldBytes.unshared());
    }

    /** With {@code held} shared with the writer of the same subtask (see {@link HeldBytes#committer}). */
    CloudWatchLogsCommitter(
            CloudWatchLogsSinkConfig config, long restoredEpoch, int subtask, MetricGroup metricGroup, HeldBytes held)
            throws IOException {
        this.config = config;
        this.held = held;
        this.restoredEpoch = restoredEpoch;
        this.startedAtMillis = System.currentTimeMillis();
        this.subtask = subtask;
        this.metrics = new SinkMetrics(metricGroup);
        this.health = new DeliveryHealth("CloudWatch Logs committer " + subtask);
        metrics.track(health);
        this.client = config.client.createClient();
        this.deadLetter = DeadLetterWriter.open(
                config.deadLetter, "committer", subtask, config, client.api(), metricGroup.addGroup(SinkMetrics.GROUP));
        this.deliverer = new BatchDeliverer(client.api(), client.leanPuts(), config, deadLetter, metrics, health);
        this.dispatcher = new StreamDispatcher(config.maxConcurrentStreams, "cwlogs-committer-" + subtask);
        health.publish(); // last: a constructor that throws leaves nothing published
        LOG.info("CloudWatch Logs committer {} started (restored epoch {})", subtask, restoredEpoch);
    }

    @Override
    public void commit(Collection<CommitRequest<CloudWatchLogsCommittable>> requests)
            throws IOException, InterruptedException {
        if (requests.isEmpty()) {
            return;
        }
        List<CommitRequest<CloudWatchLogsCommittable>> list = new ArrayList<>(requests);
        long waiting = 0;
        for (CommitRequest<CloudWatchLogsCommittable> r : list) {
            waiting += r.getCommittable().eventCount();
        }
        health.waiting(waiting);
        ledgers.clear();
        List<StreamDispatcher.Outcome<BatchDeliverer.Result>> outcomes;
        try {
            outcomes = dispatcher.run(
                    list,
                    r -> CloudWatchLogsSink.streamKey(
                            r.getCommittable().logGroup(), r.getCommittable().logStream()),
                    this::commitOne);
        } finally {
            ledgers.clear();
        }
        CloudWatchLogsFatalException fatal = null;
        for (int i = 0; i < list.size(); i++) {
            StreamDispatcher.Outcome<BatchDeliverer.Result> o = outcomes.get(i);
            if (o.failure != null || o.skipped) {
                // handed back to Flink (retried later or after a restart): no longer waiting here
                health.waiting(-list.get(i).getCommittable().eventCount());
            }
            if (fatal == null && o.failure != null) {
                // also behind a wrapper, e.g. a dead-letter group the role may not write to
                fatal = ExceptionUtils.findThrowable(o.failure, CloudWatchLogsFatalException.class)
                        .orElse(null);
            }
        }
        if (fatal != null) {
            throw fatal; // already logged as one line; ends the job without restarts
        }
        for (int i = 0; i < list.size(); i++) {
            CommitRequest<CloudWatchLogsCommittable> r = list.get(i);
            StreamDispatcher.Outcome<BatchDeliverer.Result> o = outcomes.get(i);
            CloudWatchLogsCommittable c = r.getCommittable();
            if (o.skipped) {
                r.retryLater();
            } else if (o.failure != null) {
                LOG.error(
                        "commit of {} failed; failing the job (it will be read back after the restart)", c, o.failure);
                r.signalFailedWithUnknownReason(o.failure);
            } else {
                if (c.writerEpoch() == restoredEpoch && c.subtaskIndex() == subtask) {
                    held.stored(c.batchBytes()); // cut by this subtask's writer in this run
                }
                metrics.commitLatency(Math.max(0, System.currentTimeMillis() - c.createdAtMillis()));
                if (o.value == BatchDeliverer.Result.ALREADY_PRESENT) {
                    r.signalAlreadyCommitted();
                }
            }
        }
    }

    private BatchDeliverer.Result commitOne(CommitRequest<CloudWatchLogsCommittable> r) throws Exception {
        CloudWatchLogsCommittable c = r.getCommittable();
        boolean restored = c.writerEpoch() != restoredEpoch;
        boolean readBack = restored || r.getNumberOfRetries() > 0;
        if (restored && c.writerEpoch() > restoredEpoch) {
            LOG.warn(
                    "committable {} has writer epoch {} newer than this committer's {}; reading back to be safe",
                    c,
                    c.writerEpoch(),
                    restoredEpoch);
        }
        long notBefore = restored ? startedAtMillis + config.readBackSettleDelay.toMillis() : 0;
        if (readBack && !restored) {
            notBefore = System.currentTimeMillis(); // Flink retry: the previous attempt's own wait already passed
        }
        // one ledger per stream and commit call: used only by that stream's (single) worker thread
        Ledger ledger =
                ledgers.computeIfAbsent(CloudWatchLogsSink.streamKey(c.logGroup(), c.logStream()), k -> new Ledger());
        BatchDeliverer.Result result =
                deliverer.deliver(c.logGroup(), c.logStream(), c.arena(), readBack, notBefore, ledger);
        health.waiting(-c.eventCount());
        return result;
    }

    SinkMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable c : new AutoCloseable[] {health, dispatcher, deadLetter, client, held}) {
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
        if (first != null) {
            throw first;
        }
    }
}
