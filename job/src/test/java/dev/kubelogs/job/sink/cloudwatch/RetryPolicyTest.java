package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier.Kind;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The classifier's fatal chain first, then the kinds, and one budget per batch. */
class RetryPolicyTest {
    @RegisterExtension
    static final LocalEndpointExtension LOCAL = new LocalEndpointExtension();

    @TempDir
    Path tmp;

    private static AwsServiceException error(String code, int status) {
        return AwsServiceException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(code + " (test)")
                        .build())
                .build();
    }

    private static SdkClientException unknownHost() {
        return SdkClientException.create("unable to execute", new UnknownHostException("logs.nowhere.invalid"));
    }

    @Test
    void aFailureRetryingCannotHealEndsTheJobWithOneLine() {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            assertThatThrownBy(() -> p.policy.classify(error("AccessDeniedException", 400), "PutLogEvents", "g", "s"))
                    .isInstanceOf(CloudWatchLogsFatalException.class)
                    .hasMessageContaining("logs:PutLogEvents")
                    .hasMessageContaining("AccessDeniedException");
            assertThat(p.health.lastErrorKind()).isEqualTo(Kind.FATAL.name());
        }
    }

    @Test
    void healableFailuresAreClassifiedForTheCaller() {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            assertThat(p.policy.classify(error("ThrottlingException", 400), "PutLogEvents", "g", "s"))
                    .isEqualTo(Kind.THROTTLED);
            assertThat(p.policy.classify(error("ServiceUnavailableException", 503), "PutLogEvents", "g", "s"))
                    .isEqualTo(Kind.SERVER_ERROR);
            assertThat(p.policy.classify(error("ResourceNotFoundException", 400), "PutLogEvents", "g", "s"))
                    .isEqualTo(Kind.RESOURCE_NOT_FOUND);
        }
    }

    @Test
    void aHostThatNeverAnsweredIsFatalOneThatAnsweredBeforeIsRetried() {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            assertThatThrownBy(() -> p.policy.classify(unknownHost(), "PutLogEvents", "g", "s"))
                    .isInstanceOf(CloudWatchLogsFatalException.class)
                    .hasMessageContaining("does not resolve");
            p.policy.answered();
            assertThat(p.policy.classify(unknownHost(), "PutLogEvents", "g", "s"))
                    .isEqualTo(Kind.NETWORK);
        }
    }

    @Test
    void anErrorAnswerCountsAsAnswered() {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            p.policy.classify(error("ThrottlingException", 400), "PutLogEvents", "g", "s");
            assertThat(p.policy.classify(unknownHost(), "PutLogEvents", "g", "s"))
                    .isEqualTo(Kind.NETWORK);
        }
    }

    @Test
    void oneBudgetPerBatchGivesUpAfterItsAttempts() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 3)) {
            RetryPolicy.Budget budget = p.policy.budget("batch of 1 events for g/s");
            budget.failedAndBackOff(error("ThrottlingException", 400), Kind.THROTTLED, "PutLogEvents g/s");
            budget.failedAndBackOff(error("ThrottlingException", 400), Kind.THROTTLED, "PutLogEvents g/s");
            assertThatThrownBy(() -> budget.failedAndBackOff(
                            error("ThrottlingException", 400), Kind.THROTTLED, "PutLogEvents g/s"))
                    .isInstanceOf(DeliveryException.class)
                    .hasMessageStartingWith("batch of 1 events for g/s: giving up after 3 failed calls");
            assertThat(p.metrics.retries()).isEqualTo(3);
            assertThat(p.health.failedAttempts()).isEqualTo(3);
            // a new batch starts with a full budget
            p.policy.budget("next").failedAndBackOff(error("ThrottlingException", 400), Kind.THROTTLED, "x");
        }
    }

    @Test
    void onlyTransientKindsAreBackedOffForReadsAndManagementCalls() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 10)) {
            RetryPolicy.Budget budget = p.policy.budget("b");
            assertThat(budget.backOffIfTransient(error("ThrottlingException", 400), Kind.THROTTLED, "c"))
                    .isTrue();
            assertThat(budget.backOffIfTransient(error("InternalFailure", 500), Kind.SERVER_ERROR, "c"))
                    .isTrue();
            assertThat(budget.backOffIfTransient(unknownHost(), Kind.NETWORK, "c"))
                    .isTrue();
            assertThat(budget.backOffIfTransient(error("InvalidParameterException", 400), Kind.INVALID_REQUEST, "c"))
                    .isFalse();
            assertThat(budget.backOffIfTransient(error("X", 400), Kind.RESOURCE_NOT_FOUND, "c"))
                    .isFalse();
            assertThat(budget.failures()).isEqualTo(3);
            assertThat(p.metrics.throttles()).isEqualTo(1);
        }
    }
}
