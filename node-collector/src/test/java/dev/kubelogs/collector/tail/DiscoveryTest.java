package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.spool.SourceKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryTest {
    @TempDir
    Path root;

    @Test
    void kubeletLinksOfACopiedNodeResolveUnderTheLogRoot() throws Exception {
        // a node's /var/log copied elsewhere: the links still say /var/log/pods/...
        Path target = root.resolve("pods/shop_orders-0_uid/orders/0.log");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "line\n");
        Files.createDirectories(root.resolve("containers"));
        Path link = root.resolve("containers/orders-0_shop_orders-" + "a".repeat(64) + ".log");
        Files.createSymbolicLink(link, Path.of("/var/log/pods/shop_orders-0_uid/orders/0.log"));

        Map<String, Discovery.Candidate> found =
                new Discovery(root, root.resolve("docker"), List.of("containers/*.log"), List.of(), List.of()).list();
        assertThat(found).hasSize(1);
        Discovery.Candidate c = found.values().iterator().next();
        assertThat(c.logicalPath()).isEqualTo("/var/log/containers/" + link.getFileName());
        assertThat(c.path()).isEqualTo(target);
    }

    @Test
    void linksThatResolveAreLeftAlone() throws Exception {
        Path target = root.resolve("pods/a/0.log");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "x\n");
        Files.createDirectories(root.resolve("containers"));
        Path link = root.resolve("containers/a_b_c-" + "b".repeat(64) + ".log");
        Files.createSymbolicLink(link, target);
        Discovery.Candidate c = new Discovery(
                        root, root.resolve("docker"), List.of("containers/*.log"), List.of(), List.of())
                .list()
                .values()
                .iterator()
                .next();
        assertThat(c.path()).isEqualTo(link);
    }

    @Test
    void dockerLinksOfACopiedNodeResolveUnderTheConfiguredDockerDirectory() throws Exception {
        Path docker = root.resolveSibling(root.getFileName() + "-docker");
        String id = "c".repeat(64);
        Path target = docker.resolve(id).resolve(id + "-json.log");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "{}\n");
        Files.createDirectories(root.resolve("containers"));
        Files.createSymbolicLink(
                root.resolve("containers/a_b_c-" + id + ".log"),
                Path.of("/var/lib/docker/containers/" + id + "/" + id + "-json.log"));
        Discovery d = new Discovery(root, docker, List.of("containers/*.log"), List.of(), List.of());
        Discovery.Candidate c = d.list().values().iterator().next();
        assertThat(c.path()).isEqualTo(target);
        assertThat(d.allows(c.path().toRealPath())).isTrue();
    }

    @Test
    void onlyTheLogRootAndTheDockerDirectoryAreAllowed() throws Exception {
        Path docker = Files.createDirectories(root.resolve("docker"));
        Discovery d = new Discovery(root.resolve("log"), docker, List.of("containers/*.log"), List.of(), List.of());
        assertThat(d.allows(root.resolve("log/pods/a/0.log").toAbsolutePath())).isTrue();
        assertThat(d.allows(docker.toRealPath().resolve("x/x-json.log"))).isTrue();
        assertThat(d.allows(Path.of("/etc/passwd"))).isFalse();
        assertThat(d.allows(root.resolve("logs-next-door/x.log").toAbsolutePath()))
                .as("a sibling sharing the prefix")
                .isFalse();
    }

    @Test
    void includeGlobsThatMatchNothingAreNamed() throws Exception {
        Files.createDirectories(root.resolve("containers"));
        Files.writeString(root.resolve("containers/a.log"), "x\n");
        Discovery d = new Discovery(
                root,
                root.resolve("docker"),
                List.of("containers/*.log", "/var/log/contianers/*.log", "containers/a.*"),
                List.of(),
                List.of());
        d.list();
        assertThat(d.includesMatchingNothing()).containsExactly("/var/log/contianers/*.log");
    }

    @Test
    void candidateForNamesWhatAPathWouldBeWithoutListing() throws Exception {
        Path real = root.toRealPath();
        Discovery d = new Discovery(
                root, root.resolve("docker"), List.of("app/*.log"), List.of("app/skip*"), List.of("messages"));
        assertThat(d.candidateFor(real.resolve("app/job.log")))
                .isEqualTo(new Discovery.Candidate(
                        "/var/log/app/job.log", real.resolve("app/job.log"), SourceKind.CONTAINER));
        assertThat(d.candidateFor(root.resolve("messages")).kind()).isEqualTo(SourceKind.HOST_FILE);
        assertThat(d.candidateFor(real.resolve("app/skip.log"))).as("excluded").isNull();
        assertThat(d.candidateFor(real.resolve("app/sub/job.log"))).isNull();
        assertThat(d.candidateFor(Path.of("/etc/app/job.log"))).isNull();
    }
}
