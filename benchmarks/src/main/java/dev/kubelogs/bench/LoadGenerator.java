package dev.kubelogs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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

    private final Config config;
    private final SourceMix mix;
    private final List<Node> nodes = new ArrayList<>();
    private final SplittableRandom random;
    private final StringBuilder sb = new StringBuilder(LineSizes.MAX + 512);
    private final RecordText text = new RecordText();
    /** Read by the delivery check's threads as events arrive. */
    private volatile long startMillis;

    private volatile boolean stop;
    private volatile long maxBacklogLines;
    private long rotations;
    private long copytruncates;

    public LoadGenerator(Path root, List<String> nodeNames, Config config) throws IOException {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        this.mix = new SourceMix(config);
        for (int i = 0; i < nodeNames.size(); i++) {
            nodes.add(
                    new Node(i, nodeNames.get(i), root.resolve(nodeNames.get(i)).resolve("var/log")));
        }
    }

    public List<SourceSpec> sources() {
        return mix.specs;
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
        Node n = nodes.get(node);
        List<SourceFile> files = new ArrayList<>(n.sources.size());
        for (Source s : n.sources) {
            files.add(s.file);
        }
        return PodListJson.json(n.name, mix.specs, files);
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
            text.tick(System.currentTimeMillis());
            long backlog = 0;
            for (Node n : nodes) {
                long due = (long) (config.linesPerSecondPerNode() * elapsed / 1e9);
                backlog = Math.max(backlog, due - n.lines);
                while (n.lines < due) {
                    n.writeRecord();
                }
                n.flush();
                n.maintenance(text.tickMillis());
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

    @Override
    public void close() throws IOException {
        stop = true;
        for (Node n : nodes) {
            for (Source s : n.sources) {
                s.file.close();
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
            for (int s = 0; s < mix.specs.size(); s++) {
                sources.add(new Source(this, s, mix.specs.get(s)));
            }
        }

        void writeRecord() throws IOException {
            int s = mix.pick(random);
            Source src = sources.get(s);
            if (src.quietUntil != 0) {
                src = sources.get(0); // a host file about to be copytruncated is quiet: the line goes to orders
            }
            if (src.spec.traces() && mix.traceProbability > 0 && random.nextDouble() < mix.traceProbability) {
                src.writeTrace();
            } else {
                src.writeLine();
            }
        }

        void flush() throws IOException {
            for (Source s : sources) {
                s.file.flush();
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

    /** One source of a node: what it writes (through {@link RecordText}), when it rotates, its counts. */
    private final class Source {
        final Node node;
        final int index;
        final SourceSpec spec;
        final SourceFile file;
        long records;
        long traces;
        long nextRotation = Long.MAX_VALUE;
        long nextCopytruncate = Long.MAX_VALUE;
        long quietUntil;
        long journalCursor;

        Source(Node node, int index, SourceSpec spec) throws IOException {
            this.node = node;
            this.index = index;
            this.spec = spec;
            this.file = new SourceFile(node.logRoot, node.name, spec);
        }

        boolean isContainer() {
            return spec.format() == Format.DOCKER || spec.format() == Format.CRI;
        }

        boolean isHostFile() {
            return spec.format() == Format.SYSLOG || spec.format() == Format.DMESG;
        }

        void writeLine() throws IOException {
            long seq = records++;
            int target = config.sizes().next(random, 0);
            StringBuilder b = sb;
            b.setLength(0);
            long cursor = spec.format() == Format.JOURNAL ? ++journalCursor : journalCursor;
            text.line(b, spec, node.index, index, node.shortHost, seq, target, cursor);
            emit(b, 1);
        }

        void writeTrace() throws IOException {
            long seq = records++;
            traces++;
            int frames = config.minFrames() + random.nextInt(config.maxFrames() - config.minFrames() + 1);
            StringBuilder b = sb;
            b.setLength(0);
            String first = "java.lang.IllegalStateException: order failed ";
            text.tracePiece(b, spec.format(), node.index, index, first, seq, frames);
            for (int i = 0; i < frames; i++) {
                String frame = "\tat com.example.bench.F" + i + ".call(F.java:" + (10 + i) + ")";
                text.tracePiece(b, spec.format(), node.index, index, frame, -1, 0);
            }
            emit(b, 1 + frames);
        }

        private void emit(StringBuilder b, int lineCount) throws IOException {
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            file.write(bytes);
            node.lines += lineCount;
            node.bytes += bytes.length;
        }

        void rotateByRename() throws IOException {
            file.rotateByRename(text.tickMillis(), rotations, config.rotatedFilesKept());
            rotations++;
        }

        void copytruncate() throws IOException {
            file.copytruncate();
            copytruncates++;
        }
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
