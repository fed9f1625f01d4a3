package dev.kubelogs.job.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.StoredEvent;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.LogPipelineJob;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.source.SpoolSource;
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
import java.util.List;
import java.util.Map;

/**
 * One node's spool for upgrade tests: segment 0 carries pod metadata, three lines and the first half of a
 * java stack trace; segment 1 carries the rest of the trace and two lines. Whatever runs between the two
 * (a savepoint, a new release) must end with five events: the trace joined, every line enriched.
 */
final class UpgradeScenario {
    static final String CLUSTER = "prod";
    static final String NODE = "ip-10-1-2-3.ec2.internal";
    static final String ID = "ab".repeat(32);
    static final String PATH = "/var/log/containers/orders-0_shop_orders-" + ID + ".log";
    static final String GROUP = "/aws/containerinsights/prod/application";
    static final String STREAM = NODE + "-application.var.log.containers.orders-0_shop_orders-" + ID + ".log";
    static final String POD =
            "{\"event\":\"upsert\",\"observedAt\":1,\"namespace\":\"shop\",\"name\":\"orders-0\",\"uid\":\"u-1\","
                    + "\"podIp\":\"10.1.9.9\",\"nodeName\":\"" + NODE + "\",\"labels\":{},\"annotations\":{},"
                    + "\"containers\":[{\"name\":\"orders\",\"containerId\":\"" + ID
                    + "\",\"imageId\":\"repo/orders@sha256:1\",\"image\":\"repo/orders:1\"}]}";

    static final List<String> SEGMENT_0 = List.of(
            "line a",
            "line b",
            "line c",
            "java.lang.IllegalStateException: upgrade in the middle",
            "\tat com.shop.A.a(A.java:1)");
    static final List<String> SEGMENT_1 = List.of("\tat com.shop.B.b(B.java:2)", "\t... 3 more", "line d", "line e");
    static final List<String> EXPECTED_LOGS = List.of(
            "line a",
            "line b",
            "line c",
            "java.lang.IllegalStateException: upgrade in the middle\n\tat com.shop.A.a(A.java:1)\n\tat com.shop.B.b(B.java:2)\n\t... 3 more",
            "line d",
            "line e");

    private UpgradeScenario() {}

    static void writeSegment0(Path spool) throws IOException {
        write(spool, 0, 0L, SEGMENT_0, 0, true);
    }

    static void writeSegment1AndSeal(Path spool) throws IOException {
        long offset = 0;
        for (int i = 0; i < SEGMENT_0.size(); i++) {
            offset += criLine(i, SEGMENT_0.get(i)).length + 1;
        }
        write(spool, 1, offset, SEGMENT_1, SEGMENT_0.size(), false);
        Files.writeString(spool.resolve(CLUSTER).resolve(NODE).resolve(SpoolPaths.SEALED), "1");
    }

    private static byte[] criLine(int i, String text) {
        return ("2026-11-25T08:00:00." + String.format("%03d", i) + "Z stderr F " + text)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Path spool, long seq, long offset, List<String> lines, int firstIndex, boolean withPod)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(bytes, new SegmentHeader(CLUSTER, NODE, seq, 1_764_057_600_000L, Map.of()));
        w.readTime(1_764_057_600_000L);
        if (withPod) {
            w.podMetadata(POD.getBytes(StandardCharsets.UTF_8));
        }
        int file = w.declareFile(new FileRef(PATH, 1, 42, 0, SourceKind.CONTAINER), offset);
        for (int i = 0; i < lines.size(); i++) {
            byte[] b = criLine(firstIndex + i, lines.get(i));
            w.line(file, b, 0, b.length, 0);
        }
        w.finish();
        Path dir = Files.createDirectories(spool.resolve(CLUSTER).resolve(NODE));
        Files.write(dir.resolve(SpoolPaths.tempFileName(seq)), bytes.toByteArray());
        Files.move(dir.resolve(SpoolPaths.tempFileName(seq)), dir.resolve(SpoolPaths.segmentFileName(seq)));
    }

    /** The production topology with a long flush timeout, so only the upgrade can complete the trace. */
    static LogPipelineJob job(Path spool, String endpoint) {
        return new LogPipelineJob(
                SpoolSource.of(spool.toUri().toString(), Duration.ofMillis(50), true, false),
                LocalSinks.exactlyOnce(endpoint, Duration.ofMillis(100)),
                JobOptions.defaults().multilineFlushTimeout(Duration.ofMinutes(10)));
    }

    /** Log texts that landed, in order; fails unless every event carries the pod's metadata. */
    static List<String> landedLogs(LocalCloudWatchLogs endpoint) throws IOException {
        List<String> logs = new ArrayList<>();
        for (StoredEvent e : endpoint.events(GROUP, STREAM)) {
            JsonNode event = Json.MAPPER.readTree(e.message());
            if (!"u-1".equals(event.path("kubernetes").path("pod_id").asText())) {
                throw new AssertionError("event without the pod's metadata: " + e.message());
            }
            logs.add(event.get("log").textValue());
        }
        return logs;
    }
}
