package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier.Kind;
import dev.kubelogs.job.sink.cloudwatch.Ledger.EventKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * What of a batch is already stored, after an ambiguous answer (or for a restored or retried batch): GetLogEvents
 * on the stream over {@code [minTs, maxTs + 1)}, startFromHead, paging until the token repeats; the batch minus
 * what is stored, as a multiset of exact {@code (timestamp, message)}, is what is missing. Copies that earlier
 * batches of the same {@link Ledger} stored are theirs, not this batch's.
 */
final class ReadBack {
    private final CloudWatchLogsAsyncClient client;
    private final RetryPolicy policy;
    private final SinkMetrics metrics;

    ReadBack(CloudWatchLogsAsyncClient client, RetryPolicy policy, SinkMetrics metrics) {
        this.client = client;
        this.policy = policy;
        this.metrics = metrics;
    }

    /**
     * Indexes of {@code events} (sorted by timestamp) not found in the stream and not {@code settled} (dead-lettered
     * in this delivery), in batch order; null if the read failed transiently (the budget has been charged and
     * backed off). A missing stream means nothing of the batch is stored.
     *
     * @param ledger batches delivered to this stream before, or null
     */
    List<Integer> missing(
            String group,
            String stream,
            List<SinkEvent> events,
            boolean[] settled,
            Ledger ledger,
            RetryPolicy.Budget budget)
            throws DeliveryException, InterruptedException {
        long start = events.get(0).timestamp();
        long end = events.get(events.size() - 1).timestamp() + 1;
        metrics.readBacks.inc();
        Map<EventKey, Integer> stored;
        try {
            stored = read(group, stream, start, end);
        } catch (ExecutionException | RuntimeException failure) {
            Kind kind = policy.classify(failure, "GetLogEvents", group, stream);
            if (kind == Kind.RESOURCE_NOT_FOUND) {
                stored = new HashMap<>(); // no stream, so nothing of this batch is stored
            } else if (budget.backOffIfTransient(failure, kind, "GetLogEvents " + group + "/" + stream)) {
                return null;
            } else if (kind == Kind.INTERRUPTED) {
                throw new InterruptedException(budget.what + ": interrupted during read-back");
            } else {
                throw new DeliveryException(
                        budget.what + ": read-back failed (" + kind + "): "
                                + CloudWatchLogsExceptionClassifier.unwrap(failure),
                        failure);
            }
        }
        if (ledger != null && !ledger.isEmpty()) {
            // copies stored by earlier batches of this stream are theirs, not ours
            for (Map.Entry<EventKey, Integer> l :
                    ledger.countsWithin(start, end).entrySet()) {
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

    /** Stored copies per exact (timestamp, message) in {@code [start, end)}. */
    private Map<EventKey, Integer> read(String group, String stream, long start, long end)
            throws ExecutionException, InterruptedException {
        Map<EventKey, Integer> stored = new HashMap<>();
        String token = null;
        while (true) {
            GetLogEventsRequest.Builder rb = GetLogEventsRequest.builder()
                    .logGroupName(group)
                    .logStreamName(stream)
                    .startTime(start)
                    .endTime(end)
                    .startFromHead(true)
                    .limit(10_000);
            if (token != null) {
                rb.nextToken(token);
            }
            GetLogEventsResponse page = Calls.join(client.getLogEvents(rb.build()));
            policy.answered();
            for (OutputLogEvent e : page.events()) {
                stored.merge(new EventKey(e.timestamp(), e.message()), 1, Integer::sum);
            }
            String next = page.nextForwardToken();
            if (next == null || next.equals(token)) {
                return stored;
            }
            token = next;
        }
    }
}
