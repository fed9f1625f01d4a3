package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo kubelet over HTTPS, trusted through the CA file it hands the collectors, with their bearer token. */
class DemoKubeletTest {
    @TempDir
    Path tmp;

    private final AtomicInteger lists = new AtomicInteger();
    private DemoKubelet kubelet;

    @BeforeEach
    void start() throws Exception {
        kubelet =
                new DemoKubelet(tmp, () -> "{\"kind\":\"PodList\",\"items\":[],\"n\":" + lists.incrementAndGet() + "}");
    }

    @AfterEach
    void stop() {
        kubelet.close();
    }

    private static HttpClient trusting(Path caFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            trust.setCertificateEntry(
                    "kubelet", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).build();
    }

    private HttpResponse<String> get(DemoKubelet k, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + k.port() + "/pods"));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return trusting(k.caFile()).send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void podsAreListedFreshOnEveryRequestWithTheTokenItHandsOut() throws Exception {
        String token = Files.readString(kubelet.tokenFile()).strip();

        HttpResponse<String> first = get(kubelet, token);
        HttpResponse<String> second = get(kubelet, token);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(first.body()).isEqualTo("{\"kind\":\"PodList\",\"items\":[],\"n\":1}");
        assertThat(second.body()).endsWith("\"n\":2}");
    }

    @Test
    void aRequestWithoutTheTokenIsUnauthorizedAndListsNothing() throws Exception {
        assertThat(get(kubelet, null).statusCode()).isEqualTo(401);
        assertThat(get(kubelet, "other-token").statusCode()).isEqualTo(401);
        assertThat(lists).hasValue(0);
    }

    @Test
    void theDemosKubeletsShareOneCertificateAndToken() throws Exception {
        byte[] ca = Files.readAllBytes(kubelet.caFile());
        try (DemoKubelet second = new DemoKubelet(tmp, () -> "{}")) {
            assertThat(second.port()).isNotEqualTo(kubelet.port());
            assertThat(second.caFile()).isEqualTo(kubelet.caFile());
            assertThat(Files.readAllBytes(second.caFile())).isEqualTo(ca);
            String token = Files.readString(second.tokenFile()).strip();
            assertThat(get(second, token).body()).isEqualTo("{}");
        }
    }
}
