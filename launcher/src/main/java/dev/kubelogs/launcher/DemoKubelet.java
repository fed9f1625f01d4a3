package dev.kubelogs.launcher;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The demo's stand-in for a node's kubelet: {@code GET /pods} over HTTPS with a bearer token, answered from the
 * generated pods, so the real collector's kubelet poller runs and the job enriches like on EKS. The certificate
 * is self-signed by the JDK's keytool once per demo and handed to the collectors as their CA.
 */
final class DemoKubelet implements AutoCloseable {
    private static final String TOKEN = "demo-service-account-token";
    private static final String PASSWORD = "kubelogs-demo";

    private final HttpsServer server;
    private final Path caFile;
    private final Path tokenFile;

    /** @param dir shared by all demo kubelets: certificate, CA file and token live there */
    DemoKubelet(Path dir, Supplier<String> podList) throws IOException, GeneralSecurityException, InterruptedException {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve("kubelet.p12");
        caFile = dir.resolve("ca.crt");
        tokenFile = dir.resolve("token");
        if (!Files.exists(keyStore)) {
            generateCertificate(keyStore, caFile);
            Files.writeString(tokenFile, TOKEN + "\n");
        }
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls(keyStore)));
        server.createContext("/pods", exchange -> {
            try (exchange) {
                boolean authorized =
                        ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
                byte[] body = (authorized ? podList.get() : "Unauthorized").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(authorized ? 200 : 401, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    Path caFile() {
        return caFile;
    }

    Path tokenFile() {
        return tokenFile;
    }

    private static void generateCertificate(Path keyStore, Path caFile) throws IOException, InterruptedException {
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(
                keytool,
                "-genkeypair",
                "-alias",
                "kubelet",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD));
        run(List.of(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "kubelet",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                caFile.toString()));
    }

    private static SSLContext tls(Path keyStore) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        return tls;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
