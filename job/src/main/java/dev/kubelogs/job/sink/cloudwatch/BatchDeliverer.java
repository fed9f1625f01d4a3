package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier.Kind;
import dev.kubelogs.job.sink.cloudwatch.lean.LeanPutLogEvents;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;

/**
 * Puts one batch into one log stream so that each of its events is stored exactly once (given a single
 * writer per stream), or throws.
 *
 * <ol>
 *   <li>If asked to ({@code readBackFirst}: a restored or retried committable) or after an ambiguous failure
 *       (timeout, connection reset, 5xx), wait until the settle delay has passed, read the stream over
 *       {@code [minTs, maxTs + 1)} with GetLogEvents (startFromHead, paging until the token repeats) and
 *       compute the <i>missing</i> events: the batch minus the read-back, as a multiset of exact
 *       {@code (timestamp, message)} pairs. Nothing missing: done.
 *   <li>PutLogEvents once with the missing (initially: all) events; the client has SDK retries off.
 *   <li>Success: events named by {@code rejectedLogEventsInfo} (too old {@code [0, tooOldEnd)}, expired
 *       {@code [0, expiredEnd)}, too new {@code [tooNewStart, n)}) are final: counted and dead-lettered.
 *   <li>ResourceNotFound: create the group (plus retention, if the sink created it) and/or the stream
 *       (ResourceAlreadyExists is fine), then put again — nothing was stored.
 *   <li>Throttling: backoff, put again (nothing was stored). 5xx / network: backoff, then step 1.
 *   <li>Invalid request: dead-letter the batch or fail, by {@link InvalidBatchPolicy}. Anything else fails.
 * </ol>
 *
 * The steps are their own classes: {@link PutAttempt} (one put), {@link ReadBack} with its {@link Ledger},
 * {@link ResourceCreator}, {@link RetryPolicy} (the classifier's fatal chain and the budget) and
 * {@link BatchDeadLetters}; this class is the loop that composes them.
 *
 * <p>All retries of one batch share one budget ({@link BackoffConfig}: attempts and total time); when it is spent
 * a {@link DeliveryException} is thrown and the job must fail — events are never dropped. A failure retrying
 * cannot heal ({@link CloudWatchLogsExceptionClassifier#unhealable}: permissions, credentials, KMS, a host that
 * never resolved, a refused name) is logged as one ERROR line and thrown at once as a
 * {@link CloudWatchLogsFatalException}, which ends the job without restarts. Failures that may heal are reported
 * to the {@link DeliveryHealth}, which logs when delivery starts failing and when it works again, not per attempt.
 *
 * <p>Residual risk of the read-back: an event that becomes visible to GetLogEvents only after the settle delay
 * is written again (duplicate); a {@code (timestamp, message)} pair that also occurs in another, already
 * committed batch of the same stream inside this batch's time range is counted as present — unless that batch
 * was delivered earlier with the same ledger (the committer keeps one per stream and commit call). Thread-safe for
 * different streams; one stream must only be delivered to by one thread at a time.
 */
final class BatchDeliverer {
    private static final Logger LOG = LoggerFactory.getLogger(BatchDeliverer.class);
    private static final int MAX_RESOURCE_CREATIONS = 5;

    /** What happened to a batch. */
    enum Result {
        /** Events were put in this call (all, or the ones found missing). */
        WRITTEN,
        /** The read-back found every event already stored (or dead-lettered); nothing was put. */
        ALREADY_PRESENT
    }

    private final CloudWatchLogsSinkConfig config;
    private final SinkMetrics metrics;
    private final DeliveryHealth health;
    private final RetryPolicy policy;
    private final PutAttempt put;
    private final ReadBack readBack;
    private final ResourceCreator resources;
    private final BatchDeadLetters deadLetters;

    BatchDeliverer(
            CloudWatchLogsAsyncClient client,
            CloudWatchLogsSinkConfig config,
            DeadLetterWriter deadLetter,
            SinkMetrics metrics,
            DeliveryHealth health) {
        this(client, null, config, deadLetter, metrics, health);
    }

