package dev.kubelogs.collector.testing;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A local HTTPS server answering GET /pods like a kubelet, with a self-signed certificate made by keytool. */
public final class FakeKubelet implements AutoCloseable {
    public final Path caFile;
    public final Path tokenFile;
    public volatile String expectedToken = "test-token";
    public volatile String podsJson = "{\"kind\":\"PodList\",\"items\":[]}";
    public volatile int status = 200;
    /** While set, requests hang until released (timeouts). */
    public volatile CountDownLatch hang;

    public final AtomicInteger requests = new AtomicInteger();
    private final HttpsServer server;

    /** A self-signed key pair (PKCS12) and its certificate (PEM), made by keytool. */
    public record Material(Path keyStore, Path certificate) {
        public static Material generate(Path dir) throws Exception {
            Files.createDirectories(dir);
            Path ks = dir.resolve("kubelet.p12");
            Path ca = dir.resolve("ca.crt");
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
                    "CN=ip-10-0-0-1.ec2.internal",
                    "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity",
                    "2",
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
            return new Material(ks, ca);
        }
    }

    public FakeKubelet(Path dir, Material material) throws Exception {
        Files.createDirectories(dir);
        Path ks = material.keyStore();
        caFile = material.certificate();
        tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "test-token\n");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/pods", ex -> {
            requests.incrementAndGet();
            try (ex) {
                CountDownLatch h = hang;
                if (h != null) {
                    try {
                        h.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                int code = status;
                String body = podsJson;
                if (!("Bearer " + expectedToken).equals(auth)) {
                    code = 401;
                    body = "Unauthorized";
                } else if (code != 200) {
                    body = "{\"message\":\"internal error\"}";
                }
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(code, b.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(b);
                }
            } catch (IOException e) {
                // client went away (timeout tests)
            }
        });
        server.start();
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        CountDownLatch h = hang;
        if (h != null) {
            h.countDown();
        }
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** A kubelet PodList item. */
    public static String pod(String ns, String name, String uid, String label, String... containers) {
        StringBuilder statuses = new StringBuilder();
        for (int i = 0; i < containers.length; i++) {
            if (i > 0) {
                statuses.append(',');
            }
            statuses.append("{\"name\":\"")
                    .append(containers[i])
                    .append("\",\"containerID\":\"containerd://")
                    .append(LogTree.containerId(i + name.length()))
                    .append("\",\"imageID\":\"docker.io/library/app@sha256:")
                    .append("ab".repeat(32))
                    .append("\",\"image\":\"docker.io/library/app:1.0\",\"ready\":true}");
        }
        return "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\",\"uid\":\"" + uid
                + "\",\"labels\":{\"app\":\""
                + label
                + "\"},\"annotations\":{\"fluentbit.io/exclude\":\"false\"}},\"spec\":{\"nodeName\":\"ip-10-0-0-1.ec2.internal\"},"
                + "\"status\":{\"podIP\":\"192.168.20.7\",\"containerStatuses\":[" + statuses + "],"
                + "\"initContainerStatuses\":[{\"name\":\"init\",\"containerID\":\"containerd://"
                + LogTree.containerId(99)
                + "\",\"imageID\":\"busybox@sha256:" + "cd".repeat(32) + "\",\"image\":\"busybox:1\"}]}}";
    }

    public static String list(String... pods) {
        return "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[" + String.join(",", pods)
                + "]}";
    }
}
