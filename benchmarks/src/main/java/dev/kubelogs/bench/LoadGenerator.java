package dev.kubelogs.bench;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes the logs of N simulated EKS nodes at a fixed rate, fast enough for 50k+ lines/s per node from one thread:
 * container logs (Docker json-file and CRI, kubelet layout: {@code containers/<pod>_<ns>_<c>-<id>.log} symlinks into
 * {@code pods/<ns>_<pod>_<uid>/<c>/0.log}), host files ({@code messages}, {@code secure}, {@code dmesg}) or
 * journal-like JSON entries, a configurable share of multi-line Java stack traces, rotation by rename (container
 * logs, kubelet style) and by copytruncate (host files, logrotate style) while it runs.
 *
 * <p>Every record carries a token {@code kl=<node>.<source>.<seq>.<writeMillis>} (stack traces on their first
 * line, with {@code frames=<k>}), so what lands in CloudWatch can be matched back by content: lost, duplicated,
 * broken traces, and latency from the moment the line was written.
 */
public final class LoadGenerator implements AutoCloseable {

    public enum HostMode {
        FILES,
        JOURNALD,
        NONE
    }

    enum Format {
        DOCKER,
        CRI,
        SYSLOG,
        DMESG,
        JOURNAL
    }

    /** The sources of every node: name, format, weight (lines per ~100), where it lands, whether it may throw traces. */
    record SourceSpec(
            String name, Format format, int weight, String destination, boolean traces, String ns, String pod) {}

    static final List<SourceSpec> CONTAINERS = List.of(
            new SourceSpec("orders", Format.DOCKER, 30, "application", true, "shop", "orders-7d9c6b7f9d"),
            new SourceSpec("frontend", Format.CRI, 25, "application", true, "web", "frontend-6b8f9c7d5"),
            new SourceSpec("coredns", Format.CRI, 10, "application", false, "kube-system", "coredns-5d78c9869d"),
            new SourceSpec("aws-node", Format.CRI, 8, "dataplane", false, "kube-system", "aws-node"),
            new SourceSpec("kube-proxy", Format.CRI, 7, "dataplane", false, "kube-system", "kube-proxy"));
    static final List<SourceSpec> HOST_FILES = List.of(
            new SourceSpec("messages", Format.SYSLOG, 8, "host", false, null, null),
            new SourceSpec("secure", Format.SYSLOG, 4, "host", false, null, null),
            new SourceSpec("dmesg", Format.DMESG, 3, "host", false, null, null));
    static final SourceSpec JOURNAL =
            new SourceSpec("journal", Format.JOURNAL, 15, "host+dataplane", false, null, null);

    /** What to generate. */
    public record Config(
            int nodes,
            double linesPerSecondPerNode,
            LineSizes sizes,
            double multilineShare,
            int minFrames,
            int maxFrames,
            long rotateEveryMillis,
            int rotatedFilesKept,
            long copytruncateEveryMillis,
            long copytruncateQuietMillis,
            HostMode hostMode,
            long seed) {}

