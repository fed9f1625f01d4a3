package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

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

        Map<String, Discovery.Candidate> found = new Discovery(root, List.of("containers/*.log"), List.of(), List.of()).list();
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
        Discovery.Candidate c = new Discovery(root, List.of("containers/*.log"), List.of(), List.of()).list().values().iterator().next();
        assertThat(c.path()).isEqualTo(link);
    }
}
