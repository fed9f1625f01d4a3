package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.LocalS3;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.Segment;
import dev.kubelogs.spool.SegmentReader;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 spool end to end against a real S3-compatible server running in the test (S3Proxy). */
class S3SpoolTest {
    static final String BUCKET = "kubelogs-spool";

    @TempDir
    Path tmp;

    LocalS3 s3;
    S3Client client;

    @BeforeAll
    static void credentials() {
        LocalS3.useAsDefaultCredentials();
    }

    @AfterAll
    static void clearCredentials() {
        LocalS3.clearDefaultCredentials();
    }

    @BeforeEach
    void startS3() throws Exception {
        s3 = new LocalS3(BUCKET);
        client = s3.client();
    }

    @AfterEach
    void stopS3() throws Exception {
        client.close();
        s3.close();
    }

    CollectorConfig.Builder config(LogTree tree) {
        return CollectorConfig.builder()
                .logRoot(tree.root)
                .spoolDir(tmp.resolve("spool"))
                .stateDir(tmp.resolve("state"))
                .cluster("prod")
                .node("ip-1")
                .readFromHead(true)
                .maxSegmentAge(Duration.ofMillis(100))
                .pollInterval(Duration.ofMillis(50))
                .s3Uri("s3://" + BUCKET + "/kubelogs/spool/")
                .s3Endpoint(s3.endpoint())
                .region("us-west-2");
    }

    TreeMap<String, byte[]> objects() {
        TreeMap<String, byte[]> out = new TreeMap<>();
        for (S3Object o : client.listObjectsV2Paginator(
                        ListObjectsV2Request.builder().bucket(BUCKET).build())
                .contents()) {
            out.put(
                    o.key(),
                    client.getObjectAsBytes(GetObjectRequest.builder()
                                    .bucket(BUCKET)
                                    .key(o.key())
                                    .build())
                            .asByteArray());
        }
        return out;
    }

    List<String> remoteLines(TreeMap<String, byte[]> objects) throws IOException {
        List<String> lines = new ArrayList<>();
        for (var e : objects.entrySet()) {
            if (e.getKey().endsWith(SpoolPaths.SEGMENT_SUFFIX)) {
                Segment s = SegmentReader.parse(e.getValue());
                for (var entry : s.entries()) {
                    LineEntry l = (LineEntry) entry;
                    assertThat(l.flags() & LineFlags.PARTIAL).isZero();
                    lines.add(new String(l.bytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return lines;
    }

    static long localSegments(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SpoolPaths.SEGMENT_SUFFIX)) {
            long n = 0;
            for (Path ignored : ds) {
                n++;
            }
            return n;
        }
    }

    @Test
    void segmentsAreUploadedUnderDeterministicKeysAndSurviveAnOutage() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        Path messages = tree.root.resolve("messages");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            LogTree.append(messages, "first " + i + "\n");
            expected.add("first " + i);
        }
        NodeCollector c = new NodeCollector(config(tree).build());
        c.start();
        Await.until(
                "uploads",
                Duration.ofSeconds(20),
                () -> c.metrics().s3Uploads.get() >= 1 && c.stats().linesRead() == 50);
        Await.until("local buffer drained", Duration.ofSeconds(20), () -> {
            try {
                return localSegments(c.nodeSpoolDirectory()) == 0;
            } catch (IOException e) {
                return false;
            }
        });

        // S3 goes away: segments stay local, uploads are retried
        int port = s3.port();
        s3.stop();
        for (int i = 0; i < 30; i++) {
            LogTree.append(messages, "during outage " + i + "\n");
            expected.add("during outage " + i);
        }
        Await.until(
                "upload errors while S3 is down",
                Duration.ofSeconds(20),
                () -> c.metrics().s3Errors.get() >= 1);
        Await.until(
                "lines read during the outage",
                Duration.ofSeconds(20),
                () -> c.stats().linesRead() == 80);
        Await.until("segments kept locally", Duration.ofSeconds(20), () -> {
            try {
                return localSegments(c.nodeSpoolDirectory()) >= 1;
            } catch (IOException e) {
                return false;
            }
        });
        s3.start(port);
        for (int i = 0; i < 10; i++) {
            LogTree.append(messages, "after " + i + "\n");
            expected.add("after " + i);
        }
        Await.until("lines after", Duration.ofSeconds(20), () -> c.stats().linesRead() == 90);
        c.drainAndSeal();

        assertThat(localSegments(c.nodeSpoolDirectory())).isZero();
        TreeMap<String, byte[]> objects = objects();
        String prefix = "kubelogs/spool/prod/ip-1/";
        assertThat(objects.keySet()).allMatch(k -> k.startsWith(prefix));
        List<String> segKeys =
                objects.keySet().stream().filter(k -> k.endsWith(".seg")).toList();
        for (int i = 0; i < segKeys.size(); i++) {
            assertThat(segKeys.get(i)).isEqualTo(prefix + SpoolPaths.segmentFileName(i));
        }
        assertThat(new String(objects.get(prefix + "sealed"), StandardCharsets.US_ASCII))
                .isEqualTo(Long.toString(segKeys.size() - 1));
        assertThat(remoteLines(objects)).containsExactlyElementsOf(expected);
    }

    @Test
    void withoutLocalStateNumberingContinuesAfterWhatS3Holds() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        LogTree.append(tree.root.resolve("messages"), "one\n");
        NodeCollector c1 = new NodeCollector(config(tree).build());
        c1.start();
        Await.until("line", Duration.ofSeconds(20), () -> c1.stats().linesRead() == 1);
        c1.drainAndSeal();
        int before = (int)
                objects().keySet().stream().filter(k -> k.endsWith(".seg")).count();
        assertThat(before).isPositive();
        // the node's disk is wiped (new node with the same name, or lost hostPath)
        deleteTree(tmp.resolve("state"));
        deleteTree(tmp.resolve("spool"));
        LogTree.append(tree.root.resolve("messages"), "two\n");
        NodeCollector c2 = new NodeCollector(config(tree).build());
        c2.start();
        Await.until("lines", Duration.ofSeconds(20), () -> c2.stats().linesRead() == 2);
        c2.drainAndSeal();
        List<String> keys =
                objects().keySet().stream().filter(k -> k.endsWith(".seg")).toList();
        assertThat(keys).hasSize(before + 1);
        assertThat(keys.get(before)).endsWith(SpoolPaths.segmentFileName(before));
        assertThat(remoteLines(objects())).containsExactly("one", "one", "two");
    }

    static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