    private static final DateTimeFormatter SYSLOG_TIME =
            DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter KLOG_TIME =
            DateTimeFormatter.ofPattern("MMdd HH:mm:ss.SSS000", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern(
                    "dd/MMM/yyyy:HH:mm:ss +0000", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ROTATE_SUFFIX =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final String FILLER;

    static {
        StringBuilder b = new StringBuilder(2 * LineSizes.MAX);
        SplittableRandom r = new SplittableRandom(42);
        String words = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        while (b.length() < 2 * LineSizes.MAX) {
            int w = 3 + r.nextInt(9);
            for (int i = 0; i < w; i++) {
                b.append(words.charAt(r.nextInt(words.length())));
            }
            b.append(' ');
        }
        FILLER = b.toString();
    }

    private final Config config;
    private final List<SourceSpec> specs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final int[] pick = new int[1000];
    private final double traceProbability;
    private final SplittableRandom random;
    private final StringBuilder sb = new StringBuilder(LineSizes.MAX + 512);
    private long startMillis;

    // per tick
    private long tickMillis = -1;
    private String iso;
    private String syslogTime;
    private String klogTime;
    private String clfTime;
    private long tickSecond = -1;

    private volatile boolean stop;
    private volatile long maxBacklogLines;
    private long rotations;
    private long copytruncates;

    public LoadGenerator(Path root, List<String> nodeNames, Config config) throws IOException {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        specs.addAll(CONTAINERS);
        if (config.hostMode() == HostMode.FILES) {
            specs.addAll(HOST_FILES);
        } else if (config.hostMode() == HostMode.JOURNALD) {
            specs.add(JOURNAL);
        }
        int total = specs.stream().mapToInt(SourceSpec::weight).sum();
        int k = 0;
        for (int s = 0; s < specs.size(); s++) {
            int n = (int) Math.round(specs.get(s).weight() * 1000.0 / total);
            for (int i = 0; i < n && k < pick.length; i++) {
                pick[k++] = s;
            }
        }
        while (k < pick.length) {
            pick[k++] = 0;
        }
        double appShare = specs.stream()
                        .filter(SourceSpec::traces)
                        .mapToInt(SourceSpec::weight)
                        .sum()
                / (double) total;
        double meanFrames = (config.minFrames() + config.maxFrames()) / 2.0;
        double s = config.multilineShare();
        this.traceProbability = s <= 0 ? 0 : Math.min(1.0, s / (appShare * (1 + meanFrames * (1 - s))));
        for (int i = 0; i < nodeNames.size(); i++) {
            nodes.add(
                    new Node(i, nodeNames.get(i), root.resolve(nodeNames.get(i)).resolve("var/log")));
        }
    }

    public List<SourceSpec> sources() {
        return specs;
    }

    /** The log root ("/var/log") of node i. */
    public Path logRoot(int node) {
        return nodes.get(node).logRoot;
    }

    /** The journal directory of node i (journald mode). */
    public Path journalDir(int node) {
        return nodes.get(node).logRoot.resolve("journal");
    }

    /** The kubelet's {@code /pods} answer for node i: one pod per container source, with its container id. */
    public String podsJson(int node) {
        StringBuilder b = new StringBuilder("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[");
        boolean first = true;
        for (Source s : nodes.get(node).sources) {
            if (!s.isContainer()) {
                continue;
            }
            b.append(first ? "" : ",");
            first = false;
            b.append("{\"metadata\":{\"name\":\"")
                    .append(s.podName)
                    .append("\",\"namespace\":\"")
                    .append(s.spec.ns())
                    .append("\",\"uid\":\"")
                    .append(s.podUid)
                    .append("\",\"labels\":{\"app\":\"")
                    .append(s.spec.name())
                    .append("\"},\"annotations\":{}},\"spec\":{\"nodeName\":\"")
                    .append(nodes.get(node).name)
                    .append("\"},\"status\":{\"podIP\":\"192.168.1.")
                    .append(10 + s.index)
                    .append("\",\"containerStatuses\":[{\"name\":\"")
                    .append(s.spec.name())
                    .append("\",\"containerID\":\"containerd://")
                    .append(s.containerId)
                    .append("\",\"imageID\":\"sha256:")
                    .append(sha256Hex(s.spec.name()))
                    .append("\",\"image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/")
                    .append(s.spec.name())
                    .append(":1.0\"}]}}");
        }
        return b.append("]}").toString();
    }

    public int nodeCount() {
        return nodes.size();
    }

    public long linesWritten(int node) {
        return nodes.get(node).publishedLines;
    }

    public long bytesWritten(int node) {
        return nodes.get(node).publishedBytes;
    }

    public long totalLines() {
        long n = 0;
        for (Node node : nodes) {
            n += node.publishedLines;
        }
        return n;
    }

    public long totalBytes() {
        long n = 0;
        for (Node node : nodes) {
            n += node.publishedBytes;
        }
        return n;
    }

    /** Records (events expected in CloudWatch) written per source of node i. */
    public long records(int node, int source) {
        return nodes.get(node).sources.get(source).records;
    }

    public long traces() {
        long n = 0;
        for (Node node : nodes) {
            for (Source s : node.sources) {
                n += s.traces;
            }
        }
        return n;
    }

    public long rotations() {
        return rotations;
    }

    public long copytruncates() {
        return copytruncates;
    }

    /** The largest number of lines the generator was behind its schedule at a tick (0 = it kept up). */
    public long maxBacklogLines() {
        return maxBacklogLines;
    }

    public long startMillis() {
        return startMillis;
    }

    public void stop() {
        stop = true;
    }

    /** Writes until {@link #stop()} or {@code durationMillis}; call on the generator thread. */
    public void run(long durationMillis) throws IOException {
        startMillis = System.currentTimeMillis();
        long t0 = System.nanoTime();
        long tickNanos = 10_000_000L;
        long next = t0;
        for (Node n : nodes) {
            n.scheduleMaintenance(startMillis);
        }
        while (!stop) {
            long now = System.nanoTime();
            long elapsed = now - t0;
            if (elapsed >= durationMillis * 1_000_000L) {
                break;
            }
            tick(System.currentTimeMillis());
            long backlog = 0;
            for (Node n : nodes) {
                long due = (long) (config.linesPerSecondPerNode() * elapsed / 1e9);
                backlog = Math.max(backlog, due - n.lines);
                while (n.lines < due) {
                    n.writeRecord();
                }
                n.flush();
                n.maintenance(tickMillis);
            }
            if (backlog > maxBacklogLines) {
                maxBacklogLines = backlog;
            }
            next += tickNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
            } else if (sleep < -1_000_000_000L) {
                next = System.nanoTime(); // fell far behind: do not try to burst the whole debt
            }
        }
        for (Node n : nodes) {
            n.flush();
        }
    }

    private void tick(long millis) {
        if (millis == tickMillis) {
            return;
        }
        tickMillis = millis;
        Instant now = Instant.ofEpochMilli(millis);
        iso = DateTimeFormatter.ISO_INSTANT.format(now);
        klogTime = KLOG_TIME.format(now);
        long sec = millis / 1000;
        if (sec != tickSecond) {
            tickSecond = sec;
            syslogTime = SYSLOG_TIME.format(now);
            clfTime = CLF_TIME.format(now);
        }
    }

    @Override
    public void close() throws IOException {
        stop = true;
        for (Node n : nodes) {
            for (Source s : n.sources) {
                s.out.close();
            }
        }
    }

    // ------------------------------------------------------------------ nodes and sources

    private final class Node {
        final int index;
        final String name;
        final String shortHost;
        final Path logRoot;
        final List<Source> sources = new ArrayList<>();
        long lines;
        long bytes;
        volatile long publishedLines;
        volatile long publishedBytes;

        Node(int index, String name, Path logRoot) throws IOException {
            this.index = index;
            this.name = name;
            this.shortHost = name.split("\\.")[0];
            this.logRoot = logRoot;
            for (int s = 0; s < specs.size(); s++) {
                sources.add(new Source(this, s, specs.get(s)));
            }
        }

        void writeRecord() throws IOException {
            int s = pick[random.nextInt(pick.length)];
            Source src = sources.get(s);
            if (src.quietUntil != 0) {
                src = sources.get(0); // a host file about to be copytruncated is quiet: the line goes to orders
            }
            if (src.spec.traces() && traceProbability > 0 && random.nextDouble() < traceProbability) {
                src.writeTrace();
            } else {
                src.writeLine();
            }
        }

        void flush() throws IOException {
            for (Source s : sources) {
                if (s.dirty) {
                    s.out.flush();
                    s.dirty = false;
                }
            }
            publishedBytes = bytes;
            publishedLines = lines;
        }

        void scheduleMaintenance(long start) {
            for (Source s : sources) {
                long jitter = (long) (random.nextDouble()
                        * 0.5
                        * Math.max(config.rotateEveryMillis(), config.copytruncateEveryMillis()));
                s.nextRotation =
                        config.rotateEveryMillis() > 0 ? start + config.rotateEveryMillis() + jitter : Long.MAX_VALUE;
                s.nextCopytruncate = config.copytruncateEveryMillis() > 0
                        ? start + config.copytruncateEveryMillis() + jitter
                        : Long.MAX_VALUE;
            }
        }

        void maintenance(long now) throws IOException {
            for (Source s : sources) {
                if (s.isContainer() && now >= s.nextRotation) {
                    s.rotateByRename();
                    s.nextRotation = now + config.rotateEveryMillis();
                }
                if (s.isHostFile() && now >= s.nextCopytruncate - config.copytruncateQuietMillis()) {
                    s.quietUntil = s.nextCopytruncate; // the writer pauses before logrotate copies and truncates
                }
                if (s.isHostFile() && now >= s.nextCopytruncate) {
                    s.copytruncate();
                    s.nextCopytruncate = now + config.copytruncateEveryMillis();
                    s.quietUntil = 0;
                }
            }
        }
    }

    private final class Source {
        final Node node;
        final int index;
        final SourceSpec spec;
        final Path file;
        final String containerId;
        String podName;
        String podUid;
        OutputStream out;
        boolean dirty;
        long records;
        long traces;
        long nextRotation = Long.MAX_VALUE;
        long nextCopytruncate = Long.MAX_VALUE;
        long quietUntil;
        final Deque<Path> rotated = new ArrayDeque<>();
        long journalCursor;

        Source(Node node, int index, SourceSpec spec) throws IOException {
            this.node = node;
            this.index = index;
            this.spec = spec;
            Path root = node.logRoot;
            if (isContainer()) {
                String suffix = Long.toString(
                                Math.floorMod((long) (node.name + spec.name()).hashCode(), 60466176L) + 60466176L, 36)
                        .substring(1);
                String pod = spec.pod() + "-" + suffix;
                String uid = UUID.nameUUIDFromBytes((spec.ns() + "/" + pod).getBytes(StandardCharsets.UTF_8))
                        .toString();
                containerId = sha256Hex(node.name + "/" + spec.ns() + "/" + pod + "/" + spec.name());
                podName = pod;
                podUid = uid;
                file = root.resolve("pods")
                        .resolve(spec.ns() + "_" + pod + "_" + uid)
                        .resolve(spec.name())
                        .resolve("0.log");
                Path link = root.resolve("containers")
                        .resolve(pod + "_" + spec.ns() + "_" + spec.name() + "-" + containerId + ".log");
                Files.createDirectories(file.getParent());
                Files.createDirectories(link.getParent());
                if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, file.toAbsolutePath());
                }
            } else if (spec.format() == Format.JOURNAL) {
                containerId = null;
                file = root.resolve("journal").resolve("journal.jsonl");
            } else {
                containerId = null;
                file = root.resolve(spec.name());
            }
            Files.createDirectories(file.getParent());
            out = open(file);
        }

