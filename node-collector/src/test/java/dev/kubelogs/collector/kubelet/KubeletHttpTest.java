package dev.kubelogs.collector.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kubelogs.collector.testing.FakeKubelet;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poller's HTTP/1.1 GET: Content-Length and chunked bodies, the bearer token, and the host name check. */
class KubeletHttpTest {
    @TempDir
    Path tmp;

    HttpsServer server;
    SSLSocketFactory trusting;
    final String big = "{\"items\":[" + "{\"metadata\":{\"name\":\"p\"}},".repeat(20_000) + "{}]}";

    SSLContext serverCtx;

    @BeforeEach
    void start() throws Exception {
        FakeKubelet.Material m = FakeKubelet.Material.generate(tmp.resolve("tls"));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(m.keyStore())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        serverCtx = SSLContext.getInstance("TLS");
        serverCtx.init(kmf.getKeyManagers(), null, null);
        startServer(0);
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(m.certificate())) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        trusting = ctx.getSocketFactory();
    }

    void startServer(int port) throws Exception {
        server = HttpsServer.create(
                new InetSocketAddress(port), 0); // all addresses: 127.0.0.2 is not in the certificate
        server.setHttpsConfigurator(new HttpsConfigurator(serverCtx));
        server.createContext("/len", ex -> {
            byte[] b = ("auth=" + ex.getRequestHeaders().getFirst("Authorization")).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(403, b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
        server.createContext("/chunked", ex -> {
            ex.sendResponseHeaders(200, 0); // no length: chunked, like the kubelet's large pod lists
            try (OutputStream os = ex.getResponseBody()) {
                byte[] b = big.getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < b.length; i += 7_000) {
                    os.write(b, i, Math.min(7_000, b.length - i));
                    os.flush();
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Test
    void readsChunkedAndSizedBodiesOverOneKeptConnection() throws Exception {
        try (KubeletHttp http = new KubeletHttp(trusting, "localhost", port(), true, 5_000)) {
            for (int i = 0; i < 3; i++) {
                try (KubeletHttp.Response r = http.get("/chunked", null)) {
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(new String(r.body().readAllBytes(), StandardCharsets.UTF_8))
                            .isEqualTo(big);
                }
                try (KubeletHttp.Response r = http.get("/len", "tok")) {
                    assertThat(r.status()).isEqualTo(403);
                    assertThat(new String(r.body().readAllBytes(), StandardCharsets.UTF_8))
                            .isEqualTo("auth=Bearer tok");
                }
            }
            assertThat(http.connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void aBodyLeftUnreadIsDrainedAndTheConnectionKept() throws Exception {
        try (KubeletHttp http = new KubeletHttp(trusting, "localhost", port(), true, 5_000)) {
            try (KubeletHttp.Response r = http.get("/len", "tok")) {
                assertThat(r.body().read()).isEqualTo('a');
            }
            try (KubeletHttp.Response r = http.get("/len", "tok")) {
                assertThat(new String(r.body().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("auth=Bearer tok");
            }
            assertThat(http.connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void aConnectionTheServerClosedIsReplacedWithoutAFailedRequest() throws Exception {
        try (KubeletHttp http = new KubeletHttp(trusting, "localhost", port(), true, 5_000)) {
            try (KubeletHttp.Response r = http.get("/len", null)) {
                r.body().readAllBytes();
            }
            // a new server on the same port: the kept connection is gone, as after the kubelet's idle timeout
            int port = port();
            server.stop(0);
            startServer(port);
            try (KubeletHttp.Response r = http.get("/len", "tok")) {
                assertThat(r.status()).isEqualTo(403);
                assertThat(new String(r.body().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("auth=Bearer tok");
            }
            assertThat(http.connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void checksTheHostNameOnlyWhenAsked() throws Exception {
        try (KubeletHttp checking = new KubeletHttp(trusting, "127.0.0.2", port(), true, 5_000)) {
            assertThatThrownBy(() -> checking.get("/len", null)).isInstanceOf(SSLHandshakeException.class);
        }
        try (KubeletHttp http = new KubeletHttp(trusting, "127.0.0.2", port(), false, 5_000);
                KubeletHttp.Response r = http.get("/len", null)) {
            assertThat(r.status()).isEqualTo(403);
        }
    }
}
