package dev.kubelogs.job.sink.cloudwatch;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Sorts a failed CloudWatch Logs call into what the sink must do next. The key question for PutLogEvents is
 * whether the events may have been stored anyway ({@link Kind#isAmbiguous()}): then the next step is a
 * read-back, never a blind resend.
 */
public final class CloudWatchLogsExceptionClassifier {

    /** What a failure means. */
    public enum Kind {
        /** The service refused the call for rate reasons before doing it: retry after backoff, nothing stored. */
        THROTTLED(false, true),
        /** 5xx / ServiceUnavailable: the call may or may not have been carried out. Read back, then retry. */
        SERVER_ERROR(true, true),
        /** Timeout, connection reset, I/O: the call may or may not have been carried out. Read back, then retry. */
        NETWORK(true, true),
        /** The log group or log stream does not exist: create it, then retry (nothing stored). */
        RESOURCE_NOT_FOUND(false, true),
        /** Create* found the resource there already: fine. */
        RESOURCE_ALREADY_EXISTS(false, false),
        /** The request itself is invalid (InvalidParameterException etc.): retrying cannot help. */
        INVALID_REQUEST(false, false),
        /** Credentials, permissions, configuration, anything unknown: fail the job. */
        FATAL(false, false),
        /** The thread was interrupted (task cancelled). */
        INTERRUPTED(false, false);

        private final boolean ambiguous;
        private final boolean retryable;

        Kind(boolean ambiguous, boolean retryable) {
            this.ambiguous = ambiguous;
            this.retryable = retryable;
        }

        /** True if a write that failed like this may still have stored its events. */
        public boolean isAmbiguous() {
            return ambiguous;
        }

        /** True if retrying (after backoff, read-back or resource creation) can succeed. */
        public boolean isRetryable() {
            return retryable;
        }
    }

    private static final Set<String> THROTTLING_CODES = Set.of(
            "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException",
            "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "SlowDown",
            "ProvisionedThroughputExceededException", "TransactionInProgressException",
            "PriorRequestNotComplete", "EC2ThrottledException", "BandwidthLimitExceeded");

    private static final Set<String> SERVER_CODES = Set.of(
            "ServiceUnavailableException", "ServiceUnavailable", "InternalFailure", "InternalServerError",
            "InternalError", "OperationAbortedException");

    private static final Set<String> INVALID_CODES = Set.of(
            "InvalidParameterException", "InvalidParameterValue", "InvalidParameterCombination",
            "MissingParameter", "ValidationException", "SerializationException", "InvalidSequenceTokenException",
            "DataAlreadyAcceptedException", "MalformedQueryException");

    private CloudWatchLogsExceptionClassifier() {}

    /** The innermost meaningful cause (unwraps CompletionException / ExecutionException). */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** Classifies a failure of any CloudWatch Logs call. */
    public static Kind classify(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof InterruptedException) {
            return Kind.INTERRUPTED;
        }
        if (t instanceof AwsServiceException) {
            AwsServiceException e = (AwsServiceException) t;
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("ResourceNotFoundException".equals(code)) {
                return Kind.RESOURCE_NOT_FOUND;
            }
            if ("ResourceAlreadyExistsException".equals(code)) {
                return Kind.RESOURCE_ALREADY_EXISTS;
            }
            if (e.isThrottlingException() || (code != null && THROTTLING_CODES.contains(code)) || e.statusCode() == 429) {
                return Kind.THROTTLED;
            }
            if ((code != null && SERVER_CODES.contains(code)) || e.statusCode() >= 500) {
                return Kind.SERVER_ERROR;
            }
            if (code != null && INVALID_CODES.contains(code)) {
                return Kind.INVALID_REQUEST;
            }
            return Kind.FATAL; // AccessDenied, UnrecognizedClient, expired token, unknown 4xx
        }
        if (t instanceof SdkServiceException) {
            SdkServiceException e = (SdkServiceException) t;
            if (e.isThrottlingException() || e.statusCode() == 429) {
                return Kind.THROTTLED;
            }
            return e.statusCode() >= 500 ? Kind.SERVER_ERROR : Kind.FATAL;
        }
        if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
            return Kind.NETWORK;
        }
        if (t instanceof SdkClientException) {
            // The async client reports I/O failures (connection reset, closed channel, read timeout) as
            // SdkClientException with the I/O cause; configuration problems (no region, no credentials) carry
            // no I/O cause and are fatal.
            for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
                if (c instanceof IOException || c instanceof TimeoutException) {
                    return Kind.NETWORK;
                }
                if (c instanceof InterruptedException) {
                    return Kind.INTERRUPTED;
                }
            }
            String m = String.valueOf(t.getMessage()).toLowerCase();
            if (m.contains("unable to load credentials") || m.contains("unable to load region")) {
                return Kind.FATAL;
            }
            if (m.contains("connection") || m.contains("channel") || m.contains("timeout") || m.contains("timed out")
                    || m.contains("reset") || m.contains("closed")) {
                return Kind.NETWORK;
            }
            return Kind.FATAL;
        }
        if (t instanceof IOException || t instanceof TimeoutException) {
            return Kind.NETWORK;
        }
        return Kind.FATAL;
    }
}
