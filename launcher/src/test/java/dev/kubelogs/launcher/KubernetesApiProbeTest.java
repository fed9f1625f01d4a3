package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kubelogs.job.metrics.config.KubernetesRole;
import dev.kubelogs.job.metrics.config.KubernetesSdConfig;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.StaticConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.scrape.ScrapeConfigs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo's check that the API servers of kubernetes_sd_configs answer, against loopback HTTP servers. */
class KubernetesApiProbeTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** An API server on a loopback port that answers every request with {@code status} and {@code body}. */
    private String apiServer(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A loopback address where nothing listens: a port just given back by the kernel. */
    private static String nobodyListening() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    private static ScrapeConfig job(String name, List<KubernetesSdConfig> sd) {
        return ScrapeConfigs.job(name)
                .staticConfigs(new StaticConfig(List.of("localhost:9100"), Labels.EMPTY))
                .kubernetesSdConfigs(sd)
                .build();
    }

    private static List<KubernetesSdConfig> pods(String apiServer) {
        return List.of(new KubernetesSdConfig(KubernetesRole.POD, List.of(), false, null, null, apiServer));
    }

    @Test
    void jobsWithoutKubernetesDiscoveryNeedNoServer() {
        assertThat(KubernetesApiProbe.firstUnreachable(List.of(job("static", null), job("empty", List.of()))))
                .isNull();
    }

    @Test
    void aServerThatAnswersItsVersionIsReachable() throws IOException {
        String url = apiServer(200, "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0\"}");

        assertThat(KubernetesApiProbe.firstUnreachable(List.of(job("pods", pods(url)))))
                .isNull();
    }

    @Test
    void aServerThatRefusesTheRequestStillAnswers() throws IOException {
        String url = apiServer(403, "{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":403}");

        assertThat(KubernetesApiProbe.firstUnreachable(List.of(job("pods", pods(url)))))
                .isNull();
    }

    @Test
    void noServerAtTheAddressNamesTheJobAndTheAddress() throws IOException {
        String url = nobodyListening();

        assertThat(KubernetesApiProbe.firstUnreachable(List.of(job("static", null), job("pods", pods(url)))))
                .startsWith(
                        "scrape job pods uses kubernetes_sd_configs, but no Kubernetes API server answers at " + url)
                .contains("(")
                .endsWith(")");
    }

    @Test
    void theFirstUnreachableJobIsReported() throws IOException {
        String good = apiServer(200, "{\"major\":\"1\",\"minor\":\"31\"}");
        String bad = nobodyListening();

        assertThat(KubernetesApiProbe.firstUnreachable(
                        List.of(job("ok", pods(good)), job("first-bad", pods(bad)), job("second-bad", pods(bad)))))
                .startsWith("scrape job first-bad ");
    }
}
