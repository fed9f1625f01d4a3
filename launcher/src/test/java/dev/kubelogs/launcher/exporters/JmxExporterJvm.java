package dev.kubelogs.launcher.exporters;

import dev.kubelogs.collector.local.LocalProcess;
import dev.kubelogs.collector.local.LoopbackPorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A JVM of its own running the Prometheus JMX exporter java agent (the jar is a test dependency), as Container
 * Insights' Java/JMX workload does: {@code -javaagent:jmx_prometheus_javaagent.jar=PORT:config.yaml}.
 */
public final class JmxExporterJvm implements AutoCloseable {
    private final LocalProcess jvm;
    private final int port;

    private JmxExporterJvm(LocalProcess jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    public static JmxExporterJvm start(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path config = Files.writeString(dir.resolve("jmx-exporter.yaml"), "{}\n");
        int port = LoopbackPorts.pick();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        LocalProcess jvm = LocalProcess.start(
                "jmx-exporter-jvm",
                dir,
                port,
                List.of(
                        java,
                        "-Xmx64m",
                        "-javaagent:" + agentJar() + "=127.0.0.1:" + port + ":" + config,
                        "-cp",
                        System.getProperty("java.class.path"),
                        IdleMain.class.getName()));
        return new JmxExporterJvm(jvm, port);
    }

    private static String agentJar() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.contains("jmx_prometheus_javaagent"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("jmx_prometheus_javaagent is not on the test classpath"));
    }

    public String exporterAddress() {
        return "127.0.0.1:" + port;
    }

    public URI metricsUri() {
        return URI.create("http://" + exporterAddress() + "/metrics");
    }

    @Override
    public void close() {
        jvm.close();
    }

    /** The exporter's host program: it waits until it is ended. */
    public static final class IdleMain {
        public static void main(String[] args) throws InterruptedException {
            Thread.currentThread().join();
        }
    }
}
