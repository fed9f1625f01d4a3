package dev.kubelogs.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * High availability for a bench job on a MiniCluster, writing where the deployment's does. The FlinkDeployment runs
 * Kubernetes HA, which needs an API server; ZooKeeper HA (an embedded server) stands in for it. Both keep only
 * pointers in their coordination store and write the same files to {@code high-availability.storageDir} through the
 * same storage helper (a copy of every completed checkpoint, later deleted; the job graph), so the S3 requests
 * counted under the storage directory are the ones a deployment pays for.
 */
final class HaStandIn implements AutoCloseable {
    private final ZooKeeperServerEmbedded server;
    private final int port;
    private final Path dir;

    private HaStandIn(ZooKeeperServerEmbedded server, int port, Path dir) {
        this.server = server;
        this.port = port;
        this.dir = dir;
    }

    /**
     * Starts ZooKeeper on a free loopback port, its data in a temporary directory of its own (the bench's work
     * directory is cleaned when a run starts), without its admin server (it would take port 8080).
     */
    static HaStandIn start() throws Exception {
        System.setProperty("zookeeper.admin.enableServer", "false");
        Path dir = Files.createTempDirectory("kubelogs-bench-zookeeper");
        int port = freePort();
        Properties config = new Properties();
        config.setProperty("clientPort", Integer.toString(port));
        config.setProperty("clientPortAddress", "127.0.0.1");
        config.setProperty("tickTime", "1000");
        config.setProperty("maxClientCnxns", "0");
        config.setProperty("admin.enableServer", "false");
        ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                .baseDir(dir)
                .configuration(config)
                .exitHandler(ExitHandler.LOG_ONLY)
                .build();
        server.start();
        return new HaStandIn(server, port, dir);
    }

    /** The Flink settings for ZooKeeper HA with the deployment's storage directory. */
    Map<String, String> flinkConfig(String storageDir) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("high-availability.type", "zookeeper");
        conf.put("high-availability.zookeeper.quorum", "127.0.0.1:" + port);
        conf.put("high-availability.storageDir", storageDir);
        conf.put("high-availability.cluster-id", "/kubelogs-bench");
        return conf;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Dirs.deleteRecursively(dir);
    }
}
