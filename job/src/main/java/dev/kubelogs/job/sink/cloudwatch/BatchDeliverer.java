package dev.kubelogs.job.sink.cloudwatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier.Kind;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;

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
 * All retries of one batch share one budget ({@link BackoffConfig}: attempts and total time); when it is spent
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

    /** Delivery failed for good; the job must fail. */
    static final class DeliveryException extends IOException {
        private static final long serialVersionUID = 1L;

        DeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final CloudWatchLogsAsyncClient client;
    private final CloudWatchLogsSinkConfig config;
    private final DeadLetterWriter deadLetter;
    private final SinkMetrics metrics;
    private final DeliveryHealth health;
    /** Whether the endpoint has answered this deliverer at all (see {@link CloudWatchLogsExceptionClassifier.Call}). */
    private volatile boolean answered;
    private final Set<String> knownGroups = ConcurrentHashMap.newKeySet();
    private final Set<String> knownStreams = ConcurrentHashMap.newKeySet();

    BatchDeliverer(CloudWatchLogsAsyncClient client, CloudWatchLogsSinkConfig config, DeadLetterWriter deadLetter,
            SinkMetrics metrics, DeliveryHealth health) {
        if (client.serviceClientConfiguration().overrideConfiguration().executionInterceptors().stream()
                .noneMatch(i -> i instanceof PutLogEventsBody.Interceptor)) {
            // without it a put would go out with no events at all
            throw new IllegalArgumentException("the CloudWatch Logs client needs a PutLogEventsBody.Interceptor; "
                    + "build it with CloudWatchLogsClientConfig.createClient()");
        }
        this.client = client;
        this.config = config;
        this.deadLetter = deadLetter;
        this.metrics = metrics;
        this.health = health;
    }

    /** Key for the read-back multiset: exact (timestamp, message). */
    static final class EventKey {
        final long timestamp;
        final String message;

        EventKey(long timestamp, String message) {
            this.timestamp = timestamp;
            this.message = message;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EventKey && ((EventKey) o).timestamp == timestamp && ((EventKey) o).message.equals(message);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(timestamp) * 31 + message.hashCode();
        }
    }

    /**
     * The batches an earlier delivery of the same caller put into one stream (events and which of them were
     * dead-lettered instead). Kept as references and only counted when a read-back needs it, so the common path
     * (no read-back) pays nothing per event. One ledger per stream, used by one thread at a time.
     */
    static final class Ledger {
        private final List<List<SinkEvent>> batches = new ArrayList<>();
        private final List<boolean[]> deadLettered = new ArrayList<>();

        void add(List<SinkEvent> events, boolean[] settled) {
            batches.add(events);
            deadLettered.add(settled);
        }

        boolean isEmpty() {
            return batches.isEmpty();
        }

        /** Stored copies per exact (timestamp, message) with timestamp in [start, end). */
        Map<EventKey, Integer> countsWithin(long start, long end) {
            Map<EventKey, Integer> counts = new HashMap<>();
            for (int b = 0; b < batches.size(); b++) {
                List<SinkEvent> events = batches.get(b);
                boolean[] settled = deadLettered.get(b);
                for (int i = 0; i < events.size(); i++) {
                    SinkEvent e = events.get(i);
                    if (!settled[i] && e.timestamp() >= start && e.timestamp() < end) {
                        counts.merge(new EventKey(e.timestamp(), e.message()), 1, Integer::sum);
                    }
                }
            }
            return counts;
        }
    }

    /** Retry budget of one batch. */
    private final class Budget {
        final long startNanos = System.nanoTime();
        final String what;
        int failures;
        Throwable last;

        Budget(String what) {
            this.what = what;
        }

        void failedAndBackOff(Throwable t, Kind kind, String call) throws DeliveryException, InterruptedException {
            failures++;
            last = t;
            metrics.retries.inc();
            health.failed(call, kind, t);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            BackoffConfig b = config.backoff;
            if (failures >= b.maxAttempts() || elapsedMs >= b.maxTotalTime().toMillis()) {
                throw new DeliveryException(what + ": giving up after " + failures + " failed calls in " + elapsedMs
                        + " ms (" + b + "), last failure " + kind + ": " + CloudWatchLogsExceptionClassifier.unwrap(t), t);
            }
            long delay = Math.min(b.delayMillis(failures), Math.max(0, b.maxTotalTime().toMillis() - elapsedMs));
            LOG.debug("{}: {} ({}), retry {} in {} ms", what, kind, CloudWatchLogsExceptionClassifier.unwrap(t).toString(), failures, delay);
            if (delay > 0) {
                Thread.sleep(delay);
            }
        }
    }

    /**
     * Delivers {@code events} (sorted by timestamp, within all batch limits) to {@code group/stream}.
     *
     * @param readBackFirst read what is already stored before writing (restored or retried batch)
     * @param readBackNotBeforeMillis wall-clock time before which a read-back must not start (settle delay)
     */
    Result deliver(String group, String stream, List<SinkEvent> events, boolean readBackFirst, long readBackNotBeforeMillis)
            throws DeliveryException, InterruptedException {
        return deliver(group, stream, events, readBackFirst, readBackNotBeforeMillis, null);
    }

    /**
     * As {@link #deliver(String, String, List, boolean, long)}, with a ledger of events known to be stored in this
     * stream by batches delivered before this one (same caller, same stream). A read-back does not count those
     * copies as this batch's (so an identical line split across two batches is not taken as landed twice), and
     * on return the ledger holds this batch's stored events too.
     */
    Result deliver(String group, String stream, List<SinkEvent> events, boolean readBackFirst, long readBackNotBeforeMillis,
            Ledger ledger) throws DeliveryException, InterruptedException {
        return deliverOnce(group, stream, events, readBackFirst, readBackNotBeforeMillis, ledger);
    }

    private Result deliverOnce(String group, String stream, List<SinkEvent> events, boolean readBackFirst,
            long readBackNotBeforeMillis, Ledger ledger) throws DeliveryException, InterruptedException {
        Objects.requireNonNull(events);
        String what = "batch of " + events.size() + " events for " + group + "/" + stream;
        Budget budget = new Budget(what);
        boolean needRead = readBackFirst;
        long notBefore = readBackNotBeforeMillis;
        boolean wrote = false;
        boolean[] settled = new boolean[events.size()]; // dead-lettered in this call: never re-sent by it
        List<Integer> pending = null; // indexes into events
        int resourceCreations = 0;
        while (true) {
            if (needRead) {
                long wait = notBefore - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                List<Integer> missing = readBackMissing(group, stream, events, settled, budget, ledger);
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
                    LOG.info("{}: read-back found {} events stored, writing the {} missing", what, present, missing.size());
                }
                pending = missing;
                needRead = false;
            }
            if (pending == null) {
                pending = new ArrayList<>(events.size());
                for (int i = 0; i < events.size(); i++) {
                    pending.add(i);
                }
            }
            PutLogEventsBody body = PutLogEventsBody.of(group, stream, events, pending);
            long bytes = body.messageBytes();
            PutLogEventsRequest request = body.request();
            long t0 = System.nanoTime();
            metrics.putRequests.inc();
            try {
                PutLogEventsResponse response = join(client.putLogEvents(request));
                metrics.putLatency(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                answered = true;
                health.delivered();
                knownGroups.add(group);
                knownStreams.add(group + "\n" + stream);
                int rejected = handleRejected(group, stream, events, pending, response.rejectedLogEventsInfo(), settled);
                metrics.eventsWritten.inc(pending.size() - rejected);
                metrics.bytesWritten.inc(bytes);
                metrics.batchesWritten.inc();
                record(ledger, events, settled);
                return Result.WRITTEN;
            } catch (ExecutionException | RuntimeException failure) {
                Throwable t = failure;
                failIfUnhealable(t, "PutLogEvents", group, stream);
                Kind kind = CloudWatchLogsExceptionClassifier.classify(t);
                String call = "PutLogEvents " + group + "/" + stream;
                switch (kind) {
                    case RESOURCE_NOT_FOUND:
                        if (++resourceCreations > MAX_RESOURCE_CREATIONS) {
                            throw new DeliveryException(what + ": log group/stream still missing after "
                                    + MAX_RESOURCE_CREATIONS + " creations", t);
                        }
                        knownStreams.remove(group + "\n" + stream);
                        if (resourceCreations > 1) {
                            knownGroups.remove(group);
                        }
                        createStream(group, stream, budget);
                        break;
                    case THROTTLED:
                        metrics.throttles.inc();
                        budget.failedAndBackOff(t, kind, call);
                        break;
                    case SERVER_ERROR:
                    case NETWORK:
                        (kind == Kind.SERVER_ERROR ? metrics.serverErrors : metrics.networkErrors).inc();
                        LOG.debug("{}: ambiguous failure ({}), will read back before writing again", what,
                                CloudWatchLogsExceptionClassifier.unwrap(t).toString());
                        needRead = true;
                        budget.failedAndBackOff(t, kind, call);
                        notBefore = System.currentTimeMillis() + config.readBackSettleDelay.toMillis();
                        break;
                    case INVALID_REQUEST:
                        if (config.invalidBatchPolicy == InvalidBatchPolicy.FAIL) {
                            throw new DeliveryException(what + ": refused as invalid: " + CloudWatchLogsExceptionClassifier.unwrap(t), t);
                        }
                        List<DeadLetterRecord> records = new ArrayList<>();
                        String detail = String.valueOf(CloudWatchLogsExceptionClassifier.unwrap(t).getMessage());
                        for (int i : pending) {
                            records.add(DeadLetterRecord.of(DeadLetterReason.INVALID_BATCH, detail, group, stream, events.get(i)));
                        }
                        writeDeadLetters(records);
                        LOG.error("{}: refused as invalid, {} events dead-lettered: {}", what, records.size(), detail);
                        return Result.WRITTEN;
                    case INTERRUPTED:
                        throw new InterruptedException(what + ": interrupted");
                    default:
                        throw new DeliveryException(what + ": failed (" + kind + "): " + CloudWatchLogsExceptionClassifier.unwrap(t), t);
                }
            }
        }
    }

    /** Adds the events of this batch that are now stored (not dead-lettered) to the ledger. */
    private static void record(Ledger ledger, List<SinkEvent> events, boolean[] settled) {
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

    /**
     * Indexes of events not found in the stream (and not dead-lettered in this call), in batch order; null if
     * the read failed transiently (the budget has been charged and backed off).
     */
    private List<Integer> readBackMissing(String group, String stream, List<SinkEvent> events, boolean[] settled, Budget budget,
            Ledger ledger) throws DeliveryException, InterruptedException {
        long start = events.get(0).timestamp();
        long end = events.get(events.size() - 1).timestamp() + 1;
        metrics.readBacks.inc();
        Map<EventKey, Integer> stored = new HashMap<>();
        String token = null;
        try {
            while (true) {
                GetLogEventsRequest.Builder rb = GetLogEventsRequest.builder()
                        .logGroupName(group).logStreamName(stream)
                        .startTime(start).endTime(end).startFromHead(true).limit(10_000);
                if (token != null) {
                    rb.nextToken(token);
                }
                GetLogEventsResponse page = join(client.getLogEvents(rb.build()));
                answered = true;
                for (OutputLogEvent e : page.events()) {
                    stored.merge(new EventKey(e.timestamp(), e.message()), 1, Integer::sum);
                }
                String next = page.nextForwardToken();
                if (next == null || next.equals(token)) {
                    break;
                }
                token = next;
            }
        } catch (ExecutionException | RuntimeException failure) {
            failIfUnhealable(failure, "GetLogEvents", group, stream);
            Kind kind = CloudWatchLogsExceptionClassifier.classify(failure);
            if (kind == Kind.RESOURCE_NOT_FOUND) {
                stored.clear(); // no stream, so nothing of this batch is stored
            } else if (kind == Kind.THROTTLED || kind == Kind.SERVER_ERROR || kind == Kind.NETWORK) {
                if (kind == Kind.THROTTLED) {
                    metrics.throttles.inc();
                }
                budget.failedAndBackOff(failure, kind, "GetLogEvents " + group + "/" + stream);
                return null;
            } else if (kind == Kind.INTERRUPTED) {
                throw new InterruptedException(budget.what + ": interrupted during read-back");
            } else {
                throw new DeliveryException(budget.what + ": read-back failed (" + kind + "): "
                        + CloudWatchLogsExceptionClassifier.unwrap(failure), failure);
            }
        }
        if (ledger != null && !ledger.isEmpty()) {
            // copies stored by earlier batches of this stream are theirs, not ours
            for (Map.Entry<EventKey, Integer> l : ledger.countsWithin(start, end).entrySet()) {
                stored.computeIfPresent(l.getKey(), (key, n) -> n > l.getValue() ? n - l.getValue() : null);
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (settled[i]) {
                continue;
            }
            SinkEvent e = events.get(i);
            EventKey k = new EventKey(e.timestamp(), e.message());
            Integer n = stored.get(k);
            if (n != null && n > 0) {
                stored.put(k, n - 1);
            } else {
                missing.add(i);
            }
        }
        return missing;
    }

    /** Dead-letters rejected events; returns how many of {@code pending} were rejected. */
    private int handleRejected(String group, String stream, List<SinkEvent> events, List<Integer> pending,
            RejectedLogEventsInfo info, boolean[] settled) throws DeliveryException {
        if (info == null) {
            return 0;
        }
        int n = pending.size();
        int tooOldEnd = clamp(info.tooOldLogEventEndIndex(), 0, n, 0);
        int expiredEnd = clamp(info.expiredLogEventEndIndex(), 0, n, 0);
        int tooNewStart = clamp(info.tooNewLogEventStartIndex(), 0, n, n);
        List<DeadLetterRecord> records = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            DeadLetterReason reason;
            String detail;
            if (j < tooOldEnd) {
                reason = DeadLetterReason.TOO_OLD;
                detail = "rejectedLogEventsInfo.tooOldLogEventEndIndex=" + info.tooOldLogEventEndIndex();
                metrics.rejectedTooOld.inc();
            } else if (j < expiredEnd) {
                reason = DeadLetterReason.EXPIRED;
                detail = "rejectedLogEventsInfo.expiredLogEventEndIndex=" + info.expiredLogEventEndIndex();
                metrics.rejectedExpired.inc();
            } else if (j >= tooNewStart) {
                reason = DeadLetterReason.TOO_NEW;
                detail = "rejectedLogEventsInfo.tooNewLogEventStartIndex=" + info.tooNewLogEventStartIndex();
                metrics.rejectedTooNew.inc();
            } else {
                continue;
            }
            int i = pending.get(j);
            settled[i] = true;
            records.add(DeadLetterRecord.of(reason, detail, group, stream, events.get(i)));
        }
        if (!records.isEmpty()) {
            LOG.warn("{}/{}: CloudWatch rejected {} of {} events ({}), dead-lettering them", group, stream,
                    records.size(), n, info);
            writeDeadLetters(records);
        }
        return records.size();
    }

    private static int clamp(Integer v, int lo, int hi, int dflt) {
        return v == null ? dflt : Math.max(lo, Math.min(hi, v));
    }

    void writeDeadLetters(List<DeadLetterRecord> records) throws DeliveryException {
        try {
            deadLetter.write(records);
            metrics.deadLettered.inc(records.size());
        } catch (IOException | RuntimeException e) {
            throw new DeliveryException("could not write " + records.size() + " dead-letter records", e);
        }
    }

    private void createStream(String group, String stream, Budget budget) throws DeliveryException, InterruptedException {
        if (!knownGroups.contains(group)) {
            createGroup(group, budget);
        }
        boolean created = call(() -> client.createLogStream(
                CreateLogStreamRequest.builder().logGroupName(group).logStreamName(stream).build()),
                "CreateLogStream", group, stream, budget, true);
        if (!created) {
            // the group is gone (deleted under us, or knownGroups was stale): create it, then the stream
            knownGroups.remove(group);
            createGroup(group, budget);
            call(() -> client.createLogStream(
                    CreateLogStreamRequest.builder().logGroupName(group).logStreamName(stream).build()),
                    "CreateLogStream", group, stream, budget, false);
        }
        knownStreams.add(group + "\n" + stream);
    }

    private void createGroup(String group, Budget budget) throws DeliveryException, InterruptedException {
        boolean[] createdNow = {false};
        call(() -> client.createLogGroup(CreateLogGroupRequest.builder().logGroupName(group).build())
                        .thenApply(r -> createdNow[0] = true),
                "CreateLogGroup", group, null, budget, false);
        knownGroups.add(group);
        Integer days = config.retentionFor(group);
        if (createdNow[0] && days != null) {
            call(() -> client.putRetentionPolicy(
                    PutRetentionPolicyRequest.builder().logGroupName(group).retentionInDays(days).build()),
                    "PutRetentionPolicy", group, null, budget, false);
            LOG.info("created log group {} with retention {} days", group, days);
        } else if (createdNow[0]) {
            LOG.info("created log group {}", group);
        }
    }

    /**
     * Runs an idempotent management call with backoff. Returns true on success or ResourceAlreadyExists;
     * false on ResourceNotFound if {@code notFoundIsResult}.
     */
    private boolean call(Supplier<CompletableFuture<?>> op, String operation, String group, String stream,
            Budget budget, boolean notFoundIsResult) throws DeliveryException, InterruptedException {
        String what = operation + " " + group + (stream == null ? "" : "/" + stream);
        while (true) {
            try {
                join(op.get());
                answered = true;
                metrics.resourcesCreated.inc();
                return true;
            } catch (ExecutionException | RuntimeException failure) {
                failIfUnhealable(failure, operation, group, stream);
                Kind kind = CloudWatchLogsExceptionClassifier.classify(failure);
                if (kind == Kind.RESOURCE_ALREADY_EXISTS) {
                    return true;
                }
                if (kind == Kind.RESOURCE_NOT_FOUND && notFoundIsResult) {
                    return false;
                }
                if (kind == Kind.THROTTLED || kind == Kind.SERVER_ERROR || kind == Kind.NETWORK) {
                    if (kind == Kind.THROTTLED) {
                        metrics.throttles.inc();
                    }
                    budget.failedAndBackOff(failure, kind, what);
                    continue;
                }
                if (kind == Kind.INTERRUPTED) {
                    throw new InterruptedException(what + ": interrupted");
                }
                throw new DeliveryException(what + " failed (" + kind + "): " + CloudWatchLogsExceptionClassifier.unwrap(failure), failure);
            }
        }
    }

    /** Throws the job-ending exception (after one ERROR line) if retrying this call cannot heal the failure. */
    private void failIfUnhealable(Throwable failure, String operation, String group, String stream) {
        if (CloudWatchLogsExceptionClassifier.unwrap(failure) instanceof AwsServiceException) {
            answered = true; // the endpoint answered, even if with an error
        }
        CloudWatchLogsExceptionClassifier.Call call = new CloudWatchLogsExceptionClassifier.Call(operation, group,
                stream, config.client.region(), config.client.endpointOverride(), answered);
        Optional<CloudWatchLogsFatalException> fatal = CloudWatchLogsExceptionClassifier.unhealable(failure, call);
        if (fatal.isPresent()) {
            health.failed(operation + " " + group + (stream == null ? "" : "/" + stream), Kind.FATAL, failure);
            LOG.error(fatal.get().getMessage());
            throw fatal.get();
        }
    }

    private static <T> T join(CompletableFuture<T> f) throws ExecutionException, InterruptedException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
    }
}
