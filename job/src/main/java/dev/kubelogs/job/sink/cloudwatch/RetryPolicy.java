package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier.Kind;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * What follows a failed CloudWatch Logs call. First the classifier's fatal chain
 * ({@link CloudWatchLogsExceptionClassifier#unhealable}): a failure retrying cannot heal is logged as one ERROR line
 * and thrown as a {@link CloudWatchLogsFatalException}, which ends the job without restarts. Otherwise the failure
 * is classified ({@link Kind}) for the caller to act on, and the kinds that may heal are retried within one
 * {@link Budget} per batch ({@link BackoffConfig}: attempts and total time, shared by all calls of the batch).
 *
 * <p>It also remembers whether the endpoint has ever answered: a host name that never resolved is a wrong region or
 * endpoint (fatal), one that resolved before is a DNS hiccup (retried). Thread-safe.
 */
final class RetryPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    private final CloudWatchLogsSinkConfig config;
    private final SinkMetrics metrics;
    private final DeliveryHealth health;
    private volatile boolean answered;

    RetryPolicy(CloudWatchLogsSinkConfig config, SinkMetrics metrics, DeliveryHealth health) {
        this.config = config;
        this.metrics = metrics;
        this.health = health;
    }

    /** The endpoint answered a call. */
    void answered() {
        answered = true;
    }

    /**
     * The kind of {@code failure} of {@code operation} on {@code group} (and {@code stream}, null for group calls).
     *
     * @throws CloudWatchLogsFatalException if retrying cannot heal it
     */
    Kind classify(Throwable failure, String operation, String group, String stream) {
        if (CloudWatchLogsExceptionClassifier.unwrap(failure) instanceof AwsServiceException) {
            answered = true; // the endpoint answered, even if with an error
        }
        CloudWatchLogsExceptionClassifier.Call call = new CloudWatchLogsExceptionClassifier.Call(
                operation, group, stream, config.client.region(), config.client.endpointOverride(), answered);
        Optional<CloudWatchLogsFatalException> fatal = CloudWatchLogsExceptionClassifier.unhealable(failure, call);
        if (fatal.isPresent()) {
            health.failed(operation + " " + group + (stream == null ? "" : "/" + stream), Kind.FATAL, failure);
            LOG.error(fatal.get().getMessage());
            throw fatal.get();
        }
        return CloudWatchLogsExceptionClassifier.classify(failure);
    }

    /** A fresh retry budget for one batch, named {@code what} in messages. */
    Budget budget(String what) {
        return new Budget(what);
    }

    /** The retry budget of one batch: every failed call of it counts, until attempts or total time are spent. */
    final class Budget {
        private final long startNanos = System.nanoTime();
        final String what;
        private int failures;

        private Budget(String what) {
            this.what = what;
        }

        /** Counts a failed call and waits its backoff; throws when this was the last one the budget allows. */
        void failedAndBackOff(Throwable t, Kind kind, String call) throws DeliveryException, InterruptedException {
            failures++;
            metrics.retries.inc();
            health.failed(call, kind, t);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            BackoffConfig b = config.backoff;
            if (failures >= b.maxAttempts() || elapsedMs >= b.maxTotalTime().toMillis()) {
                throw new DeliveryException(
                        what + ": giving up after " + failures + " failed calls in " + elapsedMs + " ms (" + b
                                + "), last failure " + kind + ": " + CloudWatchLogsExceptionClassifier.unwrap(t),
                        t);
            }
            long delay = Math.min(
                    b.delayMillis(failures), Math.max(0, b.maxTotalTime().toMillis() - elapsedMs));
            LOG.debug(
                    "{}: {} ({}), retry {} in {} ms",
                    what,
                    kind,
                    CloudWatchLogsExceptionClassifier.unwrap(t),
                    failures,
                    delay);
            if (delay > 0) {
                Thread.sleep(delay);
            }
        }

        /**
         * For a read or a management call: a throttled, 5xx or network failure is counted and backed off (true, call
         * again); any other kind is left to the caller (false).
         */
        boolean backOffIfTransient(Throwable t, Kind kind, String call) throws DeliveryException, InterruptedException {
            if (kind == Kind.THROTTLED) {
                metrics.throttles.inc();
            }
            if (kind == Kind.THROTTLED || kind == Kind.SERVER_ERROR || kind == Kind.NETWORK) {
                failedAndBackOff(t, kind, call);
                return true;
            }
            return false;
        }

        /** Failed calls so far. */
        int failures() {
            return failures;
        }
    }
}
