package dev.kubelogs.bench;

import dev.kubelogs.collector.local.LoopbackPorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node collector as its own JVM ({@code dev.kubelogs.collector.CollectorCommand}), configured by environment
 * like the DaemonSet, started with the JVM flags its image ships with, so its CPU time and peak RSS
 * ({@code /proc/<pid>/stat}, {@code VmHWM}) are the collector's alone. Progress comes from its own
 * {@code /metrics}.
 */
public final class CollectorProcess implements AutoCloseable {

    /** JVM flags of a collector, and the environment its image sets (e.g. MALLOC_ARENA_MAX): where they come from and what they are. */
    public record JvmFlags(String source, List<String> flags, Map<String, String> env) {
        public JvmFlags(String source, List<String> flags) {
            this(source, flags, Map.of());
        }

        @Override
        public String toString() {
            return String.join(" ", flags) + "  (" + source + ")";
        }
    }

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;
    private final String node;

    private CollectorProcess(Process process, int port, Path log, String node) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.node = node;
    }

    /**
     * The flags of the shipped image. {@code docker}: the DaemonSet's image (docker/collector.Dockerfile ENTRYPOINT, read
     * from the file), with {@code -XX:MaxRAM} set to the DaemonSet's memory limit so MaxRAMPercentage sizes the heap as in
     * the pod; anything else: the flags as given (experiments).
     */
    public static JvmFlags flags(Path repoRoot, String profile, String memoryLimit) {
        JvmFlags f = dockerOrGiven(repoRoot, profile, memoryLimit);
        return withLocalArchive(repoRoot, f);
    }

    private static JvmFlags dockerOrGiven(Path repoRoot, String profile, String memoryLimit) {
        if (!profile.equals("docker")) {
            return new JvmFlags(
                    "--collector-jvm (not the shipped flags)",
                    new ArrayList<>(Arrays.asList(profile.trim().split("\\s+"))));
        }
        try {
            String df = Files.readString(repoRoot.resolve("docker/collector.Dockerfile"));
            Matcher m = Pattern.compile("(?m)^ENTRYPOINT\\s*\\[(.*)\\]").matcher(df);
            if (m.find()) {
                List<String> parts = new ArrayList<>();
                for (String p : m.group(1).split(",")) {
                    parts.add(p.trim().replaceAll("^\"|\"$", ""));
                }
                List<String> flags = new ArrayList<>();
                for (String p : parts.subList(1, parts.size())) {
                    if (p.equals("-cp") || p.equals("-jar")) {
                        break;
                    }
                    flags.add(p);
                }
                flags.add("-XX:MaxRAM=" + memoryLimit);
                Map<String, String> env = imageEnv(df);
                return new JvmFlags(
                        "docker/collector.Dockerfile ENTRYPOINT + -XX:MaxRAM=" + memoryLimit
                                + " for the DaemonSet's memory limit" + (env.isEmpty() ? "" : "; image ENV " + env),
                        flags,
                        env);
            }
        } catch (IOException e) {
            // fall through to the copy
        }
        return new JvmFlags(
                "built-in copy of docker/collector.Dockerfile's flags (file not found)",
                List.of(
                        "-XX:+UseSerialGC",
                        "-XX:MaxRAMPercentage=50",
                        "-Xss512k",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-XX:-UsePerfData",
                        "-XX:MaxRAM=" + memoryLimit));
    }

    /** {@code ENV KEY=VALUE} instructions of the Dockerfile (one pair each), applied to the collector process like the image does. */
    static Map<String, String> imageEnv(String dockerfile) {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^ENV\\s+([A-Za-z_][A-Za-z0-9_]*)=(\\S+)\\s*$")
                .matcher(dockerfile);
        while (m.find()) {
            env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
        }
        return env;
    }

    /** The image's class-data-sharing archive (docker/collector.Dockerfile builds it with this training run). */
    static final String CDS_TRAINING_MAIN = "dev.kubelogs.collector.CdsTraining";

    static final String SHARED_ARCHIVE_FLAG = "-XX:SharedArchiveFile=";

    /**
     * The image starts the collector with {@code -XX:SharedArchiveFile=/opt/kubelogs/...jsa}, an archive its build
     * made by one training run of {@link #CDS_TRAINING_MAIN} with {@code -XX:ArchiveClassesAtExit}. An archive only
     * fits the JVM and the jar path it was made with, so here the same training run makes one for this JVM and
     * {@code node-collector/target/kubelogs-node-collector.jar} ({@code node-collector/target/kubelogs-node-collector.jsa},
     * made again when the jar is newer), and the flag points to it. A flag naming an existing file is left alone.
     */
    static JvmFlags withLocalArchive(Path repoRoot, JvmFlags f) {
        int i = -1;
        for (int k = 0; k < f.flags().size(); k++) {
            if (f.flags().get(k).startsWith(SHARED_ARCHIVE_FLAG)) {
                i = k;
            }
        }
        if (i < 0 || Files.isRegularFile(Path.of(f.flags().get(i).substring(SHARED_ARCHIVE_FLAG.length())))) {
            return f;
        }
        Path jar = repoRoot.toAbsolutePath().resolve("node-collector/target/kubelogs-node-collector.jar");
        Path jsa = jar.resolveSibling("kubelogs-node-collector.jsa");
        List<String> flags = new ArrayList<>(f.flags());
        flags.remove(i);
        try {
            if (!Files.isRegularFile(jsa)
                    || Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) < 0) {
                Files.deleteIfExists(jsa);
                List<String> cmd = new ArrayList<>();
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.add("-XX:ArchiveClassesAtExit=" + jsa);
                cmd.addAll(flags);
                cmd.add("-cp");
                cmd.add(jar.toString());
                cmd.add(CDS_TRAINING_MAIN);
                Path log = jar.resolveSibling("cds-training.log");
                ProcessBuilder pb =
                        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().remove("JAVA_TOOL_OPTIONS");
                pb.environment().remove("JDK_JAVA_OPTIONS");
                pb.environment().putAll(f.env());
                Process p = pb.start();
                if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(jsa)) {
                    p.destroyForcibly();
                    throw new IOException("the CDS training run failed; see " + log);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        flags.add(i, SHARED_ARCHIVE_FLAG + jsa);
        return new JvmFlags(
                f.source() + "; " + f.flags().get(i) + " made here by the image's training run (" + CDS_TRAINING_MAIN
                        + ") as " + jsa,
                flags,
                f.env());
    }

    /**
     * The collector's classpath as its image has it: {@code node-collector/target/kubelogs-node-collector.jar} (the shaded
     * jar docker/collector.Dockerfile copies); else the module jar plus {@code target/lib}; else this JVM's classpath.
     */
    public static String classpath(Path repoRoot) {
        Path target = repoRoot.resolve("node-collector/target");
        Path shaded = target.resolve("kubelogs-node-collector.jar");
        if (Files.isRegularFile(shaded)) {
            return shaded.toString();
        }
        try {
            if (Files.isDirectory(target.resolve("lib"))) {
                try (var s = Files.list(target)) {
                    Path jar = s.filter(p -> p.getFileName().toString().matches("node-collector-.*\\.jar")
                                    && !p.getFileName().toString().contains("sources"))
                            .findFirst()
                            .orElse(null);
                    if (jar != null) {
                        return jar + File.pathSeparator + target.resolve("lib") + File.separator + "*";
                    }
                }
            }
        } catch (IOException e) {
            // fall back
        }
        return System.getProperty("java.class.path");
    }

    public static CollectorProcess start(Path repoRoot, JvmFlags flags, Map<String, String> env, Path logFile)
            throws IOException {
        return start(repoRoot, flags, env, logFile, true);
    }

    /**
     * Starts a collector; with {@code sealOnExit} SIGTERM drains and seals its spool (the end of a bounded run),
     * without it SIGTERM is the DaemonSet pod's plain stop (close the open segment, commit offsets) and a restart
     * continues.
     */
    public static CollectorProcess start(
            Path repoRoot, JvmFlags flags, Map<String, String> env, Path logFile, boolean sealOnExit)
            throws IOException {
        int port = LoopbackPorts.pick();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags.flags());
        cmd.add("-cp");
        cmd.add(classpath(repoRoot));
        cmd.add("dev.kubelogs.collector.CollectorCommand");
        if (sealOnExit) {
            cmd.add("--seal-on-exit");
        }
        // appended: a collector started again after a kill keeps the log of the one before
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> e = pb.environment();
        e.remove("JAVA_TOOL_OPTIONS");
        e.remove("JDK_JAVA_OPTIONS");
        e.putAll(flags.env());
        e.putAll(env);
        e.put("HTTP_SERVER", "On");
        e.put("HTTP_PORT", Integer.toString(port));
        e.putIfAbsent("USE_KUBELET", "Off");
        e.putIfAbsent("READ_FROM_HEAD", "On");
        e.putIfAbsent("READ_FROM_TAIL", "Off");
        return new CollectorProcess(pb.start(), port, logFile, env.get("HOST_NAME"));
    }

    public long pid() {
        return process.pid();
    }

    public String node() {
        return node;
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Proc.Sample sample() {
        return Proc.read(process.pid());
    }

    /** Waits until /metrics answers. */
    public void awaitUp(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IOException("collector " + node + " exited with " + process.exitValue() + "; see " + log);
            }
            if (metrics() != null) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("collector " + node + " did not come up within " + timeout + "; see " + log);
    }

    /** Counters from /metrics (records and bytes read, all inputs; segments written), or null if it does not answer. */
    public Map<String, Double> metrics() {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return null;
            }
            Map<String, Double> m = new LinkedHashMap<>();
            for (String line : r.body().split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                int sp = line.lastIndexOf(' ');
                String key = line.substring(0, sp);
                int brace = key.indexOf('{');
                String name = brace < 0 ? key : key.substring(0, brace);
                try {
                    m.merge(name, Double.parseDouble(line.substring(sp + 1)), Double::sum);
                } catch (NumberFormatException ignored) {
                    // not a sample
                }
            }
            return m;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public long recordsRead() {
        Map<String, Double> m = metrics();
        return m == null
                ? -1
                : m.getOrDefault("kubelogs_collector_records_read_total", 0.0).longValue();
    }

    /** SIGTERM; with --seal-on-exit the collector drains, closes its segment durably and writes the sealed marker. */
    public int stopAndSeal(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
