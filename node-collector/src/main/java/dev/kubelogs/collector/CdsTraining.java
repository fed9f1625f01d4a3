package dev.kubelogs.collector;

import dev.kubelogs.collector.local.LoopbackPorts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The training run of the collector image's class-data-sharing archive (docker/collector.Dockerfile runs it once at
 * image build time with {@code -XX:ArchiveClassesAtExit}; the ENTRYPOINT then starts with
 * {@code -XX:SharedArchiveFile}). It goes through what every start of the collector goes through, so those classes
 * come pre-parsed and pre-verified from the archive instead of being loaded from the jar: the command line and the
 * environment, recovery of an empty spool, discovery and tailing of Docker json-file and CRI container logs and a
 * host file, segments written and committed, a {@code /metrics} scrape and a {@code /healthz} probe, a kubelet poll
 * (TLS set up; the connection is refused, as nothing listens), and the SIGTERM drain with seal. Everything happens in
 * a temporary directory that is deleted afterwards; the run needs no network, no kubelet and no journal.
 *
 * <p>Only which classes get loaded matters, not how many lines: the archive holds no profile or compiled code.
 */
public final class CdsTraining {
    static final int LINES_PER_FILE = 2_000;

    private CdsTraining() {}

    public static void main(String[] args) throws Exception {
        CollectorCommand.useImageLogging("warn");
        Path dir = Files.createTempDirectory("kubelogs-cds-training");
        try {
            run(dir);
        } finally {
            deleteRecursively(dir);
        }
        System.out.println("kubelogs: CDS training run done");
    }

    static void run(Path dir) throws Exception {
        Path logs = dir.resolve("logs");
        String id = "0123456789abcdef".repeat(4);
        Path docker = container(logs, "default", "web-0", "app", id);
        Path cri = container(logs, "kube-system", "aws-node-1", "cni", id.replace('0', 'a'));
        StringBuilder d = new StringBuilder();
        StringBuilder c = new StringBuilder();
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < LINES_PER_FILE; i++) {
            d.append("{\"log\":\"INFO  [main] c.e.App - request ")
                    .append(i)
                    .append(" done\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-01T10:00:00.")
                    .append(String.format("%09d", i))
                    .append("Z\"}\n");
            c.append("2024-05-01T10:00:00.")
                    .append(String.format("%09d", i))
                    .append("Z stderr ")
                    .append(i % 10 == 0 ? "P" : "F")
                    .append(" ipamd line ")
                    .append(i)
                    .append('\n');
            h.append("May  1 10:00:00 ip-10-0-0-1 systemd[1]: Started session ")
                    .append(i)
                    .append(".\n");
        }
        Files.writeString(docker, d);
        Files.writeString(cri, c);
        Files.writeString(logs.resolve("messages"), h);

        int port = LoopbackPorts.pick(); // the kubelet port: nothing listens there, the poll is refused
        Map<String, String> env = new HashMap<>();
        env.put("CLUSTER_NAME", "cds-training");
        env.put("HOST_NAME", "cds-training");
        env.put("LOG_ROOT", logs.toString());
        env.put("SPOOL_DIR", dir.resolve("spool").toString());
        env.put("STATE_DIR", dir.resolve("state").toString());
        env.put("READ_FROM_HEAD", "On");
        env.put("HOST_LOGS", "files");
        env.put("JOURNAL_DIR", dir.resolve("no-journal").toString()); // a node without a journal: reported once
        env.put("HTTP_SERVER", "On");
        env.put("HTTP_PORT", "0");
        env.put("USE_KUBELET", "On");
        env.put("KUBELET_HOST", "127.0.0.1");
        env.put("KUBELET_PORT", Integer.toString(port));
        env.put("KUBELET_TLS_VERIFY", "Off");
        env.put("KUBELET_TOKEN_FILE", dir.resolve("no-token").toString());
        env.put("SEGMENT_MAX_AGE", "100ms");
        env.put("POLL_INTERVAL", "50ms");

        CollectorCommand command = new CollectorCommand();
        new CommandLine(command).parseArgs("--seal-on-exit");
        NodeCollector collector = new NodeCollector(command.buildConfig(env));
        collector.start();
        try {
            long expected = 3L * LINES_PER_FILE;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (collector.stats().linesRead() < expected
                    || collector.metrics().kubeletRequests("error") < 1) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "training run: read " + collector.stats().linesRead() + " of " + expected + " lines");
                }
                Thread.sleep(20);
            }
            get(collector.httpPort(), "/metrics");
            get(collector.httpPort(), "/healthz");
        } finally {
            collector.drainAndSeal();
        }
    }

    private static Path container(Path logs, String ns, String pod, String name, String id) throws IOException {
        Path target = logs.resolve("pods")
                .resolve(ns + "_" + pod + "_uid")
                .resolve(name)
                .resolve("0.log");
        Files.createDirectories(target.getParent());
        Files.createDirectories(logs.resolve("containers"));
        Files.createSymbolicLink(
                logs.resolve("containers").resolve(pod + "_" + ns + "_" + name + "-" + id + ".log"), target);
        return target;
    }

    /** A plain HTTP/1.1 GET (not HttpURLConnection: its classes would go into the archive, and the collector never uses them). */
    private static void get(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] response = s.getInputStream().readAllBytes();
            String head = new String(response, 0, Math.min(response.length, 15), StandardCharsets.US_ASCII);
            if (!head.startsWith("HTTP/1.1 200")) {
                throw new IOException("GET " + path + ": " + head);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
