package dev.kubelogs.collector.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void aPickedPortLiesBelowTheEphemeralRangeAndAServerCanBindIt() throws Exception {
        int low = LoopbackPorts.ephemeralLow();
        for (int i = 0; i < 20; i++) {
            int port = LoopbackPorts.pick();
            assertThat(port).isGreaterThanOrEqualTo(LoopbackPorts.LOWEST).isLessThan(low);
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertThat(server.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void theEphemeralRangeIsTheKernelsWhereItSaysAndIanasElsewhere() throws Exception {
        if (Files.isReadable(LoopbackPorts.EPHEMERAL_RANGE)) {
            String range;
            try (java.io.InputStream in = new java.io.FileInputStream(LoopbackPorts.EPHEMERAL_RANGE.toFile())) {
                range = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
            }
            assertThat(LoopbackPorts.ephemeralLow()).isEqualTo(Integer.parseInt(range.split("\\s+")[0]));
        } else {
            assertThat(LoopbackPorts.ephemeralLow()).isEqualTo(LoopbackPorts.DEFAULT_EPHEMERAL_LOW);
        }
    }

    @Test
    void aRangeConfiguredToStartLowLeavesThePortsAboveThePrivilegedOnes() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(LoopbackPorts.pick(10000)).isBetween(1024, 9999);
        }
    }

    /** A range from the first unprivileged port on leaves no port below it: the kernel picks one, as bind(0) does. */
    @Test
    void aRangeWithNoRoomBelowItGetsTheKernelsChoice() throws Exception {
        for (int i = 0; i < 20; i++) {
            int port = LoopbackPorts.pick(1024);
            assertThat(port).isGreaterThanOrEqualTo(LoopbackPorts.ephemeralLow());
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    /**
     * Why the picker keeps out of the ephemeral range: a port that an outgoing connection took as its local port cannot
     * be bound by a server, not even with SO_REUSEADDR (which ZooKeeper and Flink set), and the kernel gives connections
     * exactly the ports that bind(0) hands out.
     */
    @Test
    void aConnectionsLocalPortIsNoPortForAServer() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket connection = new Socket(InetAddress.getLoopbackAddress(), peer.getLocalPort());
                ServerSocket server = new ServerSocket()) {
            int taken = connection.getLocalPort();
            assertThat(taken).isGreaterThanOrEqualTo(LoopbackPorts.ephemeralLow());
            server.setReuseAddress(true);
            assertThatThrownBy(() -> server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken)))
                    .isInstanceOf(java.net.BindException.class);
        }
    }

    @Test
    void aPortSomethingIsBoundToIsNeverPicked() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = held.getLocalPort();
            assertThatThrownBy(() -> LoopbackPorts.pick(port, port + 1))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("no free loopback port in " + port + ".." + port);
        }
    }
}
