package dev.kubelogs.job.it;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.StoredEvent;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SegmentWriter;
import dev.kubelogs.spool.SourceKind;
import dev.kubelogs.spool.SpoolPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A spool of many nodes in cluster {@code c}, one container file each, whose lines alternate between single lines
 * and 4-line java traces, cut into segments every few lines (not at item boundaries, so traces straddle segments);
 * and what each node's stream must hold once all of it is delivered.
 */
final class MultiNodeSpool {
    static final String GROUP = "/aws/containerinsights/c/application";

    private final Path spool;
    private final int nodes;
    private final int segments;
    private final int linesPerSegment;
    private final long[] offsets;
    private final Instant t0 = Instant.now().minusSeconds(600);
    /** Per node: the expected log texts, in file order. */
    private final List<List<String>> expected = new ArrayList<>();
    /** Per node: every line of every segment. */
    private final List<List<String>> lines = new ArrayList<>();

    MultiNodeSpool(Path spool, int nodes, int segments, int linesPerSegment) {
        this.spool = spool;
        this.nodes = nodes;
        this.segments = segments;
        this.linesPerSegment = linesPerSegment;
        this.offsets = new long[nodes];
        for (int n = 0; n < nodes; n++) {
            List<String> expectedItems = new ArrayList<>();
            List<String> nodeLines = new ArrayList<>();
            for (int k = 0; nodeLines.size() < segments * linesPerSegment; k++) {
                List<String> itemLines = k % 3 == 2
                        ? List.of(
                                "java.lang.IllegalStateException: item " + k,
                                "\tat com.shop.A.a(A.java:" + k + ")",
                                "\tat com.shop.B.b(B.java:" + k + ")",
                                "\tat com.shop.C.c(C.java:" + k + ")")
                        : List.of("item " + k + " on node " + n);
                nodeLines.addAll(itemLines);
                expectedItems.add(String.join("\n", itemLines));
            }
            expected.add(expectedItems);
            lines.add(nodeLines);
        }
    }

    int nodes() {
        return nodes;
    }

    /** Segments {@code fromSeq} (inclusive) to {@code toSeq} (exclusive) of every node. */
    void writeSegments(int fromSeq, int toSeq) throws IOException {
        for (int seq = fromSeq; seq < toSeq; seq++) {
            for (int n = 0; n < nodes; n++) {
                writeSegment(n, seq);
            }
        }
    }

    /** Every node's collector says its last segment is written. */
    void seal() throws IOException {
        for (int n = 0; n < nodes; n++) {
            Files.writeString(
                    spool.resolve("c").resolve(node(n)).resolve(SpoolPaths.SEALED), Integer.toString(segments - 1));
        }
    }

    List<String> expected(int n) {
        return expected.get(n);
    }

    /** The log texts in node {@code n}'s stream, in the order they were stored. */
    List<String> landed(LocalCloudWatchLogs endpoint, int n) throws IOException {
        List<String> logs = new ArrayList<>();
        for (StoredEvent e : endpoint.events(GROUP, stream(n))) {
            logs.add(Json.MAPPER.readTree(e.message()).get("log").textValue());
        }
        return logs;
    }

    private void writeSegment(int n, int seq) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(bytes, new SegmentHeader("c", node(n), seq, t0.toEpochMilli(), Map.of()));
        int file = w.declareFile(
                new FileRef("/var/log/containers/" + fileName(n), 1, 1000 + n, 0, SourceKind.CONTAINER), offsets[n]);
        w.readTime(t0.toEpochMilli());
        List<String> all = lines.get(n);
        int from = seq * linesPerSegment;
        int to = seq == segments - 1 ? all.size() : from + linesPerSegment;
        for (int i = from; i < to; i++) {
            byte[] b = (t0.plusMillis(i) + " stderr F " + all.get(i)).getBytes(StandardCharsets.UTF_8);
            w.line(file, b, 0, b.length, 0);
            offsets[n] += b.length + 1;
        }
        w.finish();
        Path dir = Files.createDirectories(spool.resolve("c").resolve(node(n)));
        Path tmp = dir.resolve(SpoolPaths.tempFileName(seq));
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, dir.resolve(SpoolPaths.segmentFileName(seq)));
    }

    private static String stream(int n) {
        return node(n) + "-application.var.log.containers." + fileName(n);
    }

    private static String node(int n) {
        return "ip-10-0-0-" + n + ".ec2.internal";
    }

    private static String fileName(int n) {
        return "app-" + n + "_shop_app-" + String.format("%064x", n) + ".log";
    }
}
