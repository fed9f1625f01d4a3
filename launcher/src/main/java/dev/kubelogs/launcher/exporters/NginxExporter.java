package dev.kubelogs.launcher.exporters;

import dev.kubelogs.collector.local.LocalProcess;
import dev.kubelogs.collector.local.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's nginx with its stub_status page, and Debian's {@code prometheus-nginx-exporter} reading it: a real
 * exporter whose counters ({@code nginx_http_requests_total}, {@code nginx_connections_accepted}) grow with every
 * request sent to {@link #requestUri()}.
 */
public final class NginxExporter implements AutoCloseable {
    public static final String NGINX = "nginx";
    public static final String EXPORTER = "prometheus-nginx-exporter";

    private final LocalProcess nginx;
    private final LocalProcess exporter;
    private final int nginxPort;
    private final int exporterPort;

    private NginxExporter(LocalProcess nginx, LocalProcess exporter, int nginxPort, int exporterPort) {
        this.nginx = nginx;
        this.exporter = exporter;
        this.nginxPort = nginxPort;
        this.exporterPort = exporterPort;
    }

    public static boolean installed() {
        return LocalProcess.installed(NGINX) && LocalProcess.installed(EXPORTER);
    }

    /** Starts both in {@code dir} (created), each on a free loopback port. */
    public static NginxExporter start(Path dir) throws IOException {
        Files.createDirectories(dir);
        int nginxPort = LoopbackPorts.pick();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "worker_processes 1;",
                        "error_log " + dir.resolve("nginx-error.log") + ";",
                        "pid " + dir.resolve("nginx.pid") + ";",
                        "events { worker_connections 256; }",
                        "http {",
                        "  access_log off;",
                        "  client_body_temp_path " + dir + ";",
                        "  proxy_temp_path " + dir + ";",
                        "  fastcgi_temp_path " + dir + ";",
                        "  uwsgi_temp_path " + dir + ";",
                        "  scgi_temp_path " + dir + ";",
                        "  server {",
                        "    listen 127.0.0.1:" + nginxPort + ";",
                        "    location = /stub_status { stub_status; }",
                        "    location / { return 200 'ok\\n'; }",
                        "  }",
                        "}",
                        ""));
        LocalProcess nginx = LocalProcess.start(
                "nginx",
                dir,
                nginxPort,
                List.of(binary(NGINX), "-p", dir.toString(), "-c", conf.toString(), "-g", "daemon off;"));
        try {
            int exporterPort = LoopbackPorts.pick();
            LocalProcess exporter = LocalProcess.start(
                    "nginx-exporter",
                    dir,
                    exporterPort,
                    List.of(
                            binary(EXPORTER),
                            "-nginx.scrape-uri",
                            "http://127.0.0.1:" + nginxPort + "/stub_status",
                            "-web.listen-address",
                            "127.0.0.1:" + exporterPort));
            return new NginxExporter(nginx, exporter, nginxPort, exporterPort);
        } catch (IOException e) {
            nginx.close();
            throw e;
        }
    }

    private static String binary(String program) {
        return Files.isExecutable(Path.of("/usr/sbin", program)) ? "/usr/sbin/" + program : program;
    }

    /** {@code host:port} of the exporter, as a static_configs target. */
    public String exporterAddress() {
        return "127.0.0.1:" + exporterPort;
    }

    public URI metricsUri() {
        return URI.create("http://" + exporterAddress() + "/metrics");
    }

    /** A page of nginx's: every request to it adds one to the exporter's request counter. */
    public URI requestUri() {
        return URI.create("http://127.0.0.1:" + nginxPort + "/");
    }

    /** nginx's stub_status page, which the exporter reads on every scrape (and counts as a request). */
    public URI stubStatusUri() {
        return URI.create("http://127.0.0.1:" + nginxPort + "/stub_status");
    }

    @Override
    public void close() {
        exporter.close();
        nginx.close();
    }

    @Override
    public String toString() {
        return nginx + " + " + exporter;
    }
}
