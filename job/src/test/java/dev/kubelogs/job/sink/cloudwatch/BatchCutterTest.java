package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCutterTest {

    private static SinkEvent ev(long ts, String msg) {
        return new SinkEvent(ts, msg, "src", ts);
    }

    private static String ascii(int bytes) {
        return "x".repeat(bytes);
    }

    private static long batchBytes(List<SinkEvent> b) {
        long n = 0;
        for (SinkEvent e : b) {
            n += e.message().getBytes(StandardCharsets.UTF_8).length + 26;
        }
        return n;
    }

    @Test
    void anEventCarryingUtf8IsBufferedAsItsBytesAndOtherwiseTreatedAsItsText() {
        BatchCutter cutter = BatchCutter.defaults();
        byte[] utf8 = "{\"log\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        BatchCutter.Prepared p = cutter.prepare(CloudWatchEvent.ofUtf8("g", "s", 5, utf8, "src", 7, null), null, "src");
        assertThat(p.event.utf8()).isSameAs(utf8);
        assertThat(p.event.timestamp()).isEqualTo(5);
        assertThat(p.event.sourceId()).isEqualTo("src");
        assertThat(p.event.sourceOffset()).isEqualTo(7);
        assertThat(p.deadLetter).isNull();

        // anything the text would not pass as it is: the same outcome as for the text
        byte[] big = ascii(BatchCutter.MAX_EVENT_BYTES + 10).getBytes(StandardCharsets.UTF_8);
        BatchCutter.Prepared cut =
                cutter.prepare(CloudWatchEvent.ofUtf8("g", "s", 5, big, "src", 7, null), null, "src");
        BatchCutter.Prepared cutText = cutter.prepare(
                new CloudWatchEvent("g", "s", 5, new String(big, StandardCharsets.UTF_8), "src", 7), null, "src");
        assertThat(cut.truncated).isTrue();
        assertThat(cut.event).isEqualTo(cutText.event);
        BatchCutter.Prepared empty =
                cutter.prepare(CloudWatchEvent.ofUtf8("g", "s", 5, new byte[0], "src", 7, null), null, "src");
        assertThat(empty.event).isNull();
        assertThat(empty.deadLetter).isEqualTo(DeadLetterReason.EMPTY_MESSAGE);
        BatchCutter.Prepared badTarget =
                cutter.prepare(CloudWatchEvent.ofUtf8("g", "s", 5, utf8, "src", 7, null), "bad name", "src");
        assertThat(badTarget.deadLetter).isEqualTo(DeadLetterReason.INVALID_TARGET);
        assertThat(badTarget.originalMessage).isEqualTo("{\"log\":\"caf\u00e9\"}");
    }

    @Test
    void tenThousandEventsFitOneBatchTheNextOneStartsAnother() {
        List<SinkEvent> events = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            events.add(ev(1_000 + i, "m" + i));
        }
        assertThat(BatchCutter.cut(events)).hasSize(1);
        events.add(ev(50_000, "last"));
        List<List<SinkEvent>> batches = BatchCutter.cut(events);
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0)).hasSize(10_000);
        assertThat(batches.get(1)).extracting(SinkEvent::message).containsExactly("last");
    }

    @Test
    void batchBytesCountUtf8PlusTwentySixAndStopExactlyAt1048576() {
        // two events of 524,262 bytes: 2 * (524,262 + 26) = 1,048,576 -> one batch
        List<List<SinkEvent>> exact = BatchCutter.cut(List.of(ev(1, ascii(524_262)), ev(2, ascii(524_262))));
        assertThat(exact).hasSize(1);
        assertThat(batchBytes(exact.get(0))).isEqualTo(1_048_576);
        // one byte more -> two batches
        assertThat(BatchCutter.cut(List.of(ev(1, ascii(524_262)), ev(2, ascii(524_263)))))
                .hasSize(2);
        // many small events: every batch within the limit, and no batch could have taken the next event
        List<SinkEvent> many = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            many.add(ev(i, ascii(1_000 - 26 + (i % 7))));
        }
        List<List<SinkEvent>> batches = BatchCutter.cut(many);
        for (int i = 0; i < batches.size(); i++) {
            assertThat(batchBytes(batches.get(i))).isLessThanOrEqualTo(1_048_576);
            if (i + 1 < batches.size()) {
                SinkEvent next = batches.get(i + 1).get(0);
                assertThat(batchBytes(batches.get(i)) + next.batchBytes()).isGreaterThan(1_048_576);
            }
        }
    }

    @Test
    void nonAsciiIsCountedInUtf8Bytes() {
        assertThat(new SinkEvent(0, "é", null, 0).utf8Length()).isEqualTo(2);
        assertThat(new SinkEvent(0, "€", null, 0).utf8Length()).isEqualTo(3);
        assertThat(new SinkEvent(0, "😀", null, 0).utf8Length()).isEqualTo(4);
        assertThat(new SinkEvent(0, "aé€😀", null, 0).utf8Length())
                .isEqualTo("aé€😀".getBytes(StandardCharsets.UTF_8).length);
        // 3-byte characters: 2 events of 174,754 chars = 524,262 bytes each fill 1,048,576 exactly
        String euros = "€".repeat(174_754);
        assertThat(BatchCutter.cut(List.of(ev(1, euros), ev(2, euros)))).hasSize(1);
        assertThat(BatchCutter.cut(List.of(ev(1, euros), ev(2, euros + "é")))).hasSize(2);
        // an unpaired surrogate is sanitised to U+FFFD (3 bytes) before anything is counted
        BatchCutter.Prepared p = BatchCutter.defaults().prepare(new CloudWatchEvent("g", "s", 1, "a\uD800b"));
        assertThat(p.event.message()).isEqualTo("a\uFFFDb");
        assertThat(p.event.utf8Length()).isEqualTo(5);
    }

    @Test
    void spanStaysStrictlyBelow24Hours() {
        long day = 24L * 3600 * 1000;
        assertThat(BatchCutter.cut(List.of(ev(0, "a"), ev(day - 1, "b")))).hasSize(1);
        List<List<SinkEvent>> two = BatchCutter.cut(List.of(ev(0, "a"), ev(day, "b")));
        assertThat(two).hasSize(2);
        assertThat(two.get(1)).extracting(SinkEvent::message).containsExactly("b");
    }

    @Test
    void sortIsStableByTimestamp() {
        List<SinkEvent> in = List.of(ev(5, "e1"), ev(3, "c1"), ev(5, "e2"), ev(1, "a"), ev(3, "c2"), ev(5, "e3"));
        List<List<SinkEvent>> out = BatchCutter.cut(in);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).extracting(SinkEvent::message).containsExactly("a", "c1", "c2", "e1", "e2", "e3");
    }

    @Test
    void maxSizeEventFitsAloneOneByteMoreIsTruncatedWithMarker() {
        BatchCutter cutter = BatchCutter.defaults();
        BatchCutter.Prepared atLimit = cutter.prepare(new CloudWatchEvent("g", "s", 1, ascii(1_048_550)));
        assertThat(atLimit.truncated).isFalse();
        assertThat(atLimit.deadLetter).isNull();
        assertThat(BatchCutter.cut(List.of(atLimit.event))).hasSize(1);
        assertThat(atLimit.event.batchBytes()).isEqualTo(1_048_576);

        BatchCutter.Prepared over = cutter.prepare(new CloudWatchEvent("g", "s", 1, ascii(1_048_551)));
        assertThat(over.truncated).isTrue();
        assertThat(over.deadLetter).isNull();
        assertThat(over.event.utf8Length()).isEqualTo(1_048_550);
        assertThat(over.event.message()).endsWith(BatchCutter.truncationMarker(1_048_551));
    }

    @Test
    void truncationKeepsWholeCodePoints() {
        BatchCutter cutter = BatchCutter.defaults();
        String emojis = "😀".repeat(300_000); // 1,200,000 bytes
        BatchCutter.Prepared p = cutter.prepare(new CloudWatchEvent("g", "s", 1, emojis));
        String m = p.event.message();
        assertThat(p.event.utf8Length()).isLessThanOrEqualTo(1_048_550);
        assertThat(m.getBytes(StandardCharsets.UTF_8).length).isEqualTo(p.event.utf8Length());
        assertThat(Utf8.sanitize(m)).isEqualTo(m); // no broken surrogate pair
        String body = m.substring(
                0, m.length() - BatchCutter.truncationMarker(1_200_000).length());
        assertThat(body).matches("(😀)+");
    }

    @Test
    void oversizePolicies() {
        CloudWatchEvent big = new CloudWatchEvent("g", "s", 7, ascii(2_000_000), "file", 42);
        BatchCutter dl = new BatchCutter(
                BatchCutter.MAX_EVENT_BYTES, OversizeEventPolicy.DEAD_LETTER, EmptyMessagePolicy.DEAD_LETTER, "x");
        BatchCutter.Prepared p = dl.prepare(big);
        assertThat(p.event).isNull();
        assertThat(p.deadLetter).isEqualTo(DeadLetterReason.OVERSIZE);
        assertThat(p.originalMessage).hasSize(2_000_000);

        BatchCutter both = new BatchCutter(
                1_000, OversizeEventPolicy.TRUNCATE_AND_DEAD_LETTER, EmptyMessagePolicy.DEAD_LETTER, "x");
        BatchCutter.Prepared q = both.prepare(big);
        assertThat(q.event.utf8Length()).isEqualTo(1_000);
        assertThat(q.deadLetter).isEqualTo(DeadLetterReason.TRUNCATED);
        assertThat(q.originalMessage).hasSize(2_000_000);
        assertThat(q.event.sourceOffset()).isEqualTo(42);
    }

    @Test
    void emptyMessagePolicies() {
        BatchCutter.Prepared dl = BatchCutter.defaults().prepare(new CloudWatchEvent("g", "s", 1, ""));
        assertThat(dl.event).isNull();
        assertThat(dl.deadLetter).isEqualTo(DeadLetterReason.EMPTY_MESSAGE);
        BatchCutter.Prepared nul = BatchCutter.defaults().prepare(new CloudWatchEvent("g", "s", 1, null));
        assertThat(nul.deadLetter).isEqualTo(DeadLetterReason.EMPTY_MESSAGE);

        BatchCutter replace = new BatchCutter(
                BatchCutter.MAX_EVENT_BYTES, OversizeEventPolicy.TRUNCATE, EmptyMessagePolicy.REPLACE, "(empty)");
        BatchCutter.Prepared r = replace.prepare(new CloudWatchEvent("g", "s", 1, ""));
        assertThat(r.deadLetter).isNull();
        assertThat(r.event.message()).isEqualTo("(empty)");
    }

    @Test
    void invalidTargetsAndTimestampsAreDeadLettered() {
        BatchCutter c = BatchCutter.defaults();
        assertThat(c.prepare(new CloudWatchEvent("bad group!", "s", 1, "m")).deadLetter)
                .isEqualTo(DeadLetterReason.INVALID_TARGET);
        assertThat(c.prepare(new CloudWatchEvent("aws/x", "s", 1, "m")).deadLetter)
                .isEqualTo(DeadLetterReason.INVALID_TARGET);
        assertThat(c.prepare(new CloudWatchEvent("g", "a:b", 1, "m")).deadLetter)
                .isEqualTo(DeadLetterReason.INVALID_TARGET);
        assertThat(c.prepare(new CloudWatchEvent("g", "a*b", 1, "m")).deadLetter)
                .isEqualTo(DeadLetterReason.INVALID_TARGET);
        assertThat(c.prepare(new CloudWatchEvent(null, "s", 1, "m")).deadLetter)
                .isEqualTo(DeadLetterReason.INVALID_TARGET);
        assertThat(c.prepare(new CloudWatchEvent("g", "s".repeat(513), 1, "m")).deadLetter)
                .isEqualTo(DeadLetterReason.INVALID_TARGET);
        assertThat(c.prepare(new CloudWatchEvent(
                                "/aws/containerinsights/c/application", "ip-10-0-0-1.fluent-bit_kube-system_x", 1, "m"))
                        .deadLetter)
                .isNull();
        assertThat(c.prepare(new CloudWatchEvent("g", "s", -1, "m")).deadLetter)
                .isEqualTo(DeadLetterReason.INVALID_TIMESTAMP);
    }
}
