package dev.kubelogs.collector.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The collector's container entry point as a JVM of its own, so that a test can kill it with SIGKILL. */
public final class CollectorJvm {
    private CollectorJvm() {}

    /**
     * Starts {@code CollectorCommand} for cluster {@code c}, node {@code n}, reading from head, without HTTP server
     * or kubelet, spooling under {@code work/spool} with its state in {@code work/state}; output to {@code log}.
     */
    public static Process start(Path work, LogTree tree, Path log, String... options) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-Xmx96m",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.kubelogs.collector.CollectorCommand",
                "--cluster=c",
                "--node=n",
                "--log-root=" + tree.root,
                "--spool-dir=" + work.resolve("spool"),
                "--state-dir=" + work.resolve("state"),
                "--read-from-head",
                "--http-server=false",
                "--kubelet=false"));
        cmd.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment()
                .keySet()
                .removeIf(k -> k.equals("CLUSTER_NAME") || k.equals("HOST_NAME") || k.equals("HTTP_SERVER"));
        return pb.start();
    }
}
