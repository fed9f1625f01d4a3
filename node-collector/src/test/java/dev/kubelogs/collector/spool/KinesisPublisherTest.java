package dev.kubelogs.collector.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.LocalKinesis;
import dev.kubelogs.collector.testing.LocalKinesisServer;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SegmentReader;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** The publisher against a local Kinesis-compatible server, one stream per test. */
class KinesisPublisherTest {
    private static final FileRef FILE = new FileRef("/var/log/messages", 1, 2, 0, SourceKind.HOST_FILE);

    @RegisterExtension
    static final LocalKinesisServer KINESIS = new LocalKinesisServer();

    @TempDir
    Path tmp;

    private final LocalKinesis kinesis = KINESIS.server();
    private final String stream = KINESIS.newStream();
    private SegmentSpool spool;
    private final CollectorMetrics metrics = new CollectorMetrics();
    private final AtomicInteger freed = new AtomicInteger();

    @BeforeAll
    static void credentials() {
        // the publisher signs with the default chain; the local server checks no signature
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
    }

    @AfterAll
    static void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @BeforeEach
    void newSpool() throws IOException {
        spool = new SegmentSpool(tmp, "c", "n", Map.of());
    }

    private KinesisPublisher publisher() {
        return new KinesisPublisher(
                new KinesisSettings(stream, kinesis.endpoint().toString(), LocalKinesis.REGION),
                "c",
                "n",
                spool,
                metrics,
                freed::incrementAndGet);
    }

    private void publishSegment(String line) throws IOException {
        OneLineSegments.publish(spool, FILE, line);
    }

    /** Every record of the (one-shard) stream, in order. */
    private List<Record> records() {
        String shard = kinesis.shards(stream).get(0).shardId();
        String iterator = kinesis.client()
                .getShardIterator(
                        b -> b.streamName(stream).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .shardIterator();
        return kinesis.client().getRecords(b -> b.shardIterator(iterator)).records();
    }

    private List<Long> seqs(List<Record> records) throws IOException {
        List<Long> seqs = new ArrayList<>();
        for (Record r : records) {
            seqs.add(SegmentReader.parse(r.data().asByteArray()).header().seq());
        }
        return seqs;
    }

    @Test
    void segmentsArePutInSeqOrderUnderTheNodesPartitionKeyThenLeaveTheLocalSpool() throws Exception {
        kinesis.createStream(stream, 1);
        publishSegment("one");
        publishSegment("two");
        publishSegment("three");
        try (KinesisPublisher p = publisher()) {
            p.start();
            p.wake();
            Await.until("puts", Duration.ofSeconds(30), () -> p.idle() && metrics.kinesisPuts.get() == 3);
        }
        assertThat(spool.listSegments()).isEmpty();
        List<Record> records = records();
        assertThat(seqs(records)).containsExactly(0L, 1L, 2L);
        assertThat(records).extracting(Record::partitionKey).containsOnly("c/n");
        assertThat(freed.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void whileTheStreamCannotBeReachedSegmentsStayLocalAndGoOnceItCan() throws Exception {
        publishSegment("one");
        try (KinesisPublisher p = publisher()) {
            p.start();
            p.wake();
            Await.until("a failed put", Duration.ofSeconds(30), () -> metrics.kinesisErrors.get() >= 1);
            assertThat(spool.listSegments()).containsExactly(0L);

            kinesis.createStream(stream, 1);
            p.wake();
            Await.until("the put", Duration.ofSeconds(60), () -> metrics.kinesisPuts.get() == 1);
        }
        assertThat(spool.listSegments()).isEmpty();
        assertThat(seqs(records())).containsExactly(0L);
    }

    @Test
    void aSegmentOverTheRecordLimitIsKeptAsideAndCountedAndTheNextOnesGo() throws Exception {
        kinesis.createStream(stream, 1);
        publishSegment("x".repeat((int) KinesisSettings.MAX_RECORD_BYTES));
        publishSegment("small");
        try (KinesisPublisher p = publisher()) {
            p.start();
            p.wake();
            Await.until("the small segment", Duration.ofSeconds(30), () -> metrics.kinesisPuts.get() == 1);
        }
        assertThat(metrics.kinesisRejected.get()).isEqualTo(1);
        assertThat(spool.listSegments()).isEmpty();
        assertThat(Files.exists(spool.directory()
                        .resolve(KinesisPublisher.REJECTED_DIR)
                        .resolve(spool.segmentPath(0).getFileName())))
                .isTrue();
        assertThat(seqs(records())).containsExactly(1L);
    }
}
