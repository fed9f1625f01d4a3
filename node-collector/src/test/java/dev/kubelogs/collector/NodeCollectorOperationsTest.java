package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.collector.testing.SpoolContents;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.Segment;
import dev.kubelogs.spool.SegmentReader;
import dev.kubelogs.spool.SourceKind;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCollectorOperationsTest {
    @TempDir
    Path tmp;

    CollectorConfig.Builder config(LogTree tree) {
        return tree.collectorConfig(tmp).maxSegmentAge(Duration.ofMillis(50));
    }

    static List<Path> segments(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SpoolPaths.SEGMENT_SUFFIX)) {
            ds.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    @Test
    void aFullSpoolPausesTailingUntilSegmentsAreConsumed() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        Path messages = tree.root.resolve("messages");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            sb.append("line ").append(i).append(' ').append("x".repeat(90)).append('\n');
        }
        LogTree.append(messages, sb.toString());
        NodeCollector c = new NodeCollector(
                config(tree).maxSegmentBytes(1024).maxSpoolBytes(8 * 1024).build());
        c.start();
        Await.until(
                "back-pressure",
                Duration.ofSeconds(10),
                () -> c.metrics().backpressure.get() == 1.0);
        long pausedAt = c.stats().linesRead();
        assertThat(pausedAt).isLessThan(400);
        // the job consumes: read and delete segments until everything went through
        List<String> consumed = new ArrayList<>();
        Path dir = c.nodeSpoolDirectory();
        Await.until("all lines consumed", Duration.ofSeconds(30), () -> {
            try {
                for (Path p : segments(dir)) {
                    Segment s = SegmentReader.parse(Files.readAllBytes(p));
                    for (var e : s.entries()) {
                        consumed.add(new String(((LineEntry) e).bytes(), StandardCharsets.UTF_8));
                    }
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return consumed.size() >= 400;
        });
        assertThat(c.metrics().backpressureSeconds.get()).isPositive();
        c.drainAndSeal();
        for (Path p : segments(dir)) {
            for (var e : SegmentReader.parse(Files.readAllBytes(p)).entries()) {
                consumed.add(new String(((LineEntry) e).bytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(consumed).hasSize(400);
        for (int i = 0; i < 400; i++) {
            assertThat(consumed.get(i)).startsWith("line " + i + " ");
        }
    }

    @Test
    void aContainerLogCreatedAndRotatedAwayDuringAPauseIsReadAfterIt() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            sb.append("host ").append(i).append(' ').append("x".repeat(90)).append('\n');
        }
        LogTree.append(tree.root.resolve("messages"), sb.toString());
        NodeCollector c = new NodeCollector(
                config(tree).maxSegmentBytes(1024).maxSpoolBytes(8 * 1024).build());
        c.start();
        Await.until(
                "back-pressure",
                Duration.ofSeconds(10),
                () -> c.metrics().backpressure.get() == 1.0);
        // while tailing is paused, a pod starts, logs, and the kubelet rotates its log away
        String link = tree.container("shop", "burst-0", "app", 7);
        Path live = tree.target(link);
        for (int i = 0; i < 50; i++) {
            LogTree.append(live, LogTree.docker("first " + i, i) + "\n");
        }
        Await.until(
                "the new file is tracked",
                Duration.ofSeconds(10),
                () -> c.stats().filesTracked() == 2);
        Files.move(live, live.resolveSibling("0.log.20240501-100000"));
        for (int i = 0; i < 30; i++) {
            LogTree.append(live, LogTree.docker("second " + i, i) + "\n");
        }
        Await.until(
                "the rotation is seen",
                Duration.ofSeconds(10),
                () -> c.metrics().rotations.get() == 1);
        assertThat(c.metrics().backpressure.get()).as("still paused").isEqualTo(1.0);

        List<String> consumed = new ArrayList<>();
        Path dir = c.nodeSpoolDirectory();
        Await.until("the job consumes everything", Duration.ofSeconds(30), () -> {
            try {
                for (Path p : segments(dir)) {
                    for (var e : SegmentReader.parse(Files.readAllBytes(p)).entries()) {
                        if (e instanceof LineEntry l) {
                            consumed.add(new String(l.bytes(), StandardCharsets.UTF_8));
                        }
                    }
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return consumed.size() >= 480;
        });
        c.drainAndSeal();
        List<String> container = consumed.stream()
                .filter(l -> l.contains("first ") || l.contains("second "))
                .collect(java.util.stream.Collectors.toList());
        assertThat(container).hasSize(80);
    }

    @Test
    void aNewestSegmentLargerThanTheSpoolLimitDoesNotPauseTailingForGood() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sb.append("line ").append(i).append(' ').append("x".repeat(90)).append('\n');
        }
        LogTree.append(tree.root.resolve("messages"), sb.toString());
        // segments may grow past the spool limit; the job never deletes a node's newest segment
        NodeCollector c = new NodeCollector(config(tree)
                .maxSegmentBytes(64 * 1024)
                .maxSpoolBytes(8 * 1024)
                .maxSegmentAge(Duration.ofMillis(200))
                .build());
        c.start();
        Path dir = c.nodeSpoolDirectory();
        Await.until("every line read while the job consumes all but the newest segment", Duration.ofSeconds(30), () -> {
            try {
                List<Path> segments = segments(dir);
                for (Path p : segments.subList(0, Math.max(0, segments.size() - 1))) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return c.stats().linesRead() == 2000;
        });
        c.drainAndSeal();
    }

    @Test
    void retentionDeletesOldSegmentsAsASafetyNet() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        LogTree.append(tree.root.resolve("messages"), "a\nb\n");
        NodeCollector c = new NodeCollector(
                config(tree).spoolRetention(Duration.ofMinutes(10)).build());
        c.start();
        Await.until("a segment", Duration.ofSeconds(10), () -> c.stats().segmentsWritten() >= 1);
        Path dir = c.nodeSpoolDirectory();
        for (Path p : segments(dir)) {
            Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        }
        Await.until(
                "expired",
                Duration.ofSeconds(10),
                () -> c.metrics().segmentsExpired.get() >= 1);
        assertThat(segments(dir)).isEmpty();
        LogTree.append(tree.root.resolve("messages"), "c\n");
        Await.until("new segment", Duration.ofSeconds(10), () -> {
            try {
                return !segments(dir).isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
        c.close();
        assertThat(SpoolContents.read(dir).texts("/var/log/messages")).containsExactly("c");
    }

    @Test
    void aCorruptStateFileIsReportedAndPositionsComeFromTheSegmentTrailers() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        String link = tree.container("ns", "p", "c", 1);
        Path file = tree.target(link);
        for (int i = 0; i < 50; i++) {
            LogTree.append(file, "first " + i + "\n");
        }
        NodeCollector c1 = new NodeCollector(config(tree).build());
        c1.start();
        Await.until("50 lines", Duration.ofSeconds(10), () -> c1.stats().linesRead() == 50);
        c1.close();
        Path state = tmp.resolve("state/c/n/state.json");
        assertThat(state).exists();
        Files.writeString(state, "{\"version\":1,\"files\":[{\"path\":");
        for (int i = 0; i < 20; i++) {
            LogTree.append(file, "second " + i + "\n");
        }
        NodeCollector c2 = new NodeCollector(config(tree).build());
        c2.start();
        Await.until("20 more lines", Duration.ofSeconds(10), () -> c2.stats().linesRead() == 20);
        assertThat(c2.metrics().errors("state_corrupt")).isEqualTo(1);
        c2.drainAndSeal();
        SpoolContents s = SpoolContents.read(c2.nodeSpoolDirectory());
        CollectorEndToEndTest.assertExactly(s, "/var/log/containers/" + link, file, SourceKind.CONTAINER);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(state.getParent(), "state.json.corrupt-*")) {
            assertThat(ds.iterator().hasNext())
                    .as("corrupt file kept for inspection")
                    .isTrue();
        }
    }

    @Test
    void metricsAndHealthOverHttp() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        LogTree.append(tree.root.resolve("messages"), "hello\n");
        NodeCollector c =
                new NodeCollector(config(tree).httpServer(true).httpPort(0).build());
        c.start();
        Await.until("line", Duration.ofSeconds(10), () -> c.stats().linesRead() == 1);
        Await.until("segment", Duration.ofSeconds(10), () -> c.stats().segmentsWritten() == 1);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + c.httpPort();
        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("kubelogs_collector_records_read_total{input=\"host\"} 1")
                .contains("kubelogs_collector_bytes_read_total{input=\"host\"} 6")
                .contains("kubelogs_collector_segments_written_total 1")
                .contains("kubelogs_collector_spool_bytes")
                .contains("kubelogs_collector_backpressure 0");
        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(base + "/nope"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(404);
        c.close();
        assertThatThrownBy(() -> http.send(
                        HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void excludeGlobsAndCustomIncludes() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        String fluentd = tree.container("logging", "fluentd-abc", "fluentd", 1);
        String app = tree.container("shop", "app", "app", 2);
        LogTree.append(tree.target(fluentd), "f\n");
        LogTree.append(tree.target(app), "a\n");
        NodeCollector c = new NodeCollector(config(tree)
                .excludeGlobs(List.of("/var/log/containers/fluentd*"))
                .build());
        c.start();
        Await.until("app line", Duration.ofSeconds(10), () -> c.stats().linesRead() == 1);
        c.drainAndSeal();
        SpoolContents s = SpoolContents.read(c.nodeSpoolDirectory());
        assertThat(s.byPath()).containsOnlyKeys("/var/log/containers/" + app);
    }
}
