package dev.kubelogs.job.sink.cloudwatch.lean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier.Kind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ServiceUnavailableException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ThrottlingException;

/** The answer's parts the endpoint's tests do not reach: the protocol's variants and answers from outside it. */
class PutLogEventsAnswerTest {
    private static SdkHttpResponse status(int code) {
        return SdkHttpResponse.builder()
                .statusCode(code)
                .putHeader("x-amzn-RequestId", "req-1")
                .build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static AwsServiceException failure(SdkHttpResponse http, String content) {
        try {
            PutLogEventsAnswer.read(http, utf8(content));
        } catch (AwsServiceException e) {
            return e;
        }
        throw new AssertionError("read as a success");
    }

    @Test
    void aSuccessWithoutRejectionsHasNone() {
        PutLogEventsResponse r = PutLogEventsAnswer.read(status(200), utf8("{\"nextSequenceToken\":\"49\"}"));
        assertThat(r.rejectedLogEventsInfo()).isNull();
        assertThat(r.nextSequenceToken()).isEqualTo("49");
        assertThat(PutLogEventsAnswer.read(status(200), new byte[0]).rejectedLogEventsInfo())
                .isNull();
    }

    @Test
    void readsEveryRejectedRange() {
        PutLogEventsResponse r = PutLogEventsAnswer.read(
                status(200),
                utf8("{\"rejectedLogEventsInfo\":{\"tooNewLogEventStartIndex\":7,"
                        + "\"tooOldLogEventEndIndex\":2,\"expiredLogEventEndIndex\":1},\"rejectedEntityInfo\":{}}"));
        assertThat(r.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isEqualTo(7);
        assertThat(r.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(2);
        assertThat(r.rejectedLogEventsInfo().expiredLogEventEndIndex()).isEqualTo(1);
    }

    @Test
    void theErrorTypeHeaderComesBeforeTheBodysTypeAsInTheSdk() {
        SdkHttpResponse http = status(400).toBuilder()
                .putHeader("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/")
                .build();
        AwsServiceException e = failure(http, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"m\"}");
        assertThat(e).isInstanceOf(ThrottlingException.class);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
        assertThat(e.isThrottlingException()).isTrue();
        assertThat(CloudWatchLogsExceptionClassifier.classify(e)).isEqualTo(Kind.THROTTLED);
    }

    @Test
    void aNamespacedTypeIsCutAtItsHashAndTheMessageMayBeCapitalized() {
        AwsServiceException e = failure(
                status(400), "{\"__type\":\"com.amazonaws.logs#ResourceNotFoundException\",\"Message\":\"gone\"}");
        assertThat(e).isInstanceOf(ResourceNotFoundException.class);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("gone");
        assertThat(e.requestId()).isEqualTo("req-1");
        assertThat(e.statusCode()).isEqualTo(400);
    }

    @Test
    void anAnswerFromOutsideTheProtocolIsClassifiedByItsStatus() {
        AwsServiceException gateway = failure(status(502), "<html>Bad Gateway</html>");
        assertThat(gateway).isExactlyInstanceOf(CloudWatchLogsException.class);
        assertThat(CloudWatchLogsExceptionClassifier.classify(gateway)).isEqualTo(Kind.SERVER_ERROR);
        AwsServiceException tooMany = failure(status(429), "");
        assertThat(CloudWatchLogsExceptionClassifier.classify(tooMany)).isEqualTo(Kind.THROTTLED);
        AwsServiceException forbidden = failure(status(403), "{}");
        assertThat(CloudWatchLogsExceptionClassifier.classify(forbidden)).isEqualTo(Kind.FATAL);
    }

    @Test
    void aModeledServerErrorKeepsItsClass() {
        assertThatThrownBy(() -> PutLogEventsAnswer.read(
                        status(503), utf8("{\"__type\":\"ServiceUnavailableException\",\"message\":\"busy\"}")))
                .isInstanceOf(ServiceUnavailableException.class)
                .satisfies(e -> assertThat(CloudWatchLogsExceptionClassifier.classify(e))
                        .isEqualTo(Kind.SERVER_ERROR));
    }
}
