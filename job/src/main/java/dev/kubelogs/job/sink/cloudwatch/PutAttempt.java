package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.lean.LeanPutLogEvents;
import dev.kubelogs.job.sink.cloudwatch.wire.MessageSlices;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;

/**
 * One PutLogEvents call (the client has SDK retries off) and its outcome: the response, or the failure for the
 * {@link RetryPolicy} to classify. Deciding what follows is the deliverer's.
 *
 * <p>The request body is written by {@link PutLogEventsBody} straight from the slices of the batch's {@link EventArena}, or, with
 * {@code fastRequestBodies} off, by the SDK's own marshaller from {@link InputLogEvent}s; both send the same bytes.
 */
final class PutAttempt {
    /** Larger bodies (10,000 tiny events, or heavily escaped ones) are not kept for reuse. */
    static final int MAX_SPARE_BODY_BYTES = 2 << 20;

    private final CloudWatchLogsAsyncClient client;
    /** Null: every put goes through {@link #client}'s request pipeline. */
    private final LeanPutLogEvents leanPuts;

    private final boolean fastRequestBodies;
    private final RetryPolicy policy;
    private final SinkMetrics metrics;
    /**
     * Per calling thread, the array of its last answered body, written over by its next one. A full batch's body is
     * about 1.1 MB, half of what a put allocates (the SDK's copy of it is the other half): a new one per put is a
     * large array zeroed outside the thread's allocation buffer, and on G1 (1 MB regions at a TaskManager's heap) a
     * humongous allocation. Kept only after an answer (the SDK may still read the body of a put that failed, e.g.
     * timed out), so it holds at most one body per committer thread ({@code maxConcurrentStreams} + 1).
     */
    private final ThreadLocal<byte[]> spareBodies = new ThreadLocal<>();

    /** The response or the failure of one put, and the UTF-8 bytes of the messages it carried. */
    record Outcome(PutLogEventsResponse response, Throwable failure, long messageBytes) {
        boolean succeeded() {
            return failure == null;
        }
    }

    PutAttempt(CloudWatchLogsAsyncClient client, boolean fastRequestBodies, RetryPolicy policy, SinkMetrics metrics) {
        this(client, null, fastRequestBodies, policy, metrics);
    }

    /** With {@code leanPuts} (and fast bodies), puts are sent by it instead of the SDK client's pipeline. */
    PutAttempt(
            CloudWatchLogsAsyncClient client,
            LeanPutLogEvents leanPuts,
            boolean fastRequestBodies,
            RetryPolicy policy,
            SinkMetrics metrics) {
        this.client = client;
        this.leanPuts = leanPuts;
        this.fastRequestBodies = fastRequestBodies;
        this.policy = policy;
        this.metrics = metrics;
    }

    /** Puts {@code events[pending[0]], events[pending[1]], …} (in that order) into {@code group/stream}. */
    Outcome put(String group, String stream, EventArena events, List<Integer> pending) throws InterruptedException {
        MessageSlices slices = events.slices();
        long messageBytes = 0;
        for (int i : pending) {
            messageBytes += slices.messageLength(i); // with the end it shares with the events before
        }
        PutLogEventsBody body = null;
        PutLogEventsRequest request = null; // null: the lean sender sends the body
        if (fastRequestBodies) {
            byte[] spare = spareBodies.get();
            spareBodies.remove(); // this put owns it now
            body = PutLogEventsBody.of(group, stream, slices, pending, spare);
            if (leanPuts == null) {
                request = body.request();
            }
        } else {
            request = sdkRequest(group, stream, events.events(), pending);
        }
        long t0 = System.nanoTime();
        metrics.putRequests.inc();
        try {
            PutLogEventsResponse response = request == null
                    ? leanPuts.put(body.buffer(), body.length())
                    : Calls.join(client.putLogEvents(request));
            metrics.putLatency(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            policy.answered();
            if (body != null && body.buffer().length <= MAX_SPARE_BODY_BYTES) {
                // answered, so the SDK has read the whole body (hashed for SigV4, copied for the HTTP client)
                spareBodies.set(body.buffer());
            }
            return new Outcome(response, null, messageBytes);
        } catch (ExecutionException | RuntimeException failure) {
            return new Outcome(null, failure, messageBytes);
        }
    }

    /** The calling thread's spare body array, or null (tests). */
    byte[] spareBody() {
        return spareBodies.get();
    }

    /** The request as the SDK's marshaller writes it. */
    private static PutLogEventsRequest sdkRequest(
            String group, String stream, List<SinkEvent> events, List<Integer> pending) {
        List<InputLogEvent> logEvents = new ArrayList<>(pending.size());
        for (int i : pending) {
            SinkEvent e = events.get(i);
            logEvents.add(InputLogEvent.builder()
                    .timestamp(e.timestamp())
                    .message(e.message())
                    .build());
        }
        return PutLogEventsRequest.builder()
                .logGroupName(group)
                .logStreamName(stream)
                .logEvents(logEvents)
                .build();
    }
}
