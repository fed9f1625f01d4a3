package dev.kubelogs.job.sink.cloudwatch;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;

/**
 * One PutLogEvents call (the client has SDK retries off) and its outcome: the response, or the failure for the
 * {@link RetryPolicy} to classify. Deciding what follows is the deliverer's.
 */
final class PutAttempt {
    private final CloudWatchLogsAsyncClient client;
    private final RetryPolicy policy;
    private final SinkMetrics metrics;

    /** The response or the failure of one put, and the UTF-8 bytes of the messages it carried. */
    record Outcome(PutLogEventsResponse response, Throwable failure, long messageBytes) {
        boolean succeeded() {
            return failure == null;
        }
    }

    PutAttempt(CloudWatchLogsAsyncClient client, RetryPolicy policy, SinkMetrics metrics) {
        this.client = client;
        this.policy = policy;
        this.metrics = metrics;
    }

    /** Puts {@code events[pending[0]], events[pending[1]], …} (in that order) into {@code group/stream}. */
    Outcome put(String group, String stream, List<SinkEvent> events, List<Integer> pending)
            throws InterruptedException {
        PutLogEventsBody body = PutLogEventsBody.of(group, stream, events, pending);
        long t0 = System.nanoTime();
        metrics.putRequests.inc();
        try {
            PutLogEventsResponse response = Calls.join(client.putLogEvents(body.request()));
            metrics.putLatency(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            policy.answered();
            return new Outcome(response, null, body.messageBytes());
        } catch (ExecutionException | RuntimeException failure) {
            return new Outcome(null, failure, body.messageBytes());
        }
    }
}
