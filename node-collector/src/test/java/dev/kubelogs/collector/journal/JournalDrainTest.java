package dev.kubelogs.collector.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.spool.SegmentSpool;
import dev.kubelogs.collector.tail.CollectorState;
import dev.kubelogs.collector.tail.FileTailer;
import dev.kubelogs.collector.tail.TrackedFile;
import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.SpoolContents;
import dev.kubelogs.collector.testing.TestJournal;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journal entries into the spool's open segment, against a real journal read by journalctl: the position a commit
 * records, back-pressure from a full spool, and a rewind to the committed position after the segment was dropped.
 */
class JournalDrainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FileRef REF = new FileRef("journal", 0, 77, 0, SourceKind.JOURNAL);

    @TempDir
    Path tmp;

    private final CollectorMetrics metrics = new CollectorMetrics();
    private SegmentSpool spool;
    private JournalDrain drain;

    @BeforeAll
    static void tools() {
        TestJournal.assumeTools();
    }

    @AfterEach
    void close() {
        if (drain != null) {
            drain.close();
        }
    }

    /** A sink that accepts {@code accepted} lines, then reports the spool full. */
    private static FileTailer.Sink sink(int accepted) {
        return new FileTailer.Sink() {
            int lines;

            @Override
            public void line(TrackedFile file, byte[] buf, int off, int len, int flags) {
                throw new AssertionError("the journal drain writes to the spool itself");
            }

            @Override
            public boolean afterLine() {
                return ++lines < accepted;
            }

            @Override
            public boolean accepting() {
                return lines < accepted;
            }
        };
    }

    private JournalDrain start(String... messages) throws IOException, InterruptedException {
        Path journalDir = tmp.resolve("journal");
        TestJournal journal = new TestJournal(tmp.resolve("export"));
        StringBuilder entries = new StringBuilder();
        for (String m : messages) {
            entries.append(journal.entry(m, "_SYSTEMD_UNIT=kubelet.service"));
        }
        journal.write(journalDir, entries.toString());
        spool = new SegmentSpool(tmp.resolve("spool"), "c", "n", Map.of());
        JournalReader reader = new JournalReader(
                new JournalSettings(journalDir, "journalctl", false, false), metrics, null, false, () -> {});
        reader.start();
        drain = new JournalDrain(reader, REF, null, spool, metrics);
        return drain;
    }

    private int spooledLines() {
        return (int) metrics.records(CollectorMetrics.JOURNAL).getLongValue();
    }

    /** Drains {@code max} at a time until {@code total} entries were spooled in all. */
    private void drainUntil(int total, int max) {
        Await.until("journal entries spooled", Duration.ofSeconds(20), () -> {
            try {
                drain.drain(max, 1_000L, sink(Integer.MAX_VALUE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return spooledLines() >= total;
        });
    }

    private List<String> publishedMessages() throws IOException {
        spool.sync();
        spool.publish();
        return SpoolContents.read(spool.directory()).lines.stream()
                .map(JournalDrainTest::message)
                .toList();
    }

    private static String message(LineEntry l) {
        try {
            return JSON.readTree(l.bytes()).path("MESSAGE").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CollectorState.JournalState committed() {
        CollectorState s = new CollectorState();
        drain.addTo(s);
        return s.journal;
    }

    @Test
    void entriesAreSpooledInOrderAndTheCommitRecordsTheirCountAndLastCursor() throws Exception {
        start("first", "second", "third");
        assertThat(committed().offset).as("nothing spooled yet").isZero();
        assertThat(committed().cursor).isNull();

        drainUntil(3, 2);

        CollectorState.JournalState position = committed();
        assertThat(position.offset).isEqualTo(3);
        assertThat(position.cursor).startsWith("s=");
        assertThat(position.inode).isEqualTo(REF.inode());
        List<String> messages = publishedMessages();
        assertThat(messages).containsExactly("first", "second", "third");
        assertThat(SpoolContents.read(spool.directory()).lines)
                .allSatisfy(l -> assertThat(l.file()).isEqualTo(REF));
        long bytes = SpoolContents.read(spool.directory()).lines.stream()
                .mapToLong(l -> l.bytes().length + 1)
                .sum();
        assertThat(metrics.bytes(CollectorMetrics.JOURNAL).getLongValue()).isEqualTo(bytes);
        assertThat(drain.drain(10, 1_000L, sink(Integer.MAX_VALUE)))
                .as("nothing more to read")
                .isFalse();
    }

    @Test
    void aFullSpoolStopsTheDrainAfterTheLineThatFilledIt() throws Exception {
        start("first", "second", "third");
        Await.until("the first entry", Duration.ofSeconds(20), () -> {
            try {
                return drain.drain(10, 1_000L, sink(1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        assertThat(spooledLines()).isEqualTo(1);
        assertThat(committed().offset).isEqualTo(1);
    }

    @Test
    void afterTheOpenSegmentWasDroppedTheDrainRereadsFromTheCommittedPosition() throws Exception {
        start("first", "second", "third");
        drainUntil(1, 1);
        CollectorState.JournalState afterFirst = committed();
        drainUntil(3, 10);
        spool.abandon();

        drain.rewind(afterFirst);
        assertThat(committed().offset).isEqualTo(1);
        assertThat(committed().cursor).isEqualTo(afterFirst.cursor);
        drainUntil(5, 10);

        assertThat(publishedMessages()).containsExactly("second", "third");
        assertThat(committed().offset).isEqualTo(3);
    }
}
