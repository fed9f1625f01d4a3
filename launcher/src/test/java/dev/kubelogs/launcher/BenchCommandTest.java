package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {
    private static final FileTime SOURCES = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
    private static final FileTime BUILT = FileTime.from(Instant.parse("2026-01-02T00:00:00Z"));

    @TempDir
    Path root;

    /** A repository with a built benchmarks module whose build is newer than every pom and main source. */
    private Path builtRepository(String classpath) throws Exception {
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Path module = Files.createDirectories(root.resolve("benchmarks"));
        Files.writeString(module.resolve("pom.xml"), "<project/>");
        Path source = Files.createDirectories(module.resolve("src/main/java")).resolve("A.java");
        Files.writeString(source, "class A {}");
        Files.createDirectories(module.resolve("target/classes"));
        Path cp = Files.writeString(module.resolve("target/classpath.txt"), classpath);
        for (Path p : List.of(root.resolve("pom.xml"), module.resolve("pom.xml"), source)) {
            Files.setLastModifiedTime(p, SOURCES);
        }
        Files.setLastModifiedTime(cp, BUILT);
        return cp;
    }

    @Test
    void aBuildNewerThanEveryPomAndSourceIsFresh() throws Exception {
        Path cp = builtRepository("");

        assertThat(BenchCommand.stale(root, cp)).isFalse();
    }

    @Test
    void aNewerSourceOrPomInAnyModuleMakesItStale() throws Exception {
        Path cp = builtRepository("");
        Path other = Files.createDirectories(root.resolve("job/src/main/java"));
        Files.writeString(root.resolve("job/pom.xml"), "<project/>");
        Files.setLastModifiedTime(root.resolve("job/pom.xml"), SOURCES);
        Path source = Files.writeString(other.resolve("B.java"), "class B {}");
        Files.setLastModifiedTime(source, SOURCES);
        assertThat(BenchCommand.stale(root, cp)).isFalse();

        Files.setLastModifiedTime(source, FileTime.from(Instant.parse("2026-01-03T00:00:00Z")));
        assertThat(BenchCommand.stale(root, cp)).isTrue();

        Files.setLastModifiedTime(source, SOURCES);
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(Instant.parse("2026-01-03T00:00:00Z")));
        assertThat(BenchCommand.stale(root, cp)).isTrue();
    }

    @Test
    void aMissingClasspathFileOrClassesFolderIsStale() throws Exception {
        Path cp = builtRepository("");
        Files.delete(root.resolve("benchmarks/target/classes"));
        assertThat(BenchCommand.stale(root, cp)).isTrue();

        Files.delete(cp);
        assertThat(BenchCommand.stale(root, cp)).isTrue();
    }

    @Test
    void theHarnessRunsInAChildJvmWithTheArgumentsAndItsExitCodeIsReturned() throws Exception {
        builtRepository(System.getProperty("java.class.path"));

        int code = BenchCommand.runHarness(
                root, HarnessStub.class.getName(), List.of("7", root.toString()), "-Xmx64m -Dstub.flag=on");

        assertThat(code).isEqualTo(7);
    }

    @Test
    void everyArgumentIsPassedThroughToTheHarness() {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench).parseArgs("--parts", "e2e", "--duration=20s", "--help");

        assertThat(bench.args).containsExactly("--parts", "e2e", "--duration=20s", "--help");
    }

    @Test
    void theRepositoryRootHoldsTheBenchmarksModule() {
        Path found = BenchCommand.repoRoot();

        assertThat(found.resolve("benchmarks/pom.xml")).isRegularFile();
        assertThat(found.resolve("pom.xml")).isRegularFile();
    }
}
