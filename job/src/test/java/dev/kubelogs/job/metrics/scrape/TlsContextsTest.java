package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.config.TlsConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsContextsTest {
    // made once: keytool takes seconds per certificate
    @TempDir
    static Path tempDir;

    private static TestCertificates server;
    private static TestCertificates client;

    @BeforeAll
    static void certificates() throws Exception {
        server = TestCertificates.create(tempDir, "server", "dns:metrics.example,ip:127.0.0.1");
        client = TestCertificates.create(tempDir, "client", "dns:client.example");
    }

    @Test
    void caFileTrustsTheServer() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.startTls(server.serverContext(), false, ok())) {
            assertThat(get(TlsContexts.create(tls(server.certPem, null, null, null, false)), endpoint))
                    .startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void withoutCaFileASelfSignedServerIsRefused() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.startTls(server.serverContext(), false, ok())) {
            SSLContext context = TlsContexts.create(TlsConfig.NONE);
            assertThatThrownBy(() -> get(context, endpoint)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void insecureSkipVerifyAcceptsAnyCertificate() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.startTls(server.serverContext(), false, ok())) {
            assertThat(get(TlsContexts.create(new TlsConfig(null, null, null, "other.example", true)), endpoint))
                    .startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void serverNameIsCheckedInsteadOfTheAddress() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.startTls(server.serverContext(), false, ok())) {
            assertThat(get(TlsContexts.create(tls(server.certPem, null, null, "metrics.example", false)), endpoint))
                    .startsWith("HTTP/1.1 200");
            SSLContext wrongName = TlsContexts.create(tls(server.certPem, null, null, "other.example", false));
            assertThatThrownBy(() -> get(wrongName, endpoint)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void clientCertificateIsPresented() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.startTls(server.serverContext(client), true, ok())) {
            SSLContext withCert = TlsContexts.create(tls(server.certPem, client.certPem, client.keyPem, null, false));
            assertThat(get(withCert, endpoint)).startsWith("HTTP/1.1 200");
            SSLContext withoutCert = TlsContexts.create(tls(server.certPem, null, null, null, false));
            assertThatThrownBy(() -> get(withoutCert, endpoint)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void certificateWithoutKeyOrKeyWithoutCertificateIsAnErrorNamingTheFile() throws Exception {
        assertThatThrownBy(() -> TlsContexts.create(tls(null, client.certPem, null, null, false)))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessage("tls_config.cert_file " + client.certPem + " is set without key_file");
        assertThatThrownBy(() -> TlsContexts.create(tls(null, null, client.keyPem, null, false)))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessage("tls_config.key_file " + client.keyPem + " is set without cert_file");
    }

    @Test
    void missingCaFileIsAnError() {
        Path missing = tempDir.resolve("absent.crt");
        assertThatThrownBy(() -> TlsContexts.create(tls(missing, null, null, null, false)))
                .hasMessageContaining("absent.crt");
    }

    private static TlsConfig tls(Path ca, Path cert, Path key, String serverName, boolean insecure) {
        return new TlsConfig(
                ca == null ? null : ca.toString(),
                cert == null ? null : cert.toString(),
                key == null ? null : key.toString(),
                serverName,
                insecure);
    }

    private static com.sun.net.httpserver.HttpHandler ok() {
        return MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "up 1\n");
    }

    /** The status line of a GET over a socket from {@code context}; the handshake checks what the context checks. */
    private static String get(SSLContext context, MetricsEndpoint endpoint) throws IOException {
        URI url = URI.create(endpoint.url());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            socket.getOutputStream()
                    .write(("GET " + url.getRawPath() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            if (status == null) {
                throw new IOException("the server closed the connection without a response");
            }
            return status;
        }
    }
}
