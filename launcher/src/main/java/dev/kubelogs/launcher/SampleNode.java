package dev.kubelogs.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A generated EKS worker node's {@code /var/log}: kubelet-style container logs (symlinks in
 * {@code containers/} into {@code pods/<ns>_<pod>_<uid>/<container>/0.log}) in both runtime formats,
 * the host files, and (when systemd-journal-remote is installed) the journal under {@code journal/} with the
 * kubelet.service and containerd.service entries. It counts what it wrote per destination so the demo can check
 * delivery.
 */
public final class SampleNode implements AutoCloseable {

    /** Where the lines of one source end up under the Container Insights rules. */
    public enum Destination {
        APPLICATION,
        DATAPLANE,
        HOST,
        DROPPED
    }

    private static final DateTimeFormatter SYSLOG_TIME =
            DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern(
                    "dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final String nodeName;
    private final String shortHost;
    private final Random random;
    private final List<Source> sources = new ArrayList<>();
    private final List<String> podItems = new ArrayList<>();
    private final Map<Destination, Long> linesByDestination = new LinkedHashMap<>();
    private final JournalWriter journal;
    private final Path journalDir;
    private long lines;
    private long bytes;
    private boolean closed;

    public SampleNode(Path logRoot, String nodeName, long seed) throws IOException {
        this.nodeName = nodeName;
        this.shortHost = nodeName.split("\\.")[0];
        this.random = new Random(seed);
        for (Destination d : Destination.values()) {
            linesByDestination.put(d, 0L);
        }
        String suffix = Long.toString(Math.abs(seed) % 46656 + 46656, 36).substring(1);
        // weights are lines per 100 written: a busy app, cluster DNS, the dataplane daemons, host noise
        container(
                logRoot,
                "shop",
                "orders-7d9c6b7f9d-" + suffix,
                "orders",
                true,
                Destination.APPLICATION,
                30,
                this::ordersLine);
        container(
                logRoot,
                "web",
                "frontend-6b8f9c7d5-" + suffix,
                "nginx",
                false,
                Destination.APPLICATION,
                25,
                this::accessLine);
        container(
                logRoot,
                "kube-system",
                "coredns-5d78c9869d-" + suffix,
                "coredns",
                false,
                Destination.APPLICATION,
                10,
                this::dnsLine);
        container(
                logRoot,
                "kube-system",
                "aws-node-" + suffix,
                "aws-node",
                false,
                Destination.DATAPLANE,
                8,
                this::cniLine);
        container(
                logRoot,
                "kube-system",
                "kube-proxy-" + suffix,
                "kube-proxy",
                false,
                Destination.DATAPLANE,
                7,
                this::proxyLine);
        container(logRoot, "logging", "fluentd-" + suffix, "fluentd", false, Destination.DROPPED, 5, this::fluentdLine);
        host(logRoot.resolve("messages"), 8, this::messagesLine);
        host(logRoot.resolve("secure"), 4, this::secureLine);
        host(logRoot.resolve("dmesg"), 3, this::dmesgLine);
        if (JournalWriter.remoteBinary() != null) {
            journalDir = logRoot.resolve("journal");
            journal = new JournalWriter(
                    journalDir,
                    sha256("machine/" + nodeName).substring(0, 32),
                    sha256("boot/" + nodeName).substring(0, 32),
                    shortHost,
                    logRoot.resolveSibling("journal-remote.log"));
            unit("kubelet.service", 4, this::kubeletLine);
            unit("containerd.service", 2, this::containerdLine);
        } else {
            journalDir = null;
            journal = null;
        }
    }

    /** The node's journal directory, or null when systemd-journal-remote is missing and the node has none. */
    public Path journalDir() {
        return journalDir;
    }

    /** Writes {@code count} lines spread over the sources by weight, stamped now. */
    public void write(int count) throws IOException {
        int totalWeight = sources.stream().mapToInt(s -> s.weight).sum();
        for (int i = 0; i < count; i++) {
            int pick = random.nextInt(totalWeight);
            for (Source s : sources) {
                pick -= s.weight;
                if (pick < 0) {
                    s.write(Instant.now());
                    break;
                }
            }
        }
        for (Source s : sources) {
            if (s.out != null) {
                s.out.flush();
            }
        }
        if (journal != null) {
            journal.flush();
        }
    }

    public long lines() {
        return lines;
    }

    public long bytes() {
        return bytes;
    }

    public Map<Destination, Long> linesByDestination() {
        return linesByDestination;
    }

    public String nodeName() {
        return nodeName;
    }

    /** Stops writing: closes the files and waits until the journal holds every entry written. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        for (Source s : sources) {
            if (s.out != null) {
                s.out.close();
            }
        }
        if (journal != null) {
            journal.close();
        }
    }

    // ---- sources ----

    @FunctionalInterface
    private interface LineMaker {
        String make(Instant now);
    }

    private final class Source {
        final OutputStream out;
        final int weight;
        final Destination destination;
        final LineMaker maker;
        final Format format;
        /** The systemd unit of a JOURNAL source. */
        final String unit;

        Source(OutputStream out, int weight, Destination destination, Format format, LineMaker maker) {
            this(out, weight, destination, format, null, maker);
        }

        Source(OutputStream out, int weight, Destination destination, Format format, String unit, LineMaker maker) {
            this.out = out;
            this.weight = weight;
            this.destination = destination;
            this.format = format;
            this.unit = unit;
            this.maker = maker;
        }

        void write(Instant now) throws IOException {
            String message = maker.make(now);
            if (format == Format.JOURNAL) {
                String name = unit.substring(0, unit.indexOf('.'));
                int pid = name.equals("kubelet") ? 3366 : 2841;
                bytes += journal.write(now, unit, name, pid, message.startsWith("E") ? 3 : 6, message) + 1;
                lines++;
                linesByDestination.merge(destination, 1L, Long::sum);
                return;
            }
            String line;
            switch (format) {
                case DOCKER:
                    line = "{\"log\":" + jsonString(message + "\n") + ",\"stream\":\"stdout\",\"time\":\"" + now
                            + "\"}";
                    break;
                case CRI:
                    line = now + " " + (message.startsWith("E") ? "stderr" : "stdout") + " F " + message;
                    break;
                default:
                    line = message;
            }
            byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
            out.write(b);
            lines++;
            bytes += b.length;
            linesByDestination.merge(destination, 1L, Long::sum);
        }
    }