    /** With {@code leanPuts} (null: none), puts go through it when the config asks for lean puts. */
    BatchDeliverer(
            CloudWatchLogsAsyncClient client,
            LeanPutLogEvents leanPuts,
            CloudWatchLogsSinkConfig config,
            DeadLetterWriter deadLetter,
            SinkMetrics metrics,
            DeliveryHealth health) {
        if (config.fastRequestBodies
                && client.serviceClientConfiguration().overrideConfiguration().executionInterceptors().stream()
                        .noneMatch(i -> i instanceof PutLogEventsBody.Interceptor)) {
            // without it a put would go out with no events at all
            throw new IllegalArgumentException("the CloudWatch Logs client needs a PutLogEventsBody.Interceptor; "
                    + "build it with CloudWatchLogsClientConfig.createClient()");
        }
        this.config = config;
        this.metrics = metrics;
        this.health = health;
        this.policy = new RetryPolicy(config, metrics, health);
        this.put = new PutAttempt(client, config.leanPuts ? leanPuts : null, config.fastRequestBodies, policy, metrics);
        this.readBack = new ReadBack(client, policy, metrics);
        this.resources = new ResourceCreator(client, config, policy, metrics);
        this.deadLetters = new BatchDeadLetters(deadLetter, metrics);
    }

    /**
     * Delivers {@code events} (sorted by timestamp, within all batch limits) to {@code group/stream}.
     *
     * @param readBackFirst read what is already stored before writing (restored or retried batch)
     * @param readBackNotBeforeMillis wall-clock time before which a read-back must not start (settle delay)
     */
    Result deliver(
            String group, String stream, List<SinkEvent> events, boolean readBackFirst, long readBackNotBeforeMillis)
            throws DeliveryException, InterruptedException {
        return deliver(group, stream, EventArena.of(events), readBackFirst, readBackNotBeforeMillis, null);
    }

    /** As {@link #deliver(String, String, List, boolean, long)}, the events in an arena. */
    Result deliver(String group, String stream, EventArena events, boolean readBackFirst, long readBackNotBeforeMillis)
            throws DeliveryException, InterruptedException {
        return deliver(group, stream, events, readBackFirst, readBackNotBeforeMillis, null);
    }

    /** As {@link #deliver(String, String, EventArena, boolean, long, Ledger)}, the events in a list (tests). */
    Result deliver(
            String group,
            String stream,
            List<SinkEvent> events,
            boolean readBackFirst,
            long readBackNotBeforeMillis,
            Ledger ledger)
            throws DeliveryException, InterruptedException {
        return deliver(group, stream, EventArena.of(events), readBackFirst, readBackNotBeforeMillis, ledger);
    }