        boolean isContainer() {
            return spec.format() == Format.DOCKER || spec.format() == Format.CRI;
        }

        boolean isHostFile() {
            return spec.format() == Format.SYSLOG || spec.format() == Format.DMESG;
        }

        private void token(StringBuilder b, long seq) {
            b.append("kl=")
                    .append(node.index)
                    .append('.')
                    .append(index)
                    .append('.')
                    .append(seq)
                    .append('.')
                    .append(tickMillis);
        }

        void writeLine() throws IOException {
            long seq = records++;
            int target = config.sizes().next(random, 0);
            StringBuilder b = sb;
            b.setLength(0);
            switch (spec.format()) {
                case DOCKER: {
                    // an app that logs JSON: Merge_Log adds log_processed
                    b.append("{\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"msg\\\":\\\"order created ");
                    token(b, seq);
                    b.append("\\\",\\\"orderId\\\":").append(seq).append(",\\\"pad\\\":\\\"");
                    int tail = "\\\"}\\n\",\"stream\":\"stdout\",\"time\":\"\"}".length() + iso.length();
                    filler(b, target - b.length() - tail);
                    b.append("\\\"}\\n\",\"stream\":\"stdout\",\"time\":\"")
                            .append(iso)
                            .append("\"}");
                    break;
                }
                case CRI: {
                    b.append(iso).append(" stdout F ");
                    body(b, seq);
                    filler(b, target - b.length());
                    break;
                }
                case SYSLOG: {
                    b.append(syslogTime).append(' ').append(node.shortHost);
                    if (spec.name().equals("secure")) {
                        b.append(" sshd[4242]: Accepted publickey for ec2-user from 10.0.0.7 port 40022 ssh2 ");
                    } else {
                        b.append(" kubelet[3366]: I")
                                .append(klogTime)
                                .append(" 3366 kubelet_node_status.go:486] \"Recording event\" ");
                    }
                    token(b, seq);
                    b.append(' ');
                    filler(b, target - b.length());
                    break;
                }
                case DMESG: {
                    b.append('[')
                            .append(String.format(Locale.ROOT, "%6d.%06d", seq / 1000, (seq % 1000) * 1000))
                            .append("] ena 0000:00:05.0 eth0: Link is up ");
                    token(b, seq);
                    b.append(' ');
                    filler(b, target - b.length());
                    break;
                }
                case JOURNAL: {
                    journal(b, seq, target);
                    break;
                }
                default:
                    throw new IllegalStateException();
            }
            b.append('\n');
            emit(b, 1);
        }

