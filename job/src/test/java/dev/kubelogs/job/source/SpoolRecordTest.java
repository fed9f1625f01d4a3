package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.LineEntry;
import dev.kubelogs.spool.PodEntry;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SourceKind;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** A segment's entries as the records the keyed stage receives: single lines, batches, pods, the segment's ends. */
class SpoolRecordTest {
    static final FileRef FILE =
            new FileRef("/var/log/containers/a_b_c-" + "e".repeat(64) + ".log", 66305, 42, 3, SourceKind.CONTAINER);

    static SegmentHeader header(Map<String, String> attributes) {
        return new SegmentHeader("prod", "ip-1", 7, 1_700_000_000_000L, attributes);
    }

    static LineEntry line(long offset, String text, int flags, long readTime) {
        return new LineEntry(FILE, offset, text.getBytes(StandardCharsets.UTF_8), flags, readTime);
    }

    @Test
    void aBatchHoldsEachLineWithItsOwnOffsetFlagsAndReadTime() {
        SpoolRecord r = SpoolRecord.lines(
                header(Map.of(SpoolRecord.BOOT_ID, "boot")),
                4,
                List.of(line(100, "first\n", 0, 1), line(106, "", 2, 2), line(106, "third é\n", 1, 3)));
        assertThat(r.type).isEqualTo(SpoolRecord.LINES);
        assertThat(r.carriesLines()).isTrue();
        assertThat(r.lineCount()).isEqualTo(3);
        assertThat(new String(r.lineBytes(0), StandardCharsets.UTF_8)).isEqualTo("first\n");
        assertThat(r.lineBytes(1)).isEmpty();
        assertThat(new String(r.lineBytes(2), StandardCharsets.UTF_8)).isEqualTo("third é\n");
        assertThat(r.lineStart(2)).isEqualTo(6);
        assertThat(r.lineLength(2)).isEqualTo("third é\n".getBytes(StandardCharsets.UTF_8).length);
        assertThat(List.of(r.lineOffset(0), r.lineOffset(1), r.lineOffset(2))).containsExactly(100L, 106L, 106L);
        assertThat(List.of(r.lineFlags(0), r.lineFlags(1), r.lineFlags(2))).containsExactly(0, 2, 1);
        assertThat(List.of(r.lineReadTime(0), r.lineReadTime(1), r.lineReadTime(2)))
                .containsExactly(1L, 2L, 3L);
        assertThat(r.offset).isEqualTo(100);
        assertThat(r.path).isEqualTo(FILE.path());
        assertThat(r.kind()).isEqualTo(SourceKind.CONTAINER);
        assertThat(r.indexInSegment).isEqualTo(4);
        assertThat(r.nodeKey()).isEqualTo("prod/ip-1");
    }

    @Test
    void aSingleLineAnswersLikeABatchOfOne() {
        SpoolRecord r = SpoolRecord.line(header(Map.of()), 2, line(50, "only\n", 1, 9));
        assertThat(r.type).isEqualTo(SpoolRecord.LINE);
        assertThat(r.lineCount()).isEqualTo(1);
        assertThat(r.lineStart(0)).isZero();
        assertThat(r.lineLength(0)).isEqualTo(5);
        assertThat(r.lineOffset(0)).isEqualTo(50);
        assertThat(r.lineFlags(0)).isEqualTo(1);
        assertThat(r.lineReadTime(0)).isEqualTo(9);
        assertThat(new String(r.lineBytes(0), StandardCharsets.UTF_8)).isEqualTo("only\n");
    }

    @Test
    void theFileIdentityIncludesTheNodesBootWhenTheSegmentNamesIt() {
        assertThat(SpoolRecord.line(header(Map.of(SpoolRecord.BOOT_ID, "b-1")), 1, line(0, "x", 0, 0))
                        .fileIdentity())
                .isEqualTo("b-1/66305:42:3");
        // segments of collectors before boot ids: device, inode and generation alone
        assertThat(SpoolRecord.line(header(Map.of()), 1, line(0, "x", 0, 0)).fileIdentity())
                .isEqualTo("66305:42:3");
    }

    @Test
    void theSegmentsStartCarriesItsNodeAttributesAndPodsTheirJson() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("az", "us-west-2a");
        attrs.put("ec2_instance_id", "i-1");
        SpoolRecord start = SpoolRecord.segmentStart(header(attrs));
        assertThat(start.type).isEqualTo(SpoolRecord.SEGMENT);
        assertThat(start.attributes).containsExactly("az", "us-west-2a", "ec2_instance_id", "i-1");
        assertThat(start.readTimeMillis).isEqualTo(1_700_000_000_000L);
        assertThat(start.carriesLines()).isFalse();
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        SpoolRecord pod = SpoolRecord.pod(header(attrs), 5, new PodEntry(json, 12));
        assertThat(pod.type).isEqualTo(SpoolRecord.POD);
        assertThat(pod.data).isSameAs(json);
        assertThat(pod.readTimeMillis).isEqualTo(12);
        SpoolRecord corrupt = SpoolRecord.corrupt("prod", "ip-1", 8, "/spool/prod/ip-1/8.seg", "bad crc");
        assertThat(corrupt.attributes).containsExactly("/spool/prod/ip-1/8.seg");
        assertThat(new String(corrupt.data, StandardCharsets.UTF_8)).isEqualTo("bad crc");
        assertThat(SpoolRecord.segmentEnd(header(attrs), 9).indexInSegment).isEqualTo(9);
    }

    /** Held segments keep SpoolRecords in keyed state: it must stay a Flink POJO, every field coming back. */
    @Test
    void isAFlinkPojoThatRoundTripsThroughItsSerializer() throws Exception {
        TypeInformation<SpoolRecord> info = TypeInformation.of(SpoolRecord.class);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        TypeSerializer<SpoolRecord> s = info.createSerializer(new SerializerConfigImpl());
        SpoolRecord r = SpoolRecord.lines(
                header(Map.of(SpoolRecord.BOOT_ID, "boot")),
                4,
                List.of(line(100, "first\n", 0, 1), line(106, "second\n", 2, 2)));
        r.previousSeq = 6;
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(r, out);
        SpoolRecord back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).usingRecursiveComparison().isEqualTo(r);
    }
}