    /**
     * As {@link #deliver(String, String, EventArena, boolean, long)}, with a ledger of events known to be stored in this
     * stream by batches delivered before this one (same caller, same stream). A read-back does not count those
     * copies as this batch's, and on return the ledger holds this batch's stored events too.
     */
    Result deliver(
            String group,
            String stream,
            EventArena events,
            boolean readBackFirst,
            long readBackNotBeforeMillis,
            Ledger ledger)
            throws DeliveryException, InterruptedException {
        Objects.requireNonNull(events);
        String what = "batch of " + events.size() + " events for " + group + "/" + stream;
        RetryPolicy.Budget budget = policy.budget(what);
        boolean needRead = readBackFirst;
        long notBefore = readBackNotBeforeMillis;
        boolean wrote = false;
        boolean[] settled = new boolean[events.size()]; // dead-lettered in this call: never re-sent by it
        List<Integer> pending = allOf(events);
        int resourceCreations = 0;
        while (true) {
            if (needRead) {
                sleepUntil(notBefore);
                // decoded here only: a read-back is the rare path (a restored, retried or ambiguous batch)
                List<Integer> missing = readBack.missing(group, stream, events.events(), settled, ledger, budget);
                if (missing == null) {
                    continue; // read failed transiently; budget already charged
                }
                int present = events.size() - missing.size() - count(settled);
                metrics.eventsAlreadyPresent.inc(present);
                if (missing.isEmpty()) {
                    health.delivered(); // every event is stored: delivery works
                    record(ledger, events, settled);
                    if (!wrote) {
                        metrics.batchesAlreadyCommitted.inc();
                        LOG.info("{}: read-back found all events stored, nothing to write", what);
                        return Result.ALREADY_PRESENT;
                    }
                    return Result.WRITTEN;
                }
                if (present > 0) {
                    LOG.info(
                            "{}: read-back found {} events stored, writing the {} missing",
                            what,
                            present,
                            missing.size());
                }
                pending = missing;
                needRead = false;
            }
            PutAttempt.Outcome outcome = put.put(group, stream, events, pending);
            if (outcome.succeeded()) {
                health.delivered();
                resources.groupExists(group);
                int rejected = deadLetters.rejected(
                        group, stream, events, pending, outcome.response().rejectedLogEventsInfo(), settled);
                metrics.eventsWritten.inc(pending.size() - rejected);
                metrics.bytesWritten.inc(outcome.messageBytes());
                metrics.batchesWritten.inc();
                record(ledger, events, settled);
                return Result.WRITTEN;
            }
            Throwable t = outcome.failure();
            Kind kind = policy.classify(t, "PutLogEvents", group, stream);
            String call = "PutLogEvents " + group + "/" + stream;
            switch (kind) {
                case RESOURCE_NOT_FOUND:
                    if (++resourceCreations > MAX_RESOURCE_CREATIONS) {
                        throw new DeliveryException(
                                what + ": log group/stream still missing after " + MAX_RESOURCE_CREATIONS
                                        + " creations",
                                t);
                    }
                    if (resourceCreations > 1) {
                        resources.groupMayBeGone(group);
                    }
                    resources.createStream(group, stream, budget);
                    break;
                case THROTTLED:
                    metrics.throttles.inc();
                    budget.failedAndBackOff(t, kind, call);
                    break;
                case SERVER_ERROR:
                case NETWORK:
                    (kind == Kind.SERVER_ERROR ? metrics.serverErrors : metrics.networkErrors).inc();
                    LOG.debug(
                            "{}: ambiguous failure ({}), will read back before writing again",
                            what,
                            CloudWatchLogsExceptionClassifier.unwrap(t));
                    needRead = true;
                    budget.failedAndBackOff(t, kind, call);
                    notBefore = System.currentTimeMillis() + config.readBackSettleDelay.toMillis();
                    break;
                case INVALID_REQUEST:
                    invalid(what, group, stream, events, pending, t);
                    return Result.WRITTEN;
                case INTERRUPTED:
                    throw new InterruptedException(what + ": interrupted");
                default:
                    throw new DeliveryException(
                            what + ": failed (" + kind + "): " + CloudWatchLogsExceptionClassifier.unwrap(t), t);
            }
        }
    }

    /** A batch refused as invalid: dead-lettered, or the job fails, by {@link InvalidBatchPolicy}. */
    private void invalid(
            String what, String group, String stream, EventArena events, List<Integer> pending, Throwable t)
            throws DeliveryException {
        if (config.invalidBatchPolicy == InvalidBatchPolicy.FAIL) {
            throw new DeliveryException(
                    what + ": refused as invalid: " + CloudWatchLogsExceptionClassifier.unwrap(t), t);
        }
        String detail =
                String.valueOf(CloudWatchLogsExceptionClassifier.unwrap(t).getMessage());
        deadLetters.invalidBatch(group, stream, events, pending, detail);
        LOG.error("{}: refused as invalid, {} events dead-lettered: {}", what, pending.size(), detail);
    }

    private static List<Integer> allOf(EventArena events) {
        List<Integer> all = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            all.add(i);
        }
        return all;
    }

    private static void sleepUntil(long wallClockMillis) throws InterruptedException {
        long wait = wallClockMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    /** Adds the events of this batch that are now stored (not dead-lettered) to the ledger. */
    private static void record(Ledger ledger, EventArena events, boolean[] settled) {
        if (ledger != null) {
            ledger.add(events, settled);
        }
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }
}
