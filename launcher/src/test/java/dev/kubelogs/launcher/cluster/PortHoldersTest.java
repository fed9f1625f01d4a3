package dev.kubelogs.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubelogs.collector.local.LoopbackPorts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortHoldersTest {

    @Test
    void theSocketsOfATableAreThoseOnThePortWithTheirStateAndPeer() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:9C41 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0",
                "   1: 0100007F:9C41 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0 20 4 30 10 -1",
                "   2: 0100007F:9C42 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0 100 0 0 10 0",
                "   3: 0100007F:9C41 0100007F:1F91 06 00000000:00000000 03:00000F8B 00000000     0        0 0 3");
        assertThat(PortHolders.sockets(table, 0x9C41))
                .containsExactly(
                        new PortHolders.Socket(4242, "LISTEN", "0.0.0.0:0"),
                        new PortHolders.Socket(4343, "ESTABLISHED", "127.0.0.1:8080"),
                        new PortHolders.Socket(0, "TIME_WAIT", "127.0.0.1:8081"));
    }

    @Test
    void anIpv6TableIsReadTooWithItsIpv4PeersAsSuch() {
        List<String> table = List.of(
                "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 00000000000000000000000001000000:9C41 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 77 1 0 100 0 0 10 0",
                "   1: 0000000000000000FFFF00000100007F:9C41 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 78 1 0 20 4 30 10 -1");
        assertThat(PortHolders.sockets(table, 0x9C41))
                .containsExactly(
                        new PortHolders.Socket(77, "LISTEN", "port 0"),
                        new PortHolders.Socket(78, "ESTABLISHED", "127.0.0.1:8080"));
    }

    @Test
    void aListenerOfThisProcessIsNamedByPidAndCommandLine() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "Linux only");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(PortHolders.describe(listener.getLocalPort()))
                    .startsWith("port " + listener.getLocalPort() + " is held by pid "
                            + ProcessHandle.current().pid() + " (")
                    .contains("java")
                    .endsWith(" listening");
        }
    }

    @Test
    void aConnectionHoldingThePortIsNamedWithItsPeer() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "Linux only");
        try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket connection = new Socket(InetAddress.getLoopbackAddress(), peer.getLocalPort())) {
            assertThat(PortHolders.describe(connection.getLocalPort()))
                    .contains("pid " + ProcessHandle.current().pid())
                    .contains("ESTABLISHED to 127.0.0.1:" + peer.getLocalPort());
        }
    }

    @Test
    void aFreePortIsHeldByNoProcess() throws Exception {
        int port = LoopbackPorts.pick();
        assertThat(PortHolders.describe(port)).isEqualTo("no process holds port " + port + " now");
    }

    @Test
    void aJvmsCommandLineIsShownWithoutItsClassPathAndShortened() {
        String zooKeeper = String.join(
                "\0",
                "/usr/bin/java",
                "-Xmx128m",
                "-cp",
                "/a.jar:/b.jar",
                "org.apache.zookeeper.server.ZooKeeperServerMain",
                "/state/zookeeper/zoo.cfg",
                "");
        assertThat(PortHolders.shown(zooKeeper))
                .isEqualTo("/usr/bin/java -Xmx128m -cp ... org.apache.zookeeper.server.ZooKeeperServerMain"
                        + " /state/zookeeper/zoo.cfg");
        assertThat(PortHolders.shown("x".repeat(500))).hasSize(243).endsWith("...");
    }
}
