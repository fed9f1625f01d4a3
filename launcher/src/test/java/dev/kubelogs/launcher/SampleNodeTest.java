package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleNodeTest {
    @TempDir
    Path dir;

    @Test
    void theJournalHoldsTheKubeletAndContainerdEntriesCountedAsDataplane() throws Exception {
        assumeThat(JournalWriter.remoteBinary())
                .as(JournalWriter.missingTools())
                .isNotNull();
        SampleNode node = new SampleNode(dir.resolve("var/log"), "ip-10-0-1-10.us-west-2.compute.internal", 1);
        node.write(2000);
        node.close();
        node.close(); // idempotent: the demo closes before sealing and again at the end

        // one unit name per entry
        Process p = new ProcessBuilder(
                        "journalctl",
                        "--directory=" + node.journalDir(),
                        "--merge",
                        "--output=cat",
                        "--output-fields=_SYSTEMD_UNIT",
                        "--no-pager")
                .redirectErrorStream(true)
                .start();
        List<String> units = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(units)
                .contains("kubelet.service", "containerd.service")
                .containsOnly("kubelet.service", "containerd.service");
        long journalEntries = units.size();
        // dataplane = the aws-node and kube-proxy container lines + every journal entry
        Path containers = dir.resolve("var/log/pods");
        long containerDataplane = 0;
        for (String pod : List.of("aws-node", "kube-proxy")) {
            try (Stream<Path> files = Files.walk(containers)) {
                List<Path> logs = files.filter(f -> f.toString().contains("/" + pod + "/")
                                && f.toString().endsWith(".log"))
                        .toList();
                for (Path f : logs) {
                    containerDataplane += Files.readAllLines(f).size();
                }
            }
        }
        assertThat(node.linesByDestination().get(SampleNode.Destination.DATAPLANE))
                .isEqualTo(containerDataplane + journalEntries);
    }
}
