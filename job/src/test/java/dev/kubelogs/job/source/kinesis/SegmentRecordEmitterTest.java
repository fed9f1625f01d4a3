package dev.kubelogs.job.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.source.SegmentBulkFormat;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SegmentReader;
import dev.kubelogs.spool.SegmentWriter;
import dev.kubelogs.spool.SourceKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Record;

class SegmentRecordEmitterTest {
    private static byte[] segment() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SegmentWriter w = new SegmentWriter(bytes, new SegmentHeader("prod", "node-1", 7, 1_000L, Map.of("az", "a")));
        w.readTime(1_000L);
        w.podMetadata("{}".getBytes(StandardCharsets.UTF_8));
        int file = w.declareFile(new FileRef("/var/log/containers/a.log", 1, 2, 0, SourceKind.CONTAINER), 100);
        for (String line : List.of("one", "two", "three")) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            w.line(file, b, 0, b.length, 0);
        }
        w.finish();
        return bytes.toByteArray();
    }

    private static Record record(byte[] data, String sequenceNumber) {
        return Record.builder()
                .data(SdkBytes.fromByteArray(data))
                .partitionKey("prod/node-1")
                .sequenceNumber(sequenceNumber)
                .build();
    }

    @Test
    void aRecordsSegmentComesOutAsTheSpoolSourceEmitsItAndMovesTheShardPastIt() throws Exception {
        byte[] segment = segment();
        ShardSplitState shard =
                new ShardSplitState(new ShardSplit("shardId-000000000000", List.of(), ShardSplit.TRIM_HORIZON));
        TestingReaderOutput<SpoolRecord> output = new TestingReaderOutput<>();

        new SegmentRecordEmitter("segments").emitRecord(record(segment, "42"), output, shard);

        List<SpoolRecord> expected =
                SegmentBulkFormat.toRecords(SegmentReader.parse(segment), 0).records();
        assertThat(output.getEmittedRecords()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            SpoolRecord got = output.getEmittedRecords().get(i);
            assertThat(got.toString()).isEqualTo(expected.get(i).toString());
            assertThat(got.type).isEqualTo(expected.get(i).type);
            assertThat(got.data).isEqualTo(expected.get(i).data);
            assertThat(got.previousSeq).isEqualTo(SegmentRecordEmitter.NOTHING_EARLIER_PENDING);
        }
        assertThat(output.getEmittedRecords().get(0).attributes).containsExactly("az", "a");
        assertThat(shard.toSplit().afterSequenceNumber()).isEqualTo("42");
    }

    @Test
    void bytesThatAreNotASegmentBecomeOneCorruptRecordForThePartitionKeysNode() {
        ShardSplitState shard = new ShardSplitState(
                new ShardSplit("shardId-000000000001", List.of(), ShardSplit.TRIM_HORIZON).after("41"));
        TestingReaderOutput<SpoolRecord> output = new TestingReaderOutput<>();

        new SegmentRecordEmitter("segments")
                .emitRecord(record("not a segment".getBytes(StandardCharsets.UTF_8), "42"), output, shard);

        assertThat(output.getEmittedRecords()).singleElement().satisfies(r -> {
            assertThat(r.type).isEqualTo(SpoolRecord.CORRUPT);
            assertThat(r.nodeKey()).isEqualTo("prod/node-1");
            assertThat(r.attributes).containsExactly("kinesis:segments/shardId-000000000001/42");
        });
        assertThat(shard.toSplit().afterSequenceNumber()).isEqualTo("42");
    }
}
