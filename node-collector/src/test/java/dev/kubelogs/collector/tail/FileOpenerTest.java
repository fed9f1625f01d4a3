package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening discovered files on a real log tree: only under the allowed roots, and only the file discovery saw. */
class FileOpenerTest {
    @TempDir
    Path tmp;

    private WatchedLogTree watched;
    private CollectorMetrics metrics;
    private TrackedFiles files;
    private FileOpener opener;
    private final List<String> newContainerFiles = new ArrayList<>();

    @BeforeEach
    void opener() throws IOException {
        watched = new WatchedLogTree(tmp);
        metrics = watched.metrics;
        files = new TrackedFiles(watched.watcher);
        StartPositions positions = new StartPositions(1024, metrics);
        positions.reset(null, false);
        opener = watched.opener(positions, files, metrics);
        opener.onNewContainerFile(newContainerFiles::add);
    }

    @AfterEach
    void close() {
        files.closeAll();
        watched.close();
    }

    private Path link(String name) {
        return watched.tree.root.resolve("containers").resolve(name);
    }

    @Test
    void aDiscoveredContainerFileIsOpenedAndTracked() throws IOException {
        String name = watched.tree.container("shop", "orders", "app", 1);
        Path target = watched.tree.target(name);
        LogTree.append(target, "line\n");
        FileIdentity id = FileIdentity.stat(link(name)).id();

        TrackedFile f = opener.open("/var/log/containers/" + name, link(name), id, SourceKind.CONTAINER);

        assertThat(f).isNotNull();
        assertThat(f.realPath).isEqualTo(target);
        assertThat(f.ref().kind()).isEqualTo(SourceKind.CONTAINER);
        assertThat(f.lastSize).isEqualTo(5);
        assertThat(files.isOpen(id)).isTrue();
        assertThat(newContainerFiles).containsExactly("/var/log/containers/" + name);
    }

    @Test
    void aHostFileIsNoNewContainerFile() throws IOException {
        Path messages = Files.writeString(watched.tree.root.resolve("messages"), "boot\n");
        FileIdentity id = FileIdentity.stat(messages).id();

        assertThat(opener.open("/var/log/messages", messages, id, SourceKind.HOST_FILE))
                .isNotNull();
        assertThat(newContainerFiles).isEmpty();
    }

    @Test
    void aLinkOutOfTheAllowedDirectoriesIsNeverOpened() throws IOException {
        Path secret = Files.writeString(tmp.resolve("shadow"), "root:x:0\n");
        Path evil = Files.createSymbolicLink(link("evil_ns_c-" + LogTree.containerId(2) + ".log"), secret);
        FileIdentity id = FileIdentity.stat(evil).id();

        TrackedFile f = opener.open("/var/log/containers/evil", evil, id, SourceKind.CONTAINER);

        assertThat(f).isNull();
        assertThat(files.size()).isZero();
        assertThat(metrics.symlinksRefused.getLongValue()).isEqualTo(1);
    }

    @Test
    void aFileReplacedSinceDiscoveryIsLeftToTheNextDiscovery() throws IOException {
        String name = watched.tree.container("shop", "orders", "app", 3);
        FileIdentity seen = FileIdentity.stat(link(name)).id();
        FileIdentity before = new FileIdentity(seen.device(), seen.inode() + 1_000_003);

        TrackedFile f = opener.open("/var/log/containers/" + name, link(name), before, SourceKind.CONTAINER);

        assertThat(f).isNull();
        assertThat(files.size()).isZero();
        assertThat(metrics.errorTotal()).as("not a problem").isZero();
    }

    @Test
    void aLinkWhoseTargetIsGoneIsReportedAsVanished() throws IOException {
        String name = watched.tree.container("shop", "orders", "app", 4);
        FileIdentity id = FileIdentity.stat(link(name)).id();
        Files.delete(watched.tree.target(name));

        TrackedFile f = opener.open("/var/log/containers/" + name, link(name), id, SourceKind.CONTAINER);

        assertThat(f).isNull();
        assertThat(metrics.errors("vanished_target")).isEqualTo(1);
    }
}
