package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier.Call;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Optional;
import org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

/** One test per rule of the classifier: which failures end the job at once, and which are retried. */
class CloudWatchLogsExceptionClassifierTest {
    private static final Call PUT =
            new Call("PutLogEvents", "/aws/containerinsights/c/application", "node-1", "eu-west-1", null, true);
    private static final Call PUT_NEVER_ANSWERED =
            new Call("PutLogEvents", "/aws/containerinsights/c/application", "node-1", "eu-wset-1", null, false);

    private static CloudWatchLogsException aws(String code, int status, String message) {
        return (CloudWatchLogsException) CloudWatchLogsException.builder()
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .build())
                .statusCode(status)
                .message(message)
                .build();
    }

    private static String fatalLine(Throwable t, Call call) {
        Optional<CloudWatchLogsFatalException> f = CloudWatchLogsExceptionClassifier.unhealable(t, call);
        assertThat(f).as("unhealable: " + t).isPresent();
        assertThat(f.get().getMessage()).doesNotContain("\n").doesNotContain("\r");
        return f.get().getMessage();
    }

    private static void healable(Throwable t, Call call) {
        assertThat(CloudWatchLogsExceptionClassifier.unhealable(t, call))
                .as("healable: " + t)
                .isEmpty();
    }

    @Test
    void accessDeniedEndsTheJobNamingOperationGroupStreamCodeAndTheIamPermission() {
        String line = fatalLine(
                aws(
                        "AccessDeniedException",
                        400,
                        "User: arn:aws:sts::1:assumed-role/r/i is not " + "authorized to perform: logs:PutLogEvents"),
                PUT);
        assertThat(line)
                .startsWith("CloudWatch Logs PutLogEvents on log group /aws/containerinsights/c/application, "
                        + "stream node-1 failed with AccessDeniedException (HTTP 400): User: arn:aws:sts::1")
                .contains("check that the job's IAM role allows logs:PutLogEvents on "
                        + "arn:aws:logs:eu-west-1:<account>:log-group:/aws/containerinsights/c/application:*")
                .endsWith("Retrying cannot fix this, so the job stops.");
        assertThat(fatalLine(aws("Forbidden", 403, "nope"), PUT)).contains("Forbidden (HTTP 403)", "IAM role");
    }

    @Test
    void refusedCredentialsOrSignaturesEndTheJobPointingAtTheCredentials() {
        for (String code : new String[] {
            "UnrecognizedClientException",
            "InvalidSignatureException",
            "ExpiredTokenException",
            "IncompleteSignatureException",
            "MissingAuthenticationTokenException"
        }) {
            assertThat(fatalLine(aws(code, 400, "The security token included in the request is invalid."), PUT))
                    .contains(code + " (HTTP 400)", "check the credentials the job runs with");
        }
        assertThat(fatalLine(aws("Whatever", 401, "unauthorized"), PUT)).contains("check the credentials");
        assertThat(fatalLine(
                        SdkClientException.create(
                                "Unable to load credentials from any of the providers in " + "the chain"),
                        PUT))
                .contains("SdkClientException: Unable to load credentials", "check the credentials");
    }

    @Test
    void kmsProblemsEndTheJobPointingAtTheKeyPolicyBeforeThePermissionRule() {
        assertThat(fatalLine(aws("KMSInvalidStateException", 400, "key is disabled"), PUT))
                .contains("KMSInvalidStateException", "check the log group's KMS key", "logs.eu-west-1.amazonaws.com");
        assertThat(fatalLine(aws("AccessDeniedException", 400, "The KMS key is not allowed to be used"), PUT))
                .contains("check the log group's KMS key")
                .doesNotContain("IAM role");
    }

    @Test
    void anUnknownHostEndsTheJobOnlyIfTheEndpointNeverAnswered() {
        SdkClientException dns = SdkClientException.create(
                "Unable to execute HTTP request: logs.eu-wset-1.amazonaws.com",
                new IOException("connect failed", new UnknownHostException("logs.eu-wset-1.amazonaws.com")));
        assertThat(fatalLine(dns, PUT_NEVER_ANSWERED))
                .contains(
                        "UnknownHostException: logs.eu-wset-1.amazonaws.com",
                        "check --region (eu-wset-1) and --cloudwatch-endpoint (not set: the regional AWS endpoint)");
        // once it answered, a failing lookup is a DNS hiccup: retried as a network error
        healable(dns, PUT);
        assertThat(CloudWatchLogsExceptionClassifier.classify(dns)).isEqualTo(Kind.NETWORK);
    }

    @Test
    void aNameCloudWatchRefusesEndsTheJobButABadBatchIsLeftToTheInvalidBatchPolicy() {
        Call create = new Call("CreateLogGroup", "aws/nope", null, "eu-west-1", "http://127.0.0.1:4566", true);
        assertThat(fatalLine(
                        aws(
                                "InvalidParameterException",
                                400,
                                "1 validation error detected: Value 'aws/nope' at "
                                        + "'logGroupName' failed to satisfy constraint"),
                        create))
                .startsWith("CloudWatch Logs CreateLogGroup on log group aws/nope failed with "
                        + "InvalidParameterException")
                .contains("CloudWatch refuses the log group or stream name");
        CloudWatchLogsException span = aws(
                "InvalidParameterException",
                400,
                "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        healable(span, PUT);
        assertThat(CloudWatchLogsExceptionClassifier.classify(span)).isEqualTo(Kind.INVALID_REQUEST);
    }

    @Test
    void failuresThatMayHealAreNotFatal() {
        healable(aws("ThrottlingException", 400, "Rate exceeded"), PUT);
        healable(aws("ServiceUnavailableException", 503, "try later"), PUT);
        healable(aws("InternalFailure", 500, "oops"), PUT);
        healable(
                SdkClientException.create(
                        "Unable to execute HTTP request: Connection refused",
                        new ConnectException("Connection refused")),
                PUT_NEVER_ANSWERED);
        healable(ApiCallTimeoutException.create(10_000), PUT_NEVER_ANSWERED);
        healable(aws("ResourceNotFoundException", 400, "The specified log group does not exist."), PUT);
        assertThat(CloudWatchLogsExceptionClassifier.classify(new ConnectException("Connection refused")))
                .isEqualTo(Kind.NETWORK);
    }

    @Test
    void flinkTreatsTheFatalExceptionAsNotRecoverableAnywhereInTheCauseChain() {
        CloudWatchLogsFatalException fatal = CloudWatchLogsExceptionClassifier.unhealable(
                        aws("AccessDeniedException", 403, "denied"), PUT)
                .orElseThrow();
        assertThat(ExecutionFailureHandler.isUnrecoverableError(fatal)).isTrue();
        assertThat(ExecutionFailureHandler.isUnrecoverableError(new IllegalStateException("Failed to commit", fatal)))
                .isTrue();
        assertThat(ExecutionFailureHandler.isUnrecoverableError(
                        new DeliveryException("budget spent", aws("ServiceUnavailableException", 503, "x"))))
                .isFalse();
        assertThat(fatal).hasMessage(fatal.getMessage()).hasCauseInstanceOf(CloudWatchLogsException.class);
    }
}
