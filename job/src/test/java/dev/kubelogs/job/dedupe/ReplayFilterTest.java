package dev.kubelogs.job.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.merge.StageHarness;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The replay filter alone: a line at or after its file's position passes once; a re-read one is counted. */
class ReplayFilterTest {
    private static final SegmentHeader HEADER = new SegmentHeader("prod", "node-1", 0, 1L, Map.of());
    private static final FileRef MESSAGES = new FileRef("/var/log/messages", 2049, 7, 0, SourceKind.HOST_FILE);

    /** Hands on the offsets of the lines it admits. */
    static final class FilterOnly extends KeyedProcessFunction<String, SpoolRecord, Long> {
        private transient ReplayFilter replay;

        @Override
        public void open(OpenContext openContext) {
            replay = new ReplayFilter(Duration.ofDays(1));
            replay.open(
                    getRuntimeContext(), getRuntimeContext().getMetricGroup().addGroup("kubelogs"));
        }

        @Override
        public void processElement(SpoolRecord batch, Context ctx, Collector<Long> out) throws Exception {
            replay.begin(batch, batch.fileIdentity());
            for (int i = 0; i < batch.lineCount(); i++) {
                if (replay.admit(batch, i)) {
                    out.collect(batch.lineOffset(i));
                }
            }
            replay.end();
        }
    }

    private StageHarness<SpoolRecord, Long> stage;

    @BeforeEach
    void setUp() throws Exception {
        stage = new StageHarness<>(FilterOnly::new, SpoolRecord::nodeKey);
    }

    @AfterEach
    void tearDown() throws Exception {
        stage.close();
    }

    /** A batch of lines "0123456789" long (11 bytes with the newline), the first at {@code fromOffset}. */
    private static SpoolRecord batch(FileRef file, long fromOffset, int lines) {
        List<LineEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            byte[] text = "0123456789".getBytes(StandardCharsets.UTF_8);
            entries.add(new LineEntry(file, fromOffset + 11L * i, text, 0, 1L));
        }
        return SpoolRecord.lines(HEADER, 1, entries);
    }

    @Test
    void aReReadBatchGivesNothingAndIsCounted() throws Exception {
        stage.send(batch(MESSAGES, 0, 3));
        assertThat(stage.take()).containsExactly(0L, 11L, 22L);

        stage.send(batch(MESSAGES, 0, 3));
        assertThat(stage.take()).isEmpty();
        assertThat(stage.counter("linesIn")).isEqualTo(6);
        assertThat(stage.counter("replayedLinesSkipped")).isEqualTo(3);
    }

    @Test
    void aReplayThatReachesPastThePositionGivesOnlyTheNewLines() throws Exception {
        stage.send(batch(MESSAGES, 0, 2));
        stage.take();
        stage.send(batch(MESSAGES, 0, 4));
        assertThat(stage.take()).containsExactly(22L, 33L);
    }

    @Test
    void eachFileIdentityHasItsOwnPosition() throws Exception {
        FileRef rotated = new FileRef("/var/log/messages", 2049, 8, 0, SourceKind.HOST_FILE);
        stage.send(batch(MESSAGES, 0, 2));
        stage.send(batch(rotated, 0, 2));
        assertThat(stage.take()).containsExactly(0L, 11L, 0L, 11L);
    }

    @Test
    void thePositionIsRestoredFromASnapshot() throws Exception {
        stage.send(batch(MESSAGES, 0, 2));
        stage.restart(stage.snapshot());
        stage.send(batch(MESSAGES, 0, 3));
        assertThat(stage.take()).containsExactly(22L);
    }
}
