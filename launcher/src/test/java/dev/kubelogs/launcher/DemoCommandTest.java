package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.LogGroupInfo;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./pipeline demo}'s own choices: which parts it runs and which option combinations it refuses. The metrics
 * part is {@link DemoMetricsTest}'s, delivery failures and --resume {@link DemoDeliveryTest}'s, the work directory
 * {@link DemoWorkDirTest}'s, --logs {@link HostileNodeTreeTest}'s and a cluster run (--flink-rest) is in
 * {@code LocalFlinkClusterTest}.
 */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void withoutMetricsEveryLineArrivesOnceAndNoPrometheusGroupIsMade() {
        try (LocalCloudWatchLogs cw = LocalCloudWatchLogs.start(0, null)) {
            DemoRun run = DemoRun.run(
                    tmp.resolve("work"),
                    "--no-metrics",
                    "--cloudwatch-endpoint",
                    cw.endpoint().toString());

            assertThat(run.exit()).as(run.out()).isZero();
            assertThat(run.out())
                    .contains("Every generated line arrived exactly once")
                    .doesNotContain("prometheus");
            assertThat(cw.logGroups())
                    .extracting(LogGroupInfo::name)
                    .contains("/aws/containerinsights/demo/application", "/aws/containerinsights/demo/host")
                    .noneMatch(name -> name.endsWith("/prometheus"));
        }
    }

    @Test
    void noMetricsAndAPrometheusConfigExcludeEachOther() {
        DemoRun run = DemoRun.run(tmp.resolve("work"), "--no-metrics", "--prometheus-config", tmp.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--no-metrics and --prometheus-config exclude each other");
        assertThat(tmp.resolve("work"))
                .as("refused before the work dir was made")
                .doesNotExist();
    }
}
