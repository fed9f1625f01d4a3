package dev.kubelogs.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./pipeline bench}: runs the benchmark harness of the {@code benchmarks/} module in a child JVM.
 *
 * <p>Dependency direction: {@code benchmarks} depends on {@code launcher} (and through it on job, collector and the
 * local endpoint); {@code launcher} must not depend on {@code benchmarks}. So this command knows the harness only by
 * its main class name and the module's build output ({@code benchmarks/target/classes} plus
 * {@code benchmarks/target/classpath.txt}); it builds the module with Maven when that output is missing or older
 * than the sources, then starts {@code dev.kubelogs.bench.BenchMain} with every argument passed through, so
 * {@code ./pipeline bench --help} prints the harness's own options. A child JVM also gives the harness a heap sized
 * for the local endpoint's in-memory store ({@code BENCH_JAVA_OPTS}, default {@code -Xmx8g}).
 */
@Command(
        name = "bench",
        description =
                "Benchmarks: end-to-end harness (collectors + job + local endpoint), collector CPU/RSS at fixed rates, "
                        + "saturation search, source state size, JMH, and (--parts metrics) the metrics pipeline: samples per "
                        + "CPU-second, delta state per series, discovery memory; writes a markdown report with PNG plots. "
                        + "Run ./pipeline bench --help for the options.")
public final class BenchCommand implements Callable<Integer> {
    static final String MAIN_CLASS = "dev.kubelogs.bench.BenchMain";

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return runHarness(MAIN_CLASS, args, "-Xmx8g");
    }

    /**
     * Builds the benchmarks module when its output is stale, then runs {@code mainClass} from it in a child JVM
     * ({@code BENCH_JAVA_OPTS}, else {@code defaultJavaOpts}) with {@code args}; returns its exit code.
     */
    static int runHarness(String mainClass, List<String> args, String defaultJavaOpts)
            throws IOException, InterruptedException {
        return runHarness(repoRoot(), mainClass, args, defaultJavaOpts);
    }

    /** As {@link #runHarness(String, List, String)}, in the repository at {@code root}. */
    static int runHarness(Path root, String mainClass, List<String> args, String defaultJavaOpts)
            throws IOException, InterruptedException {
        Path module = root.resolve("benchmarks");
        Path cpFile = module.resolve("target/classpath.txt");
        if (stale(root, cpFile)) {
            int built = build(root);
            if (built != 0) {
                return built;
            }
        }
        String cp = module.resolve("target/classes")
                + File.pathSeparator
                + Files.readString(cpFile, StandardCharsets.UTF_8).trim();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv().getOrDefault("BENCH_JAVA_OPTS", defaultJavaOpts);
        for (String o : opts.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.add("-Dkubelogs.repo.root=" + root);
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(mainClass);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        Thread forward = new Thread(p::destroy, "bench-stop");
        Runtime.getRuntime().addShutdownHook(forward);
        int code = p.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(forward);
        } catch (IllegalStateException shuttingDown) {
            // the hook already ran
        }
        return code;
    }

    /** The repository root: where ./pipeline runs (it cd's there), found by walking up to the parent pom. */
    public static Path repoRoot() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path c = p; c != null; c = c.getParent()) {
            if (Files.isRegularFile(c.resolve("benchmarks/pom.xml")) && Files.isRegularFile(c.resolve("pom.xml"))) {
                return c;
            }
        }
        return p;
    }

    /** True when the benchmarks build output is missing or older than any pom or main source of the repository. */
    static boolean stale(Path root, Path cpFile) throws IOException {
        if (!Files.isRegularFile(cpFile)
                || !Files.isDirectory(cpFile.getParent().resolve("classes"))) {
            return true;
        }
        FileTime built = Files.getLastModifiedTime(cpFile);
        List<Path> roots = new ArrayList<>();
        roots.add(root.resolve("pom.xml"));
        try (Stream<Path> modules = Files.list(root)) {
            modules.filter(m -> Files.isRegularFile(m.resolve("pom.xml"))).forEach(m -> {
                roots.add(m.resolve("pom.xml"));
                roots.add(m.resolve("src/main"));
            });
        }
        for (Path r : roots) {
            if (!Files.exists(r)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(r)) {
                if (files.anyMatch(f -> {
                    try {
                        return Files.isRegularFile(f)
                                && Files.getLastModifiedTime(f).compareTo(built) > 0;
                    } catch (IOException e) {
                        return true;
                    }
                })) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int build(Path root) throws IOException, InterruptedException {
        System.err.println("pipeline bench: building the benchmarks module (first run or sources changed)…");
        Path log = Files.createTempFile("kubelogs-bench-build", ".log");
        Process mvn = new ProcessBuilder(
                        "mvn", "-B", "-q", "-Dmaven.test.skip=true", "install", "-pl", "benchmarks", "-am")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int code = mvn.waitFor();
        if (code != 0) {
            System.err.println("pipeline bench: build failed, full log: " + log);
            try (Stream<String> lines = Files.lines(log)) {
                lines.filter(l -> l.contains("ERROR")).limit(40).forEach(System.err::println);
            }
            return code;
        }
        Files.deleteIfExists(log);
        // Maven rewrites the class path file only when it changed: without this, every later run would build again
        // (and put a freshly built job jar over one placed there on purpose)
        Path cpFile = root.resolve("benchmarks/target/classpath.txt");
        if (Files.isRegularFile(cpFile)) {
            Files.setLastModifiedTime(cpFile, FileTime.fromMillis(System.currentTimeMillis()));
        }
        return 0;
    }
}