    private enum Format {
        DOCKER,
        CRI,
        PLAIN,
        JOURNAL
    }

    private void container(
            Path logRoot,
            String ns,
            String pod,
            String container,
            boolean docker,
            Destination destination,
            int weight,
            LineMaker maker)
            throws IOException {
        String uid = uuidFrom(ns + "/" + pod);
        String id = sha256(nodeName + "/" + ns + "/" + pod + "/" + container);
        Path target = logRoot.resolve("pods")
                .resolve(ns + "_" + pod + "_" + uid)
                .resolve(container)
                .resolve("0.log");
        Files.createDirectories(target.getParent());
        Path link = logRoot.resolve("containers").resolve(pod + "_" + ns + "_" + container + "-" + id + ".log");
        Files.createDirectories(link.getParent());
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, target.toAbsolutePath());
        }
        sources.add(new Source(open(target), weight, destination, docker ? Format.DOCKER : Format.CRI, maker));
        podItems.add(kubeletPod(ns, pod, uid, container, id, docker));
    }

    /** The node's pods as the kubelet's {@code GET /pods} lists them. */
    public String kubeletPodList() {
        return "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[" + String.join(",", podItems)
                + "]}";
    }

    private String kubeletPod(String ns, String pod, String uid, String container, String id, boolean docker) {
        String image = "123456789012.dkr.ecr.us-west-2.amazonaws.com/" + container + ":1." + (pod.length() % 10);
        String digest = sha256(image);
        String podIp = "10.0." + (1 + Math.abs(nodeName.hashCode()) % 200) + "." + (10 + podItems.size());
        return "{\"metadata\":{\"name\":\"" + pod + "\",\"namespace\":\"" + ns + "\",\"uid\":\"" + uid + "\","
                + "\"labels\":{\"app\":\"" + container + "\"}},\"spec\":{\"nodeName\":\"" + nodeName + "\"},"
                + "\"status\":{\"phase\":\"Running\",\"podIP\":\"" + podIp + "\",\"containerStatuses\":[{\"name\":\""
                + container
                + "\",\"containerID\":\"" + (docker ? "docker://" : "containerd://") + id + "\","
                + "\"imageID\":\"" + (docker ? "docker-pullable://" : "") + image.substring(0, image.indexOf(':', 20))
                + "@sha256:" + digest + "\","
                + "\"image\":\"" + image + "\",\"ready\":true}]}}";
    }

    private void host(Path file, int weight, LineMaker maker) throws IOException {
        sources.add(new Source(open(file), weight, Destination.HOST, Format.PLAIN, maker));
    }

    /** A systemd unit whose standard output the journal records (dataplane: Container Insights' systemd input). */
    private void unit(String unit, int weight, LineMaker maker) {
        sources.add(new Source(null, weight, Destination.DATAPLANE, Format.JOURNAL, unit, maker));
    }

    private static OutputStream open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return new java.io.BufferedOutputStream(
                Files.newOutputStream(
                        file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
                64 * 1024);
    }

    // ---- realistic lines ----

    private long orderId = 1000;

    private String ordersLine(Instant now) {
        orderId++;
        int r = random.nextInt(20);
        if (r == 0) {
            return "{\"level\":\"error\",\"msg\":\"payment declined\",\"orderId\":" + orderId
                    + ",\"reason\":\"insufficient_funds\"}";
        }
        if (r < 4) {
            return "{\"level\":\"debug\",\"msg\":\"cache hit\",\"key\":\"cart:" + random.nextInt(5000) + "\"}";
        }
        return "{\"level\":\"info\",\"msg\":\"order created\",\"orderId\":" + orderId + ",\"items\":"
                + (1 + random.nextInt(6)) + ",\"totalCents\":" + (500 + random.nextInt(50000)) + "}";
    }

    private String accessLine(Instant now) {
        String[] paths = {"/", "/api/orders/" + random.nextInt(100000), "/static/app.js", "/healthz", "/api/cart"};
        int[] codes = {200, 200, 200, 200, 304, 404, 500};
        return "10.0." + random.nextInt(4) + "." + random.nextInt(255) + " - - [" + CLF_TIME.format(now) + "] \"GET "
                + paths[random.nextInt(paths.length)] + " HTTP/1.1\" " + codes[random.nextInt(codes.length)] + " "
                + random.nextInt(20000) + " \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"";
    }

    private String dnsLine(Instant now) {
        String[] names = {
            "orders.shop.svc.cluster.local.", "frontend.web.svc.cluster.local.", "sts.us-west-2.amazonaws.com."
        };
        return "[INFO] 10.0.1." + random.nextInt(255) + ":" + (30000 + random.nextInt(30000)) + " - "
                + random.nextInt(65536)
                + " \"A IN " + names[random.nextInt(names.length)] + " udp 47 false 512\" NOERROR qr,aa,rd 106 0.000"
                + (100 + random.nextInt(899)) + "s";
    }

    private String cniLine(Instant now) {
        return "{\"level\":\"info\",\"ts\":\"" + now + "\",\"caller\":\"ipamd/ipamd.go:" + (600 + random.nextInt(900))
                + "\",\"msg\":\"Received ADD for pod shop/orders-" + random.nextInt(100) + "\"}";
    }

    private String proxyLine(Instant now) {
        return "I"
                + DateTimeFormatter.ofPattern("MMdd HH:mm:ss.SSSSSS")
                        .withZone(ZoneOffset.UTC)
                        .format(now)
                + "       1 proxier.go:" + (800 + random.nextInt(100)) + "] \"SyncProxyRules complete\" elapsed=\""
                + random.nextInt(90) + "." + random.nextInt(10) + "ms\"";
    }

    private String kubeletLine(Instant now) {
        String time = DateTimeFormatter.ofPattern("MMdd HH:mm:ss.SSSSSS")
                .withZone(ZoneOffset.UTC)
                .format(now);
        if (random.nextInt(25) == 0) {
            return "E" + time + "    3366 pod_workers.go:1300] \"Error syncing pod, skipping\" "
                    + "err=\"failed to \\\"StartContainer\\\" with CrashLoopBackOff\" "
                    + "pod=\"shop/orders-" + random.nextInt(100) + "\"";
        }
        return "I" + time + "    3366 kubelet.go:" + (2400 + random.nextInt(100))
                + "] \"SyncLoop (PLEG): event for pod\" pod=\"shop/orders-" + random.nextInt(100)
                + "\" event={\"Type\":\"ContainerStarted\"}";
    }

    private String containerdLine(Instant now) {
        String id = sha256(Integer.toString(random.nextInt()));
        return "time=\"" + now + "\" level=info msg=\"StartContainer for \\\"" + id + "\\\" returns successfully\"";
    }

    private String fluentdLine(Instant now) {
        return now + " [info]: #0 following tail of /var/log/containers/app.log";
    }

    private String messagesLine(Instant now) {
        return SYSLOG_TIME.format(now) + " " + shortHost + " kubelet[3366]: I1125 " + random.nextInt(24)
                + ":00:00.000000 3366 kubelet_node_status.go:" + random.nextInt(900)
                + "] \"Recording event message for node\" node=\""
                + nodeName + "\"";
    }

    private String secureLine(Instant now) {
        return SYSLOG_TIME.format(now) + " " + shortHost + " sshd[" + (4000 + random.nextInt(1000))
                + "]: Accepted publickey for ec2-user from 10.0.0." + random.nextInt(255) + " port "
                + (40000 + random.nextInt(20000))
                + " ssh2: RSA SHA256:"
                + sha256(Integer.toString(random.nextInt())).substring(0, 16);
    }

    private String dmesgLine(Instant now) {
        return String.format(
                Locale.ROOT,
                "[%6d.%06d] ena 0000:00:05.0 eth0: Link is up",
                random.nextInt(100000),
                random.nextInt(1000000));
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String uuidFrom(String s) {
        return java.util
                .UUID
                .nameUUIDFromBytes(s.getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
