package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.local.LoopbackPorts;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 6 through {@code ./pipeline demo} itself: a CloudWatch failure stops the demo with one line and a
 * non-zero exit instead of a silent wait, says what is kept, and {@code --resume} with the same work dir delivers
 * every line exactly once.
 */
class DemoDeliveryTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void accessDeniedStopsTheDemoWithOneLineAndResumeDeliversEverythingOnce() {
        try (LocalCloudWatchLogs cw = LocalCloudWatchLogs.start(0, null)) {
            cw.faults().accessDenied("PutLogEvents", 1_000_000);
            DemoRun first = DemoRun.run(
                    tmp.resolve("work"), "--cloudwatch-endpoint", cw.endpoint().toString(), "--give-up-after", "2min");

            assertThat(first.exit()).isEqualTo(DemoCommand.DELIVERY_STOPPED);
            assertThat(first.out())
                    .contains(
                            "Delivery stopped: CloudWatch Logs PutLogEvents on log group "
                                    + "/aws/containerinsights/demo/",
                            "failed with AccessDeniedException (HTTP 400)",
                            "check that the job's IAM role allows logs:PutLogEvents",
                            "Nothing is lost: the spool",
                            "--resume");
            assertThat(cw.eventCount()).isZero();

            cw.faults().clear();
            DemoRun second = DemoRun.run(
                    tmp.resolve("work"), "--cloudwatch-endpoint", cw.endpoint().toString(), "--resume");
            assertThat(second.exit()).as(second.out()).isZero();
            assertThat(second.out()).contains("Resuming", "Every generated line arrived exactly once");
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void nothingListeningIsShownWhileWaitingTheDemoGivesUpAtItsBoundAndResumeDeliversEverythingOnce() throws Exception {
        int port = LoopbackPorts.pick(); // nothing listens there
        DemoRun first = DemoRun.run(
                tmp.resolve("work"), "--cloudwatch-endpoint", "http://127.0.0.1:" + port, "--give-up-after", "30s");

        assertThat(first.exit()).isEqualTo(DemoCommand.DELIVERY_STOPPED);
        assertThat(first.out())
                .contains(
                        "Gives up after 30 s without a successful put (--give-up-after)",
                        "FAILING for",
                        "Connection refused",
                        "events not yet stored",
                        "Delivery stopped: no successful put for",
                        "Nothing is lost: the spool",
                        "--resume");

        try (LocalCloudWatchLogs cw = LocalCloudWatchLogs.start(0, null)) {
            DemoRun second = DemoRun.run(
                    tmp.resolve("work"), "--cloudwatch-endpoint", cw.endpoint().toString(), "--resume");
            assertThat(second.exit()).as(second.out()).isZero();
            assertThat(second.out()).contains("restoring from", "Every generated line arrived exactly once");
            DemoRun third = DemoRun.run(
                    tmp.resolve("work"), "--cloudwatch-endpoint", cw.endpoint().toString(), "--resume");
            assertThat(third.exit()).isZero();
            assertThat(third.out())
                    .contains("delivered everything already", "Every generated line arrived exactly once");
        }
    }
}
