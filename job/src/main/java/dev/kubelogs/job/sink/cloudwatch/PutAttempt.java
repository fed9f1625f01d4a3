package dev.kubelogs.job.sink.cloudwatch;

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
 * <p>The request body is written by {@link PutLogEventsBody} straight from the buffered UTF-8 bytes, or, with
 * {@code fastRequestBodies} off, by the SDK's own marshaller from {@link InputLogEvent}s; both send the same bytes.
 */
final class PutAttempt {
    private final CloudWatchLogsAsyncClient client;
    private final boolean fastRequestBodies;
    private final RetryPolicy policy;
    private final SinkMetrics metrics;

    /** The response or the failure of one put, and the UTF-8 bytes of the messages it carried. */
    record Outcome(PutLogEventsResponse response, Throwable failure, long messageBytes) {
        boolean succeeded() {
            return failure == null;
        }
    }

    PutAttempt(CloudWatchLogsAsyncClient client, boolean fastRequestBodies, RetryPolicy policy, SinkMetrics metrics) {
        this.client = client;
        this.fastRequestBodies = fastRequestBodies;
        this.policy = policy;
        this.metrics = metrics;
    }

    /** Puts {@code events[pending[0]], events[pending[1]], …} (in that order) into {@code group/stream}. */
    Outcome put(String group, String stream, List<SinkEvent> events, List<Integer> pending)
            throws InterruptedException {
        long messageBytes = 0;
        for (int i : pending) {
            messageBytes += events.get(i).utf8Length();
        }
        PutLogEventsRequest request = fastRequestBodies
                ? PutLogEventsBody.of(group, stream, events, pending).request()
                : sdkRequest(group, stream, events, pending);
        long t0 = System.nanoTime();
        metrics.putRequests.inc();
        try {
            PutLogEventsResponse response = Calls.join(client.putLogEvents(request));
            metrics.putLatency(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            policy.answered();
            return new Outcome(response, null, messageBytes);
        } catch (ExecutionException | RuntimeException failure) {
            return new Outcome(null, failure, messageBytes);
        }
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
