package dev.kubelogs.bench;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A node's kubelet as far as the collector is concerned: {@code GET /pods} over HTTPS (self-signed certificate made
 * with keytool, bearer token checked) answering the generated node's pods, so the collector announces them and the job
 * enriches application lines with the real kubernetes block, as on EKS.
 */
public final class FakeKubelet implements AutoCloseable {
    private final HttpsServer server;
    private final ExecutorService executor;
    private final Path tokenFile;
    private final Path caFile;

    /** Key material shared by all kubelets of a run. */
    public record Material(Path keyStore, Path certificate, Path tokenFile) {
        public static Material generate(Path dir) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            Path ks = dir.resolve("kubelet.p12");
            Path ca = dir.resolve("ca.crt");
            Path token = dir.resolve("token");
            if (!Files.exists(ks) || !Files.exists(ca)) {
                Files.deleteIfExists(ks);
                String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool")
                        .toString();
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
                        "30",
                        "-keystore",
                        ks.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit"));
                run(List.of(
                        keytool,
                        "-exportcert",
                        "-rfc",
                        "-alias",
                        "kubelet",
                        "-keystore",
                        ks.toString(),
                        "-storepass",
                        "changeit",
                        "-file",
                        ca.toString()));
            }
            Files.writeString(token, "bench-token\n");
            return new Material(ks, ca, token);
        }

        private static void run(List<String> cmd) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        }
    }

    public FakeKubelet(Material m, String podsJson) throws Exception {
        this.tokenFile = m.tokenFile();
        this.caFile = m.certificate();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(m.keyStore())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-kubelet");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        byte[] body = podsJson.getBytes(StandardCharsets.UTF_8);
        server.createContext("/pods", ex -> {
            try (ex) {
                boolean ok = "Bearer bench-token".equals(ex.getRequestHeaders().getFirst("Authorization"));
                byte[] b = ok ? body : "Unauthorized".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(ok ? 200 : 401, b.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(b);
                }
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Path tokenFile() {
        return tokenFile;
    }

    public Path caFile() {
        return caFile;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
