package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The spool source on a real MiniCluster: every segment read once, in seq order per node, at parallelism 4. */
class SpoolSourceTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4)
                    .build());

    @TempDir
    Path spool;

    @Test
    void readsEveryNodeInOrderAcrossParallelReadersAndEndsWhenSealed() throws Exception {
        int nodes = 12;
        int segmentsPerNode = 5;
        int linesPerSegment = 40;
        for (int n = 0; n < nodes; n++) {
            String node = "node-" + n;
            long offset = 0;
            for (int seq = 0; seq < segmentsPerNode; seq++) {
                offset = writeSegment(spool, "prod", node, seq, offset, linesPerSegment);
            }
            seal(spool, "prod", node, segmentsPerNode - 1);
        }
        // a corrupt segment is reported once, with its path, and the node's later segments still flow
        Path corrupt = spool.resolve("prod/node-0/" + SpoolPaths.segmentFileName(segmentsPerNode));
        Files.write(corrupt, "not a segment".getBytes(StandardCharsets.UTF_8));
        seal(spool, "prod", "node-0", segmentsPerNode);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(4);
        List<SpoolRecord> out = new ArrayList<>();
        try (CloseableIterator<SpoolRecord> it = env.fromSource(
                        SpoolSource.of(spool.toUri().toString(), Duration.ofMillis(50), true, false),
                        WatermarkStrategy.noWatermarks(),
                        "spool-source")
                .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }

        Map<String, List<String>> lines = new HashMap<>();
        Map<String, List<Long>> lineSegments = new HashMap<>();
        int corruptRecords = 0;
        int batches = 0;
        for (SpoolRecord r : out) {
            if (r.type == SpoolRecord.LINES) {
                batches++;
                for (int i = 0; i < r.lineCount(); i++) {
                    lines.computeIfAbsent(r.node, k -> new ArrayList<>())
                            .add(new String(r.lineBytes(i), StandardCharsets.UTF_8));
                    lineSegments.computeIfAbsent(r.node, k -> new ArrayList<>()).add(r.segmentSeq);
                }
            } else if (r.type == SpoolRecord.CORRUPT) {
                corruptRecords++;
                assertThat(r.attributes[0]).endsWith(corrupt.getFileName().toString());
                assertThat(r.node).isEqualTo("node-0");
            }
        }
        assertThat(corruptRecords).isEqualTo(1);
        // the lines of one file in one segment travel as one batch
        assertThat(batches).isEqualTo(nodes * segmentsPerNode);
        assertThat(lines).hasSize(nodes);
        for (Map.Entry<String, List<String>> nodeLines : lines.entrySet()) {
            // collect() merges subtasks, but each node's records keep the order they had in their reader
            assertThat(nodeLines.getValue()).hasSize(segmentsPerNode * linesPerSegment);
            for (int i = 0; i < nodeLines.getValue().size(); i++) {
                assertThat(nodeLines.getValue().get(i)).isEqualTo("line " + i);
                assertThat(lineSegments.get(nodeLines.getKey()).get(i)).isEqualTo(i / linesPerSegment);
            }
        }
    }

    static long writeSegment(Path spool, String cluster, String node, long seq, long startOffset, int lines)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SegmentWriter writer = new SegmentWriter(
                bytes, new SegmentHeader(cluster, node, seq, 1_700_000_000_000L, Map.of("az", "az1")));
        int file = writer.declareFile(
                new FileRef("/var/log/containers/a_b_c-" + "0".repeat(64) + ".log", 1, 2, 0, SourceKind.CONTAINER),
                startOffset);
        writer.readTime(1_700_000_000_000L + seq);
        long offset = startOffset;
        for (int i = 0; i < lines; i++) {
            byte[] line = ("line " + (seq * lines + i)).getBytes(StandardCharsets.UTF_8);
            writer.line(file, line, 0, line.length, 0);
            offset += line.length + 1;
        }
        writer.finish();
        Path dir = spool.resolve(cluster).resolve(node);
        Files.createDirectories(dir);
        Files.write(dir.resolve(SpoolPaths.segmentFileName(seq)), bytes.toByteArray());
        return offset;
    }

    static void seal(Path spool, String cluster, String node, long lastSeq) throws IOException {
        Files.writeString(spool.resolve(cluster).resolve(node).resolve(SpoolPaths.SEALED), Long.toString(lastSeq));
    }
}
