package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line: its options over the environment, and main() without arguments. */
class CollectorCommandTest {
    @Test
    void commandLineOptionsOverrideTheEnvironment() {
        CollectorCommand cmd = new CollectorCommand();
        new CommandLine(cmd)
                .parseArgs(
                        "--cluster=cli",
                        "--node=n1",
                        "--log-root=/tmp/logs",
                        "--read-from-head",
                        "--max-segment-bytes=1M",
                        "--max-segment-age=2s",
                        "--segment-roll-lead=200ms",
                        "--discovery-schedule-poll=5s",
                        "--exclude=containers/a*,containers/b*",
                        "--http-port=0",
                        "--kubelet=false",
                        "--node-attribute",
                        "az=z1",
                        "--host-logs=none");
        CollectorConfig c = cmd.buildConfig(Map.of("CLUSTER_NAME", "env", "HTTP_PORT", "2020"));
        assertThat(c.cluster()).isEqualTo("cli");
        assertThat(c.node()).isEqualTo("n1");
        assertThat(c.tail().logRoot()).isEqualTo(Path.of("/tmp/logs"));
        assertThat(c.tail().readFromHead()).isTrue();
        assertThat(c.spool().maxSegmentBytes()).isEqualTo(1 << 20);
        assertThat(c.spool().maxSegmentAge()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.schedule().rollLead()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.schedule().pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.tail().excludeGlobs()).containsExactly("containers/a*", "containers/b*");
        assertThat(c.http().port()).isZero();
        assertThat(c.kubelet().enabled()).isFalse();
        assertThat(c.nodeAttributes()).containsEntry("az", "z1");
        assertThat(c.hostLogs()).isEqualTo(HostLogsMode.NONE);
        assertThat(new CommandLine(new CollectorCommand()).getCommandName()).isEqualTo("collector");
        assertThat(new CommandLine(new CollectorCommand()).getUsageMessage())
                .contains("--read-from-head", "--seal-on-exit");
        assertThat(List.of(CollectorConfig.Key.values()))
                .extracting(Enum::name)
                .contains(
                        "CLUSTER_NAME",
                        "HOST_NAME",
                        "READ_FROM_HEAD",
                        "READ_FROM_TAIL",
                        "HTTP_SERVER",
                        "HTTP_PORT",
                        "LOG_ROOT",
                        "SPOOL_DIR",
                        "STATE_DIR",
                        "SPOOL_S3_URI",
                        "AWS_REGION",
                        "KUBELET_HOST",
                        "KUBELET_PORT",
                        "JOURNAL_DIR",
                        "HOST_LOGS");
    }

    /** main() without arguments skips picocli: that must be the same command as picocli parsing no arguments. */
    @Test
    void noArgumentsWithoutPicocliIsTheSameCommandAsPicocliWithNone() throws Exception {
        Map<String, String> env = Map.of(
                "CLUSTER_NAME",
                "c",
                "HOST_NAME",
                "n",
                "HTTP_PORT",
                "0",
                "READ_FROM_HEAD",
                "On",
                "NODE_ATTRIBUTES",
                "az=z1");
        CollectorCommand parsed = new CollectorCommand();
        new CommandLine(parsed).parseArgs();
        CollectorCommand plain = new CollectorCommand();
        for (java.lang.reflect.Field f : CollectorCommand.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(CommandLine.Option.class)) {
                f.setAccessible(true);
                assertThat(f.get(plain)).as(f.getName()).isEqualTo(f.get(parsed));
            }
        }
        assertThat(plain.buildConfig(env).toString())
                .isEqualTo(parsed.buildConfig(env).toString());
    }

    @Test
    void switchesOnTheCommandLineTakeOnOffLikeTheEnvironment() {
        Map<String, String> env = Map.of("CLUSTER_NAME", "c", "HOST_NAME", "n", "USE_KUBELET", "On");
        for (String off : List.of("Off", "off", "OFF", "false", "False", "no", "0")) {
            CollectorCommand cmd = new CollectorCommand();
            new CommandLine(cmd)
                    .parseArgs(
                            "--kubelet=" + off,
                            "--http-server=" + off,
                            "--read-from-head=" + off,
                            "--journal-read-from-tail=" + off);
            CollectorConfig c = cmd.buildConfig(env);
            assertThat(c.kubelet().enabled()).as(off).isFalse();
            assertThat(c.http().enabled()).as(off).isFalse();
            assertThat(c.tail().readFromHead()).as(off).isFalse();
            assertThat(c.journal().readFromTail()).as(off).isFalse();
        }
        for (String on : List.of("On", "on", "TRUE", "true", "yes", "1")) {
            CollectorCommand cmd = new CollectorCommand();
            new CommandLine(cmd).parseArgs("--kubelet=" + on, "--read-from-head=" + on);
            Map<String, String> kubeletOff = Map.of("CLUSTER_NAME", "c", "HOST_NAME", "n", "USE_KUBELET", "Off");
            assertThat(cmd.buildConfig(kubeletOff).kubelet().enabled()).as(on).isTrue();
            assertThat(cmd.buildConfig(env).tail().readFromHead()).as(on).isTrue();
        }
        CollectorCommand bare = new CollectorCommand();
        new CommandLine(bare).parseArgs("--kubelet", "--read-from-head");
        assertThat(bare.buildConfig(env).kubelet().enabled()).isTrue();
        assertThat(bare.buildConfig(env).tail().readFromHead()).isTrue();
        assertThatThrownBy(() -> new CommandLine(new CollectorCommand()).parseArgs("--kubelet=maybe"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--kubelet")
                .hasMessageContaining("'maybe' is not On or Off");
    }
}
