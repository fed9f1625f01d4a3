package dev.kubelogs.bench;

import dev.kubelogs.job.source.SpoolEnumeratorState;
import dev.kubelogs.job.source.SpoolEnumeratorStateSerializer;
import dev.kubelogs.job.source.SpoolSource;
import dev.kubelogs.spool.SpoolPaths;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.apache.flink.connector.file.src.FileSourceSplit;

/**
 * Checkpointed state of the spool source's enumerator (serialized with its own serializer) as the number of nodes
 * and of segments grows: a spool of N node directories with M segment files each is listed, every segment is handed
 * to the readers (2 subtasks) and reported finished, then the state is snapshotted. The design says O(nodes),
 * independent of segments consumed.
 */
public final class EnumeratorStateBench {
    private EnumeratorStateBench() {}

    public record Row(
            int nodes,
            int segmentsPerNode,
            long segmentsAssigned,
            int bytesAfterListing,
            int bytesAfterConsuming,
            double millisToConsume) {}

    public static List<Row> run(Path work, List<Integer> nodeCounts, List<Integer> segmentCounts, PrintStream out)
            throws Exception {
        List<Row> rows = new ArrayList<>();
        SpoolEnumeratorStateSerializer serializer = new SpoolEnumeratorStateSerializer();
        for (int nodes : nodeCounts) {
            for (int segs : segmentCounts) {
                if ((long) nodes * segs > 100_000) {
                    out.printf(
                            Locale.ROOT, "  %d nodes × %d segments: skipped (more than 100,000 files)%n", nodes, segs);
                    continue;
                }
                Path spool = work.resolve("spool");
                Dirs.deleteRecursively(work);
                for (int n = 0; n < nodes; n++) {
                    Path dir = Files.createDirectories(spool.resolve("bench")
                            .resolve(String.format(Locale.ROOT, "ip-10-0-%d-%d.node", n / 250, n % 250)));
                    for (int s = 0; s < segs; s++) {
                        Files.write(dir.resolve(SpoolPaths.segmentFileName(s)), new byte[0]);
                    }
                }
                SpoolSource source = SpoolSource.of(spool.toUri().toString(), Duration.ofHours(1), false, false);
                try (MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(2)) {
                    ctx.registerReader(new ReaderInfo(0, "localhost"));
                    ctx.registerReader(new ReaderInfo(1, "localhost"));
                    SplitEnumerator<FileSourceSplit, SpoolEnumeratorState> e = source.createEnumerator(ctx);
                    e.start();
                    try {
                        ctx.runPeriodicCallable(0);
                    } catch (Exception | Error x) {
                        throw x;
                    } catch (Throwable t) {
                        throw new IllegalStateException(t);
                    }
                    int afterListing = serializer.serialize(e.snapshotState(1)).length;
                    long t0 = System.nanoTime();
                    long total = (long) nodes * segs;
                    int stuck = 0;
                    while (ctx.getSplitsAssignmentSequence().size() < total && stuck < 3) {
                        int before = ctx.getSplitsAssignmentSequence().size();
                        e.handleSplitRequest(0, "localhost");
                        e.handleSplitRequest(1, "localhost");
                        stuck = ctx.getSplitsAssignmentSequence().size() == before ? stuck + 1 : 0;
                    }
                    // the last request of each reader reports its last split finished
                    e.handleSplitRequest(0, "localhost");
                    e.handleSplitRequest(1, "localhost");
                    double ms = (System.nanoTime() - t0) / 1e6;
                    int afterConsuming = serializer.serialize(e.snapshotState(2)).length;
                    long assigned = ctx.getSplitsAssignmentSequence().size();
                    rows.add(new Row(nodes, segs, assigned, afterListing, afterConsuming, ms));
                    out.printf(
                            Locale.ROOT,
                            "  %5d nodes × %4d segments: %,7d assigned, state %,d bytes after listing, %,d bytes after consuming all%n",
                            nodes,
                            segs,
                            assigned,
                            afterListing,
                            afterConsuming);
                    e.close();
                }
            }
        }
        Dirs.deleteRecursively(work);
        return rows;
    }
}
