package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./pipeline} runs on {@code target/classpath.txt}: the runtime classpath, never a test jar (flink-runtime's
 * tests jar carries a {@code log4j2-test.properties} with the root logger OFF, which silenced every warning), and a
 * command started on it exactly as the script starts it logs its warnings.
 */
class RuntimeClasspathLoggingTest {
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));

    @TempDir
    Path tmp;

    private static List<String> runtimeClasspath() throws Exception {
        String cp = Files.readString(MODULE.resolve("target/classpath.txt"), StandardCharsets.UTF_8)
                .trim();
        return Arrays.asList(cp.split(File.pathSeparator));
    }

    @Test
    void theRuntimeClasspathHoldsNoTestJarAndNoTestLoggingConfiguration() throws Exception {
        List<String> jars = runtimeClasspath();
        assertThat(jars).isNotEmpty().noneMatch(j -> j.endsWith("-tests.jar") || j.contains("/test-utils"));
        for (String jar : jars) {
            if (jar.endsWith(".jar")) {
                try (JarFile f = new JarFile(jar)) {
                    assertThat(f.getEntry("log4j2-test.properties")).as(jar).isNull();
                    assertThat(f.getEntry("log4j2-test.xml")).as(jar).isNull();
                }
            }
        }
    }

    @Test
    void aPipelineCommandOnTheRuntimeClasspathLogsItsWarnings() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("log/containers"));
        Files.writeString(
                logs.resolve("web-0_default_nginx-" + "a".repeat(64) + ".log"),
                "{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2026-01-01T00:00:00.000000000Z\"}\n"
                        .repeat(100));
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                MODULE.resolve("target/classes")
                        + File.pathSeparator
                        + String.join(File.pathSeparator, runtimeClasspath()),
                PipelineCommand.class.getName(),
                "collector",
                "--cluster",
                "c",
                "--node",
                "n",
                "--log-root",
                tmp.resolve("log").toString(),
                "--spool-dir",
                tmp.resolve("spool").toString(),
                "--state-dir",
                tmp.resolve("state").toString(),
                "--read-from-head",
                "--http-server=false",
                "--kubelet=false",
                "--host-logs",
                "none",
                "--max-spool-bytes",
                "1",
                "--max-segment-bytes",
                "1024"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            // a spool over its limit (several segments of 1 KiB over 1 byte) is a warning the user must see
            CompletableFuture<String> warning =
                    CompletableFuture.supplyAsync(() -> firstLineWith(p, "WARN", "tailing paused"));
            assertThat(warning.get(60, TimeUnit.SECONDS)).contains("WARN").contains("SpoolPressure");
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String firstLineWith(Process p, String... parts) {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                String l = line;
                if (Arrays.stream(parts).allMatch(l::contains)) {
                    return line;
                }
            }
            return "(the process ended without that line)";
        } catch (java.io.IOException e) {
            return "(" + e + ")";
        }
    }
}
