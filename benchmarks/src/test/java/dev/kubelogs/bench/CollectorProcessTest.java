package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorProcessTest {

    @TempDir
    Path tmp;

    @Test
    void theDockerProfileIsTheImagesEntrypointFlagsAndEnvWithTheMemoryLimit() throws Exception {
        Files.createDirectories(tmp.resolve("docker"));
        Files.writeString(
                tmp.resolve("docker/collector.Dockerfile"),
                "FROM eclipse-temurin:17-jre\n"
                        + "ENV MALLOC_ARENA_MAX=2\n"
                        + "ENV LANG=\"C.UTF-8\"\n"
                        + "ENTRYPOINT [\"java\", \"-XX:+UseSerialGC\", \"-Xss512k\", \"-cp\", \"/opt/c.jar\", \"Main\"]\n");

        CollectorProcess.JvmFlags f = CollectorProcess.flags(tmp, "docker", "128m");

        assertThat(f.flags()).containsExactly("-XX:+UseSerialGC", "-Xss512k", "-XX:MaxRAM=128m");
        assertThat(f.env()).containsExactly(Map.entry("MALLOC_ARENA_MAX", "2"), Map.entry("LANG", "C.UTF-8"));
        assertThat(f.source()).startsWith("docker/collector.Dockerfile ENTRYPOINT + -XX:MaxRAM=128m");
        assertThat(f).hasToString("-XX:+UseSerialGC -Xss512k -XX:MaxRAM=128m  (" + f.source() + ")");
    }

    @Test
    void withoutTheDockerfileTheBuiltInCopyIsUsed() {
        CollectorProcess.JvmFlags f = CollectorProcess.flags(tmp, "docker", "256m");

        assertThat(f.source()).startsWith("built-in copy");
        assertThat(f.flags()).contains("-XX:+UseSerialGC").endsWith("-XX:MaxRAM=256m");
    }

    @Test
    void otherFlagsAreTakenAsGiven() {
        CollectorProcess.JvmFlags f = CollectorProcess.flags(tmp, " -Xmx64m  -XX:+UseG1GC ", "128m");

        assertThat(f.flags()).containsExactly("-Xmx64m", "-XX:+UseG1GC");
        assertThat(f.source()).isEqualTo("--collector-jvm (not the shipped flags)");
    }

    @Test
    void anArchiveFlagNamingAnExistingFileIsLeftAlone() throws Exception {
        Path jsa = Files.writeString(tmp.resolve("c.jsa"), "x");
        CollectorProcess.JvmFlags f =
                new CollectorProcess.JvmFlags("test", List.of("-Xmx40m", CollectorProcess.SHARED_ARCHIVE_FLAG + jsa));

        assertThat(CollectorProcess.withLocalArchive(tmp, f)).isSameAs(f);
    }

    @Test
    void theClasspathIsTheShadedJarElseTheModuleJarWithItsLibs() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("node-collector/target"));
        assertThat(CollectorProcess.classpath(tmp)).isEqualTo(System.getProperty("java.class.path"));

        Files.createDirectories(target.resolve("lib"));
        Files.writeString(target.resolve("node-collector-1.0.jar"), "");
        Files.writeString(target.resolve("node-collector-1.0-sources.jar"), "");
        assertThat(CollectorProcess.classpath(tmp))
                .isEqualTo(target.resolve("node-collector-1.0.jar") + ":" + target.resolve("lib") + "/*");

        Files.writeString(target.resolve("kubelogs-node-collector.jar"), "");
        assertThat(CollectorProcess.classpath(tmp))
                .isEqualTo(target.resolve("kubelogs-node-collector.jar").toString());
    }

    @Test
    void aCollectorServesItsMetricsAndSealsOnSigterm() throws Exception {
        Path logRoot = Files.createDirectories(tmp.resolve("logs"));
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Map<String, String> env = CollectorFleet.idleEnv("node-a", logRoot, spool, tmp.resolve("state"));

        try (CollectorProcess c = CollectorProcess.start(
                BenchMain.repoRoot(),
                new CollectorProcess.JvmFlags("test", List.of("-Xmx64m")),
                env,
                tmp.resolve("collector.log"))) {
            c.awaitUp(Duration.ofSeconds(60));

            assertThat(c.node()).isEqualTo("node-a");
            assertThat(c.alive()).isTrue();
            assertThat(c.recordsRead()).isZero();
            assertThat(c.metrics()).containsKey("kubelogs_collector_segments_written_total");
            assertThat(c.sample()).isNotNull();
            // a JVM ended by SIGTERM exits with 128 + 15 after its shutdown hook; -1 would be a kill after the timeout
            assertThat(c.stopAndSeal(Duration.ofSeconds(60))).isEqualTo(143);
            assertThat(c.recordsRead()).isEqualTo(-1);
        }
        try (var files = Files.walk(spool)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains("sealed"));
        }
    }
}
