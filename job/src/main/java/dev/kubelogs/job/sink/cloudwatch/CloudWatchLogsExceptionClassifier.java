package dev.kubelogs.job.sink.cloudwatch;

import java.io.IOException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.flink.connector.base.sink.throwable.FatalExceptionClassifier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Sorts a failed CloudWatch Logs call into what the sink must do next. The key question for PutLogEvents is
 * whether the events may have been stored anyway ({@link Kind#isAmbiguous()}): then the next step is a
 * read-back, never a blind resend.
 *
 * <p>Before that, {@link #unhealable} asks a chain of {@link FatalExceptionClassifier} rules (as the AWS
 * connectors do) whether retrying can heal the failure at all: refused permissions, credentials or signatures,
 * a KMS key CloudWatch may not use, a host name that never resolved, a name CloudWatch refuses. Those end the
 * job at once, without restarts, with one line saying what to check ({@link CloudWatchLogsFatalException}).
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
            "ThrottlingException",
            "Throttling",
            "ThrottledException",
            "TooManyRequestsException",
            "RequestLimitExceeded",
            "RequestThrottled",
            "RequestThrottledException",
            "SlowDown",
            "ProvisionedThroughputExceededException",
            "TransactionInProgressException",
            "PriorRequestNotComplete",
            "EC2ThrottledException",
            "BandwidthLimitExceeded");

    private static final Set<String> SERVER_CODES = Set.of(
            "ServiceUnavailableException",
            "ServiceUnavailable",
            "InternalFailure",
            "InternalServerError",
            "InternalError",
            "OperationAbortedException");

    private static final Set<String> INVALID_CODES = Set.of(
            "InvalidParameterException",
            "InvalidParameterValue",
            "InvalidParameterCombination",
            "MissingParameter",
            "ValidationException",
            "SerializationException",
            "InvalidSequenceTokenException",
            "DataAlreadyAcceptedException",
            "MalformedQueryException");

    private static final Set<String> CREDENTIAL_CODES = Set.of(
            "UnrecognizedClientException",
            "InvalidClientTokenId",
            "InvalidSignatureException",
            "SignatureDoesNotMatch",
            "IncompleteSignature",
            "IncompleteSignatureException",
            "MissingAuthenticationToken",
            "MissingAuthenticationTokenException",
            "ExpiredToken",
            "ExpiredTokenException",
            "InvalidAccessKeyId",
            "AuthFailure",
            "InvalidToken",
            "RequestExpired");

    private static final Set<String> ACCESS_CODES = Set.of(
            "AccessDeniedException", "AccessDenied", "NotAuthorized", "UnauthorizedOperation", "UnauthorizedException");

    private static final Set<String> NAMING_OPERATIONS = Set.of("CreateLogGroup", "CreateLogStream");

    /**
     * One CloudWatch Logs call, as the one-line message of an unhealable failure names it.
     *
     * @param logStream null for calls on a whole group
     * @param endpoint the endpoint override, null for the regional AWS endpoint
     * @param answeredBefore whether the endpoint has answered this client before: a host name that resolved once
     *     and fails now is a DNS hiccup (retried), one that never resolved is a wrong region or endpoint (fatal)
     */
    public record Call(
            String operation,
            String logGroup,
            String logStream,
            String region,
            String endpoint,
            boolean answeredBefore) {}

    private CloudWatchLogsExceptionClassifier() {}

    /**
     * The exception that ends the job if retrying {@code call} cannot heal {@code failure}; empty if it may heal
     * (or is not the kind {@link #classify} leaves to retries and policies). Rules, first match wins: KMS key,
     * credentials or signature, permissions, unresolvable host (only if never answered before), refused name.
     */
    public static Optional<CloudWatchLogsFatalException> unhealable(Throwable failure, Call call) {
        Throwable t = unwrap(failure);
        FatalExceptionClassifier chain = FatalExceptionClassifier.createChain(
                rule(
                        CloudWatchLogsExceptionClassifier::isKmsProblem,
                        call,
                        "check the log group's KMS key: it must " + "be enabled and its key policy must let logs."
                                + call.region() + ".amazonaws.com use it"),
                rule(
                        CloudWatchLogsExceptionClassifier::isCredentialProblem,
                        call,
                        "check the credentials the job "
                                + "runs with (on EKS the service account's eks.amazonaws.com/role-arn and its web-identity "
                                + "token, locally AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE) and the clock"),
                rule(
                        CloudWatchLogsExceptionClassifier::isAccessProblem,
                        call,
                        "check that the job's IAM role allows "
                                + "logs:" + call.operation() + " on arn:aws:logs:" + call.region()
                                + ":<account>:log-group:"
                                + call.logGroup() + ":*"),
                rule(
                        e -> !call.answeredBefore() && causeOfType(e, UnknownHostException.class),
                        call,
                        "the "
                                + "endpoint's host name does not resolve: check --region (" + call.region()
                                + ") and --cloudwatch-endpoint ("
                                + (call.endpoint() == null ? "not set: the regional AWS endpoint" : call.endpoint())
                                + ")"),
                rule(
                        e -> isNameProblem(e, call.operation()),
                        call,
                        "CloudWatch refuses the log group or stream "
                                + "name: check the names the job is configured to write (cluster name, group prefix)"));
        AtomicReference<Exception> fatal = new AtomicReference<>();
        chain.isFatal(t, fatal::set);
        return Optional.ofNullable((CloudWatchLogsFatalException) fatal.get());
    }

    private static FatalExceptionClassifier rule(Predicate<Throwable> matches, Call call, String check) {
        return new FatalExceptionClassifier(matches, e -> new CloudWatchLogsFatalException(oneLine(call, e, check), e));
    }

    /** "CloudWatch Logs PutLogEvents on log group g, stream s failed with CODE (HTTP n): text; CHECK; ..." */
    static String oneLine(Call call, Throwable e, String check) {
        StringBuilder b = new StringBuilder("CloudWatch Logs ")
                .append(call.operation())
                .append(" on log group ")
                .append(call.logGroup());
        if (call.logStream() != null) {
            b.append(", stream ").append(call.logStream());
        }
        b.append(" failed with ")
                .append(errorOf(e))
                .append("; ")
                .append(check)
                .append(". Retrying cannot fix this, so the job stops.");
        return b.toString().replaceAll("[\\r\\n]+", " ");
    }

    /** The error as the user can look it up: AWS error code, HTTP status and the service's message. */
    static String errorOf(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof AwsServiceException && ((AwsServiceException) t).awsErrorDetails() != null) {
            AwsServiceException e = (AwsServiceException) t;
            return e.awsErrorDetails().errorCode() + " (HTTP " + e.statusCode() + "): "
                    + e.awsErrorDetails().errorMessage();
        }
        if (t instanceof SdkServiceException) {
            return "HTTP " + ((SdkServiceException) t).statusCode() + ": " + t.getMessage();
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String errorCode(Throwable t) {
        return t instanceof AwsServiceException && ((AwsServiceException) t).awsErrorDetails() != null
                ? ((AwsServiceException) t).awsErrorDetails().errorCode()
                : null;
    }

    private static int status(Throwable t) {
        return t instanceof SdkServiceException ? ((SdkServiceException) t).statusCode() : 0;
    }

    private static String serviceMessage(Throwable t) {
        return t instanceof AwsServiceException && ((AwsServiceException) t).awsErrorDetails() != null
                ? String.valueOf(((AwsServiceException) t).awsErrorDetails().errorMessage())
                : "";
    }

    private static boolean isKmsProblem(Throwable t) {
        String code = errorCode(t);
        if (code == null) {
            return false;
        }
        return code.startsWith("KMS")
                || ((ACCESS_CODES.contains(code) || "InvalidParameterException".equals(code))
                        && serviceMessage(t).contains("KMS"));
    }

    private static boolean isCredentialProblem(Throwable t) {
        String code = errorCode(t);
        if ((code != null && CREDENTIAL_CODES.contains(code)) || status(t) == 401) {
            return true;
        }
        return t instanceof SdkClientException
                && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("unable to load credentials");
    }

    private static boolean isAccessProblem(Throwable t) {
        String code = errorCode(t);
        return (code != null && ACCESS_CODES.contains(code)) || status(t) == 403;
    }

    private static boolean isNameProblem(Throwable t, String operation) {
        if (!"InvalidParameterException".equals(errorCode(t))) {
            return false;
        }
        String m = serviceMessage(t);
        return NAMING_OPERATIONS.contains(operation) || m.contains("logGroupName") || m.contains("logStreamName");
    }

    private static boolean causeOfType(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

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
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("ResourceNotFoundException".equals(code)) {
                return Kind.RESOURCE_NOT_FOUND;
            }
            if ("ResourceAlreadyExistsException".equals(code)) {
                return Kind.RESOURCE_ALREADY_EXISTS;
            }
            if (e.isThrottlingException()
                    || (code != null && THROTTLING_CODES.contains(code))
                    || e.statusCode() == 429) {
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
            if (m.contains("connection")
                    || m.contains("channel")
                    || m.contains("timeout")
                    || m.contains("timed out")
                    || m.contains("reset")
                    || m.contains("closed")) {
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
