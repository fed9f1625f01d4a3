package dev.kubelogs.job.metrics.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed EC certificates made with the JDK's keytool, with their PEM files: the certificate (usable as a CA file)
 * and the PKCS#8 private key.
 */
final class TestCertificates {
    private static final String PASSWORD = "changeit";

    final Path keyStore;
    final Path certPem;
    final Path keyPem;

    private TestCertificates(Path keyStore, Path certPem, Path keyPem) {
        this.keyStore = keyStore;
        this.certPem = certPem;
        this.keyPem = keyPem;
    }

    /** A key pair and certificate for CN={@code name} with these subject alternative names (keytool's -ext SAN=). */
    static TestCertificates create(Path dir, String name, String subjectAltNames) throws Exception {
        Path store = dir.resolve(name + ".p12");
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=" + subjectAltNames,
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        Path cert = dir.resolve(name + ".crt");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                name,
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                cert.toString());
        KeyStore ks = load(store);
        PrivateKey key = (PrivateKey) ks.getKey(name, PASSWORD.toCharArray());
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(
                keyFile,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(key.getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        return new TestCertificates(store, cert, keyFile);
    }

    /** A server context presenting this certificate and trusting the certificates of {@code trustedClients}. */
    SSLContext serverContext(TestCertificates... trustedClients) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keyStore), PASSWORD.toCharArray());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (TestCertificates client : trustedClients) {
            for (Certificate c : java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(Files.newInputStream(client.certPem))) {
                trusted.setCertificateEntry("client" + trusted.size(), c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