        private void body(StringBuilder b, long seq) {
            switch (spec.name()) {
                case "frontend":
                    b.append("10.0.1.")
                            .append(seq % 250)
                            .append(" - - [")
                            .append(clfTime)
                            .append("] \"GET /api/orders/")
                            .append(seq % 100000)
                            .append(" HTTP/1.1\" 200 ")
                            .append(seq % 20000)
                            .append(" \"-\" \"Mozilla/5.0\" ");
                    token(b, seq);
                    b.append(' ');
                    break;
                case "coredns":
                    b.append("[INFO] 10.0.1.")
                            .append(seq % 250)
                            .append(":5")
                            .append(seq % 10000)
                            .append(
                                    " - 4711 \"A IN orders.shop.svc.cluster.local. udp 47 false 512\" NOERROR qr,aa,rd 106 0.0001s ");
                    token(b, seq);
                    b.append(' ');
                    break;
                case "aws-node":
                    b.append("{\"level\":\"info\",\"ts\":\"")
                            .append(iso)
                            .append("\",\"caller\":\"ipamd/ipamd.go:")
                            .append(600 + seq % 900)
                            .append("\",\"msg\":\"Received ADD for pod ");
                    token(b, seq);
                    b.append("\"} ");
                    break;
                default: // kube-proxy
                    b.append('I').append(klogTime).append("       1 proxier.go:812] \"SyncProxyRules complete\" ");
                    token(b, seq);
                    b.append(' ');
            }
        }

