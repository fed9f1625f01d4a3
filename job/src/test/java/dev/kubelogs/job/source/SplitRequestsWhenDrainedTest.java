package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.spool.SpoolPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reader asks for segments once it holds none, not after each segment it finishes. */
class SplitRequestsWhenDrainedTest {
    @TempDir
    Path spool;

    @Test
    void aRequestGoesOutOnlyWhenTheReaderHoldsNoSplit() {
        TestingReaderContext inner = new TestingReaderContext();
        SplitRequestsWhenDrained context = new SplitRequestsWhenDrained(inner);
        AtomicInteger held = new AtomicInteger(2);
        context.heldSplits(held::get);

        context.sendSplitRequest();
        held.set(1);
        context.sendSplitRequest();
        assertThat(inner.getNumSplitRequests()).isZero();

        held.set(0);
        context.sendSplitRequest();
        assertThat(inner.getNumSplitRequests()).isOne();
    }

    @Test
    void aReaderWhoseSplitsWereNotWiredCannotAsk() {
        SplitRequestsWhenDrained context = new SplitRequestsWhenDrained(new TestingReaderContext());

        assertThatThrownBy(context::sendSplitRequest)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("held splits");
    }

    @Test
    void theSpoolReaderAsksOnceAtStartAndOnceAfterABatchOfThreeSegments() throws Exception {
        List<FileSourceSplit> batch = new ArrayList<>();
        long offset = 0;
        for (int seq = 0; seq < 3; seq++) {
            offset = SpoolSourceTest.writeSegment(spool, "prod", "n1", seq, offset, 20);
            Path segment = spool.resolve("prod/n1/" + SpoolPaths.segmentFileName(seq));
            long size = Files.size(segment);
            batch.add(new FileSourceSplit(
                    SpoolSplitEnumerator.SegmentRef.splitId("prod/n1", seq, seq - 1),
                    new org.apache.flink.core.fs.Path(segment.toUri()),
                    0L,
                    size,
                    0L,
                    size));
        }
        TestingReaderContext context = new TestingReaderContext();
        TestingReaderOutput<SpoolRecord> output = new TestingReaderOutput<>();
        SpoolSource source = SpoolSource.of(spool.toUri().toString(), Duration.ofSeconds(1), false, false);
        try (SourceReader<SpoolRecord, FileSourceSplit> reader = source.createReader(context)) {
            reader.start();
            assertThat(context.getNumSplitRequests()).isOne();

            reader.addSplits(batch);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int lines = 0;
            while (lines < 60 && System.nanoTime() < deadline) {
                if (reader.pollNext(output) == InputStatus.NOTHING_AVAILABLE) {
                    reader.isAvailable().get(1, TimeUnit.SECONDS);
                }
                lines = output.getEmittedRecords().stream()
                        .filter(r -> r.type == SpoolRecord.LINES)
                        .mapToInt(SpoolRecord::lineCount)
                        .sum();
            }
            assertThat(lines).isEqualTo(60);
            // the last segment's end is seen on the next poll
            while (context.getNumSplitRequests() < 2 && System.nanoTime() < deadline) {
                if (reader.pollNext(output) == InputStatus.NOTHING_AVAILABLE) {
                    reader.isAvailable().get(1, TimeUnit.SECONDS);
                }
            }
            assertThat(context.getNumSplitRequests()).isEqualTo(2);
        }
    }
}
