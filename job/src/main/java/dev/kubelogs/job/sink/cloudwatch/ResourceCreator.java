package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier.Kind;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyRequest;

/**
 * Creates a missing log stream, and its log group first if this sink has not seen the group exist (with the
 * configured retention when the sink is the one that created it). ResourceAlreadyExists is success; throttling,
 * 5xx and network failures are backed off within the batch's budget. Thread-safe.
 */
final class ResourceCreator {
    private static final Logger LOG = LoggerFactory.getLogger(ResourceCreator.class);

    private final CloudWatchLogsAsyncClient client;
    private final CloudWatchLogsSinkConfig config;
    private final RetryPolicy policy;
    private final SinkMetrics metrics;
    private final Set<String> knownGroups = ConcurrentHashMap.newKeySet();

    ResourceCreator(
            CloudWatchLogsAsyncClient client,
            CloudWatchLogsSinkConfig config,
            RetryPolicy policy,
            SinkMetrics metrics) {
        this.client = client;
        this.config = config;
        this.policy = policy;
        this.metrics = metrics;
    }

    /** A put into {@code group} succeeded: the group exists. */
    void groupExists(String group) {
        knownGroups.add(group);
    }

    /** A put found its stream missing again: the group may be gone too, so it is created again first. */
    void groupMayBeGone(String group) {
        knownGroups.remove(group);
    }

    /** Creates {@code group/stream} (the group too if it is not known to exist). */
    void createStream(String group, String stream, RetryPolicy.Budget budget)
            throws DeliveryException, InterruptedException {
        if (!knownGroups.contains(group)) {
            createGroup(group, budget);
        }
        boolean created = call(
                () -> client.createLogStream(CreateLogStreamRequest.builder()
                        .logGroupName(group)
                        .logStreamName(stream)
                        .build()),
                "CreateLogStream",
                group,
                stream,
                budget,
                true);
        if (!created) {
            // the group is gone (deleted under us, or knownGroups was stale): create it, then the stream
            knownGroups.remove(group);
            createGroup(group, budget);
            call(
                    () -> client.createLogStream(CreateLogStreamRequest.builder()
                            .logGroupName(group)
                            .logStreamName(stream)
                            .build()),
                    "CreateLogStream",
                    group,
                    stream,
                    budget,
                    false);
        }
    }

    private void createGroup(String group, RetryPolicy.Budget budget) throws DeliveryException, InterruptedException {
        boolean[] createdNow = {false};
        call(
                () -> client.createLogGroup(CreateLogGroupRequest.builder()
                                .logGroupName(group)
                                .build())
                        .thenApply(r -> createdNow[0] = true),
                "CreateLogGroup",
                group,
                null,
                budget,
                false);
        knownGroups.add(group);
        Integer days = config.retentionFor(group);
        if (createdNow[0] && days != null) {
            call(
                    () -> client.putRetentionPolicy(PutRetentionPolicyRequest.builder()
                            .logGroupName(group)
                            .retentionInDays(days)
                            .build()),
                    "PutRetentionPolicy",
                    group,
                    null,
                    budget,
                    false);
            LOG.info("created log group {} with retention {} days", group, days);
        } else if (createdNow[0]) {
            LOG.info("created log group {}", group);
        }
    }

    /**
     * Runs an idempotent management call with backoff. Returns true on success or ResourceAlreadyExists;
     * false on ResourceNotFound if {@code notFoundIsResult}.
     */
    private boolean call(
            Supplier<CompletableFuture<?>> op,
            String operation,
            String group,
            String stream,
            RetryPolicy.Budget budget,
            boolean notFoundIsResult)
            throws DeliveryException, InterruptedException {
        String what = operation + " " + group + (stream == null ? "" : "/" + stream);
        while (true) {
            try {
                Calls.join(op.get());
                policy.answered();
                metrics.resourcesCreated.inc();
                return true;
            } catch (ExecutionException | RuntimeException failure) {
                Kind kind = policy.classify(failure, operation, group, stream);
                if (kind == Kind.RESOURCE_ALREADY_EXISTS) {
                    return true;
                }
                if (kind == Kind.RESOURCE_NOT_FOUND && notFoundIsResult) {
                    return false;
                }
                if (budget.backOffIfTransient(failure, kind, what)) {
                    continue;
                }
                if (kind == Kind.INTERRUPTED) {
                    throw new InterruptedException(what + ": interrupted");
                }
                throw new DeliveryException(
                        what + " failed (" + kind + "): " + CloudWatchLogsExceptionClassifier.unwrap(failure), failure);
            }
        }
    }
}