        private void journal(StringBuilder b, long seq, int target) {
            long micros = tickMillis * 1000;
            int type = (int) (seq % 3);
            b.append("{\"__CURSOR\":\"s=bench;i=")
                    .append(Long.toHexString(++journalCursor))
                    .append("\",\"__REALTIME_TIMESTAMP\":\"")
                    .append(micros)
                    .append("\",\"__MONOTONIC_TIMESTAMP\":\"")
                    .append(micros)
                    .append("\",\"_HOSTNAME\":\"")
                    .append(node.shortHost)
                    .append('"');
            String message;
            switch (type) {
                case 0: // kubelet unit, debug priority: dataplane only
                    b.append(
                            ",\"_SYSTEMD_UNIT\":\"kubelet.service\",\"SYSLOG_IDENTIFIER\":\"kubelet\",\"_PID\":\"3366\","
                                    + "\"PRIORITY\":\"7\",\"SYSLOG_FACILITY\":\"3\",\"_TRANSPORT\":\"stdout\"");
                    message = "I" + klogTime
                            + " 3366 kubelet.go:2458] \\\"SyncLoop (PLEG)\\\" "; // quotes escaped: this is JSON
                    break;
                case 1: // a plain daemon at info: host messages only
                    b.append(
                            ",\"SYSLOG_IDENTIFIER\":\"systemd-logind\",\"_PID\":\"812\",\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"4\","
                                    + "\"_TRANSPORT\":\"syslog\"");
                    message = "New session 42 of user ec2-user. ";
                    break;
                default: // authpriv: host secure only
                    b.append(
                            ",\"SYSLOG_IDENTIFIER\":\"sshd\",\"_PID\":\"4242\",\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"10\","
                                    + "\"_TRANSPORT\":\"syslog\"");
                    message = "Accepted publickey for ec2-user from 10.0.0.7 port 40022 ssh2 ";
            }
            b.append(",\"MESSAGE\":\"").append(message);
            token(b, seq);
            b.append(' ');
            filler(b, target - b.length() - 2);
            b.append("\"}");
        }

