package dev.kubelogs.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JobCommandTest {
    @TempDir
    Path tmp;

    private JobCommand parse(String... args) {
        JobCommand job = new JobCommand();
        new CommandLine(job).parseArgs(args);
        return job;
    }

    @Test
    void aLocalRunsRestApiListensOnLoopbackOnly() throws Exception {
        Configuration conf = parse("--spool", tmp.toString()).flinkConfiguration();
        conf.set(RestOptions.BIND_PORT, "0");
        List<InetAddress> others = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .collect(Collectors.toList());
        assertThat(others).as("a non-loopback address to try the REST port on").isNotEmpty();

        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(1).build())) {
            cluster.start();
            int port = cluster.getRestAddress().get().getPort();
            assertThat(cluster.getRestAddress().get().getHost()).isEqualTo("127.0.0.1");
            connect(InetAddress.getLoopbackAddress(), port);
            for (InetAddress other : others) {
                assertThatThrownBy(() -> connect(other, port)).as(other.toString()).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void theRestApiListensElsewhereOnlyWhenAsked() {
        Configuration conf = parse("--spool", tmp.toString(), "--rest-bind-address", "0.0.0.0").flinkConfiguration();
        assertThat(conf.get(RestOptions.BIND_ADDRESS)).isEqualTo("0.0.0.0");
        assertThat(conf.get(RestOptions.ADDRESS)).isEqualTo("127.0.0.1");
    }

    @Test
    void optionsOutOfRangeAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> parse("--spool", "x", "--max-record-bytes", "-1").newJob())
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageStartingWith("--max-record-bytes");
        assertThatThrownBy(() -> parse("--spool", "x", "--checkpoint-interval", "0s").flinkConfiguration())
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageStartingWith("--checkpoint-interval");
        assertThatThrownBy(() -> parse("--spool", "x", "--dead-letter-group", "/g", "--dead-letter-dir", "d").newJob())
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("exclude each other");
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2_000);
        }
    }
}
