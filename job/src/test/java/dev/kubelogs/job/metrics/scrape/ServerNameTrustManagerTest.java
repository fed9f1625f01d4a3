package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerNameTrustManagerTest {
    @TempDir
    Path tempDir;

    @Test
    void exactAndCaseInsensitiveDnsNames() throws Exception {
        X509Certificate cert = cert("svc", "dns:Metrics.Example");
        assertThat(ServerNameTrustManager.matches(cert, "metrics.example")).isTrue();
        assertThat(ServerNameTrustManager.matches(cert, "other.example")).isFalse();
        assertThat(ServerNameTrustManager.matches(cert, "metrics.example.org")).isFalse();
    }

    @Test
    void wildcardStandsForExactlyOneLeftmostLabel() throws Exception {
        X509Certificate cert = cert("wild", "dns:*.svc.example");
        assertThat(ServerNameTrustManager.matches(cert, "pods.svc.example")).isTrue();
        assertThat(ServerNameTrustManager.matches(cert, "svc.example")).isFalse();
        assertThat(ServerNameTrustManager.matches(cert, "a.b.svc.example")).isFalse();
        assertThat(ServerNameTrustManager.matches(cert, ".svc.example")).isFalse();
    }

    @Test
    void commonNameDoesNotCount() throws Exception {
        // as Go: only the subject alternative names are checked
        X509Certificate cert = cert("metrics.example", "dns:other.example");
        assertThat(ServerNameTrustManager.matches(cert, "metrics.example")).isFalse();
    }

    @Test
    void ipLiteralsMatchIpNamesOnly() throws Exception {
        X509Certificate cert = cert("ip", "ip:10.0.0.7,ip:::1,dns:10.0.0.8");
        assertThat(ServerNameTrustManager.matches(cert, "10.0.0.7")).isTrue();
        assertThat(ServerNameTrustManager.matches(cert, "0:0:0:0:0:0:0:1")).isTrue();
        assertThat(ServerNameTrustManager.matches(cert, "10.0.0.8")).isFalse(); // a DNS name is no IP address
        assertThat(ServerNameTrustManager.matches(cert, "10.0.0.9")).isFalse();
        assertThat(ServerNameTrustManager.isIpLiteral("10.0.0.7")).isTrue();
        assertThat(ServerNameTrustManager.isIpLiteral("fe80::1")).isTrue();
        assertThat(ServerNameTrustManager.isIpLiteral("metrics.example")).isFalse();
    }

    @Test
    void chainIsCheckedBeforeTheName() throws Exception {
        TestCertificates trusted = TestCertificates.create(tempDir, "trusted", "dns:metrics.example");
        TestCertificates stranger = TestCertificates.create(tempDir, "stranger", "dns:metrics.example");
        X509ExtendedTrustManager chainCheck =
                trusting(PemFiles.certificates(trusted.certPem).get(0));

        new ServerNameTrustManager(chainCheck, "METRICS.example").checkServerTrusted(chain(trusted), "EC");

        ServerNameTrustManager otherName = new ServerNameTrustManager(chainCheck, "other.example");
        assertThatThrownBy(() -> otherName.checkServerTrusted(chain(trusted), "EC"))
                .isInstanceOf(CertificateException.class)
                .hasMessage("the server's certificate is not valid for server_name other.example");

        ServerNameTrustManager rightName = new ServerNameTrustManager(chainCheck, "metrics.example");
        assertThatThrownBy(() -> rightName.checkServerTrusted(chain(stranger), "EC"))
                .isInstanceOf(CertificateException.class)
                .hasMessageNotContaining("server_name");
    }

    private X509Certificate cert(String name, String sans) throws Exception {
        return PemFiles.certificates(TestCertificates.create(tempDir, name, sans).certPem)
                .get(0);
    }

    private static X509Certificate[] chain(TestCertificates c) throws Exception {
        return PemFiles.certificates(c.certPem).toArray(new X509Certificate[0]);
    }

    private static X509ExtendedTrustManager trusting(X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
    }
}