        void writeTrace() throws IOException {
            long seq = records++;
            traces++;
            int frames = config.minFrames() + random.nextInt(config.maxFrames() - config.minFrames() + 1);
            StringBuilder b = sb;
            b.setLength(0);
            String first = "java.lang.IllegalStateException: order failed ";
            appendPiece(b, first, seq, frames);
            for (int i = 0; i < frames; i++) {
                String frame = "\tat com.example.bench.F" + i + ".call(F.java:" + (10 + i) + ")";
                appendPiece(b, frame, -1, 0);
            }
            emit(b, 1 + frames);
        }

        private void appendPiece(StringBuilder b, String text, long seq, int frames) {
            if (spec.format() == Format.DOCKER) {
                b.append("{\"log\":\"").append(text.replace("\t", "\\t"));
                if (seq >= 0) {
                    token(b, seq);
                    b.append(" frames=").append(frames);
                }
                b.append("\\n\",\"stream\":\"stdout\",\"time\":\"").append(iso).append("\"}\n");
            } else {
                b.append(iso).append(" stdout F ").append(text);
                if (seq >= 0) {
                    token(b, seq);
                    b.append(" frames=").append(frames);
                }
                b.append('\n');
            }
        }

        private void emit(StringBuilder b, int lineCount) throws IOException {
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            out.write(bytes);
            dirty = true;
            node.lines += lineCount;
            node.bytes += bytes.length;
        }

        void rotateByRename() throws IOException {
            out.close();
            Path to = file.resolveSibling("0.log." + ROTATE_SUFFIX.format(Instant.ofEpochMilli(tickMillis)) + "-"
                    + rotated.size() + "-" + rotations);
            Files.move(file, to, StandardCopyOption.ATOMIC_MOVE);
            rotated.addLast(to);
            while (rotated.size() > config.rotatedFilesKept()) {
                Files.deleteIfExists(rotated.removeFirst());
            }
            out = open(file);
            rotations++;
        }

        void copytruncate() throws IOException {
            out.flush();
            Files.copy(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            copytruncates++;
        }
    }

    private static void filler(StringBuilder b, int n) {
        if (n > 0) {
            int from = (int) ((b.length() * 7919L) % LineSizes.MAX);
            b.append(FILLER, from, from + n);
        }
    }

    private static OutputStream open(Path file) throws IOException {
        return new BufferedOutputStream(new FileOutputStream(file.toFile(), true), 64 * 1024);
    }

    static String sha256Hex(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
