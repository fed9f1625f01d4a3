package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Corrupt version-3 bytes fail with an IOException instead of handing the sink messages that are not UTF-8 (which
 * it would write to the wire as they are), and a committable's cached bytes cannot go stale.
 */
class CommittableSerializerCorruptionTest {
    private final CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();

    private static CloudWatchLogsCommittable sharing() {
        // ends shared from inside a character (é: C3 A9, ĩ: C4 A9 share A9) and from a character boundary
        return new CloudWatchLogsCommittable(
                "g",
                "s",
                1,
                0,
                2,
                3,
                List.of(
                        new SinkEvent(10, "abc", "f", 1),
                        new SinkEvent(11, "xé!", "f", 2),
                        new SinkEvent(12, "yĩ!", "f", 3),
                        new SinkEvent(13, "a😀b", "f", 4),
                        new SinkEvent(14, "c😀b", "f", 5)));
    }

    @Test
    void aMessageByteThatBreaksUtf8IsRefused() throws IOException {
        byte[] ok = s.serialize(sharing());
        int at = indexOf(ok, "abc".getBytes(StandardCharsets.UTF_8));
        byte[] bad = ok.clone();
        bad[at + 2] = (byte) 0xF0; // "ab" + the lead byte of a 4-byte character, and nothing after it
        assertThatThrownBy(() -> s.deserialize(s.getVersion(), bad)).isInstanceOf(IOException.class);
    }

    /** Every single-byte change: an IOException, or messages that are all well-formed and can be put. */
    @Test
    void everySingleByteCorruptionFailsCleanlyOrYieldsWellFormedMessages() throws IOException {
        byte[] ok = s.serialize(sharing());
        for (int at = 0; at < ok.length; at++) {
            for (int v = 0; v < 256; v++) {
                if ((byte) v == ok[at]) {
                    continue;
                }
                byte[] bad = ok.clone();
                bad[at] = (byte) v;
                CloudWatchLogsCommittable c;
                try {
                    c = s.deserialize(s.getVersion(), bad);
                } catch (IOException expected) {
                    continue;
                }
                String where = "byte " + at + " set to " + v;
                for (SinkEvent e : c.events()) {
                    assertThat(e.message().getBytes(StandardCharsets.UTF_8))
                            .as(where)
                            .isEqualTo(e.utf8());
                }
                List<Integer> all =
                        IntStream.range(0, c.events().size()).boxed().collect(Collectors.toList());
                PutLogEventsBody.of(c.logGroup(), c.logStream(), c.events(), all);
            }
        }
    }

    @Test
    void theCachedBytesFollowTheEventsTheCommittableWasMadeWith() throws IOException {
        List<SinkEvent> list = new ArrayList<>(List.of(new SinkEvent(1, "a", "f", 1)));
        CloudWatchLogsCommittable c = new CloudWatchLogsCommittable("g", "s", 1, 0, 2, 3, list);
        byte[] first = s.serialize(c);
        list.add(new SinkEvent(2, "b", "f", 2)); // the caller reuses its list
        assertThat(c.events()).hasSize(1);
        assertThat(s.deserialize(s.getVersion(), s.serialize(c))).isEqualTo(c);
        assertThat(s.serialize(c)).isSameAs(first);
    }

    private static int indexOf(byte[] b, byte[] part) {
        for (int i = 0; i + part.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void moreThanABatchOfMessagesIsRefused() throws IOException {
        // two 600 KB messages: more than any batch holds
        String big = "x".repeat(600 * 1024);
        byte[] bytes = s.serialize(new CloudWatchLogsCommittable(
                "g", "s", 1, 0, 2, 3, List.of(new SinkEvent(1, big, null, 0), new SinkEvent(2, big, null, 0))));
        assertThatThrownBy(() -> s.deserialize(s.getVersion(), bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bytes of messages");
    }

    @Test
    void version3SharedEndsCannotRebuildMoreThanABatchOfMessages() {
        // version 3 as the previous build wrote it: a 600 KB message and a second one all shared with it, 1.2 MB of
        // messages from ~600 KB of bytes
        int big = 600 * 1024;
        CommittableOutput out = new CommittableOutput(big + 64);
        out.bytes(new byte[] {'g'});
        out.bytes(new byte[] {'s'});
        out.zigzag(1);
        out.varint(0);
        out.zigzag(2);
        out.zigzag(3);
        out.varint(2); // events
        out.varint(0); // sources
        out.zigzag(1); // timestamp
        out.varint(0); // shared
        out.varint(big);
        out.raw("x".repeat(big).getBytes(java.nio.charset.StandardCharsets.UTF_8), big);
        out.varint(0); // source
        out.zigzag(0); // offset
        out.zigzag(1);
        out.varint(big); // all shared
        out.varint(0);
        out.varint(0);
        out.zigzag(0);
        byte[] bytes = out.toByteArray();
        assertThatThrownBy(() -> s.deserialize(CloudWatchLogsCommittableSerializer.VERSION_3, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bytes of messages");
    }
}
