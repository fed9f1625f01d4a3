package dev.kubelogs.collector.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers that another process or thread binds later (the local Kinesis server, ZooKeeper, Flink's
 * REST endpoint, the exporters, the benchmarks' endpoints, the tests' servers and the ports they keep closed), taken
 * below the kernel's ephemeral port range. A port that {@code bind(0)} hands out lies inside that range, where the
 * kernel also picks the local port of every outgoing connection; between the pick and the server's bind (a JVM start:
 * seconds on a busy machine) any process's connection can take it, and the server exits with "Address already in use"
 * — a listening bind fails even with SO_REUSEADDR while a connection holds the port. Below the range only an explicit
 * bind can; and a client connecting to a closed port there is never given that port as its own and connected to
 * itself.
 */
public final class LoopbackPorts {
    static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** IANA's dynamic range, where Linux does not say (macOS uses it). */
    static final int DEFAULT_EPHEMERAL_LOW = 49152;
    /** Below: the well-known and the commonly configured ports (8080, 9092, 9249, ...). */
    static final int LOWEST = 20000;

    private static final int FIRST_UNPRIVILEGED = 1024;

    private static final int ATTEMPTS = 200;

    private LoopbackPorts() {}

    /** A loopback port below the ephemeral range that nothing is bound to right now. */
    public static int pick() throws IOException {
        return pick(ephemeralLow());
    }

    static int pick(int ephemeralLow) throws IOException {
        if (ephemeralLow < FIRST_UNPRIVILEGED + 1000) {
            // a range from (almost) the first unprivileged port on leaves none below it: the kernel's choice, as before
            try (ServerSocket any = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return any.getLocalPort();
            }
        }
        // a range configured to start lower still leaves the ports above the privileged ones
        int low = ephemeralLow > LOWEST + 1000 ? LOWEST : FIRST_UNPRIVILEGED;
        return pick(low, ephemeralLow);
    }

    /** A port in {@code [low, high)} that nothing is bound to right now. */
    static int pick(int low, int high) throws IOException {
        IOException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = ThreadLocalRandom.current().nextInt(low, high);
            try (ServerSocket probe = new ServerSocket()) {
                // as the server will bind it: a port left in TIME_WAIT by an earlier run is no obstacle to it either
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                last = taken;
            }
        }
        throw new IOException(
                "no free loopback port in " + low + ".." + (high - 1) + " after " + ATTEMPTS + " tries", last);
    }

    /** The lowest port of the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}). */
    static int ephemeralLow() {
        // read in one go: Files.readString asks the file's size, which a sysctl file gives as 0, and gets its first
        // byte
        try (BufferedReader in = Files.newBufferedReader(EPHEMERAL_RANGE, StandardCharsets.US_ASCII)) {
            return Integer.parseInt(in.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException notLinux) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }
}
