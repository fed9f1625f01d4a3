package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.tail.FileIdentity;
import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.collector.testing.SpoolContents;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.SourceKind;
import dev.kubelogs.spool.SpoolPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorEndToEndTest {
    @TempDir
    Path tmp;

    CollectorConfig.Builder config(LogTree tree) {
        return tree.collectorConfig(tmp)
                .cluster("prod")
                .node("ip-10-0-0-1.ec2.internal")
                .nodeAttributes(Map.of("az", "us-west-2a"));
    }

    static void awaitLines(NodeCollector c, long n) {
        Await.until(
                n + " lines read",
                Duration.ofSeconds(20),
                () -> c.stats().linesRead() >= n,
                () -> c.stats().toString());
    }

    /** Asserts that the spool holds exactly the file's lines, with consecutive offsets that point at those bytes. */
    static void assertExactly(SpoolContents s, String logicalPath, Path file, SourceKind kind) throws Exception {
        byte[] content = Files.readAllBytes(file);
        List<LineEntry> lines = s.byPath().getOrDefault(logicalPath, List.of());
        FileIdentity id = FileIdentity.stat(file).id();
        long expected = 0;
        for (LineEntry l : lines) {
            assertThat(l.file().kind()).isEqualTo(kind);
            assertThat(l.file().device()).isEqualTo(id.device());
            assertThat(l.file().inode()).isEqualTo(id.inode());
            assertThat(l.file().generation()).isZero();
            assertThat(l.offset()).as("offset in %s", logicalPath).isEqualTo(expected);
            assertThat(Arrays.copyOfRange(content, (int) l.offset(), (int) l.offset() + l.bytes().length))
                    .isEqualTo(l.bytes());
            expected += LineFlags.advance(kind, l.bytes().length, l.flags());
            if (LineFlags.consumedNewline(l.flags())) {
                assertThat(content[(int) expected - 1]).isEqualTo((byte) '\n');
            }
        }
        assertThat(expected)
                .as("everything of %s read exactly once", logicalPath)
                .isEqualTo(content.length);
    }

    @Test
    void tailsContainerAndHostFilesExactlyOnceAndSeals() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        String docker = tree.container("shop", "orders-7d9c6b7f9d-x2m4q", "orders", 1);
        String cri = tree.container("kube-system", "aws-node-7xk2p", "aws-node", 2);
        Path messages = tree.root.resolve("messages");
        LogTree.append(messages, "May  1 10:00:00 ip-10-0-0-1 systemd[1]: Started.\n");
        LogTree.append(tree.target(docker), LogTree.docker("before start", 0) + "\n");
        LogTree.append(tree.root.resolve("not-a-host-file.log"), "ignored\n");

        NodeCollector c = new NodeCollector(config(tree).build());
        c.start();
        awaitLines(c, 2);
        int total = 2;
        for (int i = 0; i < 200; i++) {
            LogTree.append(tree.target(docker), LogTree.docker("line " + i, i) + "\n");
            LogTree.append(tree.target(cri), LogTree.cri("cri line " + i, i) + "\n");
            total += 2;
            if (i % 50 == 0) {
                LogTree.append(messages, "May  1 10:00:0" + (i % 10) + " host kernel: x " + i + "\n");
                total++;
            }
        }
        LogTree.append(tree.root.resolve("dmesg"), "[    0.000000] Linux version 6.1\n");
        total++;
        awaitLines(c, total);
        // a last line without its newline leaves at the seal, marked NO_NEWLINE: nothing is read here after it
        LogTree.append(tree.target(cri), "2024-05-01T10:00:00.1Z stdout P incompl");
        total++;
        c.drainAndSeal();

        Path nodeDir = tmp.resolve("spool/prod/ip-10-0-0-1.ec2.internal");
        assertThat(nodeDir).isEqualTo(c.nodeSpoolDirectory());
        SpoolContents s = SpoolContents.read(nodeDir);
        assertThat(Files.readString(nodeDir.resolve(SpoolPaths.SEALED)).trim())
                .isEqualTo(Long.toString(s.segments.lastKey()));
        assertThat(s.countLines()).isEqualTo(total);
        assertThat(c.stats().linesRead()).isEqualTo(total);
        assertThat(c.stats().segmentsWritten()).isEqualTo(s.segments.size());
        assertThat(s.segments.firstEntry().getValue().header().nodeAttributes()).containsEntry("az", "us-west-2a");
        assertThat(s.segments.firstEntry().getValue().header().cluster()).isEqualTo("prod");
        assertThat(s.segments.keySet()).containsExactlyElementsOf(range(0, s.segments.size()));

        assertExactly(s, "/var/log/containers/" + docker, tree.target(docker), SourceKind.CONTAINER);
        assertExactly(s, "/var/log/messages", messages, SourceKind.HOST_FILE);
        assertExactly(s, "/var/log/dmesg", tree.root.resolve("dmesg"), SourceKind.HOST_FILE);
        List<String> criTexts = s.texts("/var/log/containers/" + cri);
        assertThat(criTexts)
                .hasSize(201)
                .startsWith(LogTree.cri("cri line 0", 0))
                .endsWith("2024-05-01T10:00:00.1Z stdout P incompl");
        assertExactly(s, "/var/log/containers/" + cri, tree.target(cri), SourceKind.CONTAINER);
        assertThat(s.byPath()).doesNotContainKey("/var/log/not-a-host-file.log");
        assertThat(Files.list(nodeDir).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
                .isEmpty();
    }

    static List<Long> range(long from, long count) {
        List<Long> r = new ArrayList<>();
        for (long i = from; i < from + count; i++) {
            r.add(i);
        }
        return r;
    }

    @Test
    void restartContinuesWithoutLossOrDuplicates() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        String a = tree.container("shop", "web-1", "web", 1);
        String b = tree.container("shop", "web-10", "web", 2);
        int total = 0;
        NodeCollector c1 = new NodeCollector(config(tree).build());
        c1.start();
        for (int i = 0; i < 100; i++) {
            LogTree.append(tree.target(a), LogTree.docker("a" + i, i) + "\n");
            total++;
        }
        awaitLines(c1, total);
        LogTree.append(tree.target(b), LogTree.cri("b-first", 0) + "\n");
        total++;
        awaitLines(c1, total);
        c1.close();

        // written while the collector is down
        for (int i = 100; i < 150; i++) {
            LogTree.append(tree.target(a), LogTree.docker("a" + i, i) + "\n");
            total++;
        }
        String late = tree.container("shop", "late", "c", 3);
        LogTree.append(tree.target(late), LogTree.cri("late", 0) + "\n");
        total++;

        NodeCollector c2 = new NodeCollector(config(tree).readFromHead(false).build());
        c2.start();
        awaitLines(c2, total - 101);
        for (int i = 0; i < 30; i++) {
            LogTree.append(tree.target(b), LogTree.cri("b" + i, i) + "\n");
            total++;
        }
        awaitLines(c2, total - 101);
        c2.drainAndSeal();
        SpoolContents s = SpoolContents.read(c2.nodeSpoolDirectory());
        assertThat(s.countLines()).isEqualTo(total);
        assertExactly(s, "/var/log/containers/" + a, tree.target(a), SourceKind.CONTAINER);
        assertExactly(s, "/var/log/containers/" + b, tree.target(b), SourceKind.CONTAINER);
        assertExactly(s, "/var/log/containers/" + late, tree.target(late), SourceKind.CONTAINER);
        assertThat(s.segments.keySet()).containsExactlyElementsOf(range(0, s.segments.size()));
    }

    @Test
    void readTailOnFirstStartSkipsExistingContentButReadsLaterFilesFromHead() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        String old = tree.container("ns", "old", "c", 1);
        LogTree.append(tree.target(old), "old 1\nold 2\n");
        NodeCollector c = new NodeCollector(config(tree).readFromHead(false).build());
        c.start();
        Await.until("old file tracked", Duration.ofSeconds(10), () -> c.stats().filesTracked() == 1);
        LogTree.append(tree.target(old), "new 3\n");
        String fresh = tree.container("ns", "fresh", "c", 2);
        LogTree.append(tree.target(fresh), "fresh 1\nfresh 2\n");
        awaitLines(c, 3);
        c.drainAndSeal();
        SpoolContents s = SpoolContents.read(c.nodeSpoolDirectory());
        assertThat(s.texts("/var/log/containers/" + old)).containsExactly("new 3");
        assertThat(s.byPath().get("/var/log/containers/" + old).get(0).offset()).isEqualTo(12);
        assertThat(s.texts("/var/log/containers/" + fresh)).containsExactly("fresh 1", "fresh 2");
    }

    @Test
    void drainAndSealWithNothingToReadWritesAnEmptySegment() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        NodeCollector c = new NodeCollector(config(tree).build());
        c.start();
        c.drainAndSeal();
        SpoolContents s = SpoolContents.read(c.nodeSpoolDirectory());
        assertThat(s.segments).hasSize(1);
        assertThat(Files.readString(c.nodeSpoolDirectory().resolve("sealed"), StandardCharsets.US_ASCII))
                .isEqualTo("0");
        c.close(); // after seal: no-op
    }
}
