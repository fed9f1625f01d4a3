package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsExceptionClassifier;
import dev.kubelogs.job.sink.cloudwatch.DeliveryStatus;
import java.net.ConnectException;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

class DemoDeliveryWatchTest {
    private static final long NOW = 1_000_000;

    @Test
    void theStatusLineShowsWhatWaitsAndWhileFailingSinceWhenAndTheLastError() {
        DeliveryStatus failing = new DeliveryStatus(
                Instant.ofEpochMilli(NOW - 65_000),
                Instant.ofEpochMilli(NOW - 30_000),
                17,
                "PutLogEvents g/s: ConnectException: Connection refused",
                "NETWORK",
                1234);
        assertThat(DemoDeliveryWatch.statusLine(failing, NOW, 5000))
                .isEqualTo("1,234 events not yet stored | "
                        + "delivered 5,000 | last successful put 65 s ago | FAILING for 30 s (17 attempts): PutLogEvents g/s: "
                        + "ConnectException: Connection refused");
        DeliveryStatus fine = new DeliveryStatus(null, null, 0, null, null, 0);
        assertThat(DemoDeliveryWatch.statusLine(fine, NOW, -1))
                .isEqualTo("0 events not yet stored | last successful put none yet");
    }

    @Test
    void aJobFailureIsToldByTheSinksOneLineOrElseItsInnermostCause() {
        CloudWatchLogsException denied = (CloudWatchLogsException) CloudWatchLogsException.builder()
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("AccessDeniedException")
                        .errorMessage("no")
                        .build())
                .statusCode(400)
                .build();
        CloudWatchLogsExceptionClassifier.Call call =
                new CloudWatchLogsExceptionClassifier.Call("PutLogEvents", "g", "s", "us-west-2", null, true);
        Exception fatal =
                CloudWatchLogsExceptionClassifier.unhealable(denied, call).orElseThrow();
        assertThat(DemoDeliveryWatch.reasonOf(new ExecutionException(new RuntimeException("job failed", fatal))))
                .isEqualTo(fatal.getMessage())
                .startsWith("CloudWatch Logs PutLogEvents on log group g, stream s");
        assertThat(DemoDeliveryWatch.reasonOf(
                        new ExecutionException(new RuntimeException("x", new ConnectException("Connection refused")))))
                .isEqualTo("the job failed: java.net.ConnectException: Connection refused");
    }
}
