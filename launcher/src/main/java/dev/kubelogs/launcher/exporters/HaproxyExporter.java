package dev.kubelogs.launcher.exporters;

import dev.kubelogs.collector.local.LocalProcess;
import dev.kubelogs.collector.local.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's haproxy serving a frontend that answers 200 itself, with its built-in Prometheus exporter on a second port
 * ({@code haproxy_frontend_http_requests_total{proxy="web"}} grows with every request to {@link #requestUri()}).
 */
public final class HaproxyExporter implements AutoCloseable {
    public static final String HAPROXY = "haproxy";

    private final LocalProcess haproxy;
    private final int webPort;
    private final int metricsPort;

    private HaproxyExporter(LocalProcess haproxy, int webPort, int metricsPort) {
        this.haproxy = haproxy;
        this.webPort = webPort;
        this.metricsPort = metricsPort;
    }

    public static boolean installed() {
        return LocalProcess.installed(HAPROXY);
    }

    public static HaproxyExporter start(Path dir) throws IOException {
        Files.createDirectories(dir);
        int webPort = LoopbackPorts.pick();
        int metricsPort = LoopbackPorts.pick();
        while (metricsPort == webPort) {
            metricsPort = LoopbackPorts.pick();
        }
        Path conf = dir.resolve("haproxy.cfg");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "global",
                        "  maxconn 256",
                        "defaults",
                        "  mode http",
                        "  timeout connect 5s",
                        "  timeout client 30s",
                        "  timeout server 30s",
                        "frontend web",
                        "  bind 127.0.0.1:" + webPort,
                        "  http-request return status 200 content-type text/plain string ok",
                        "frontend prometheus",
                        "  bind 127.0.0.1:" + metricsPort,
                        "  http-request use-service prometheus-exporter if { path /metrics }",
                        "  no log",
                        ""));
        String binary = Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : HAPROXY;
        LocalProcess haproxy =
                LocalProcess.start("haproxy", dir, metricsPort, List.of(binary, "-db", "-f", conf.toString()));
        return new HaproxyExporter(haproxy, webPort, metricsPort);
    }

    public String exporterAddress() {
        return "127.0.0.1:" + metricsPort;
    }

    public URI metricsUri() {
        return URI.create("http://" + exporterAddress() + "/metrics");
    }

    public URI requestUri() {
        return URI.create("http://127.0.0.1:" + webPort + "/");
    }

    @Override
    public void close() {
        haproxy.close();
    }

    @Override
    public String toString() {
        return haproxy.toString();
    }
}
