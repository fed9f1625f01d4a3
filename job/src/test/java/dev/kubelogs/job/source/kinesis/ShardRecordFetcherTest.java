package dev.kubelogs.job.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.testing.LocalKinesis;
import dev.kubelogs.collector.testing.LocalKinesisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesis.model.Record;

class ShardRecordFetcherTest {
    @RegisterExtension
    static final LocalKinesisServer KINESIS = new LocalKinesisServer();

    private final LocalKinesis kinesis = KINESIS.server();
    private final String stream = KINESIS.newStream();

    private ShardRecordFetcher fetcher(ShardSplit split) {
        KinesisStreamSettings settings =
                LocalStreams.settings(stream, kinesis.endpoint().toString(), InitialPosition.TRIM_HORIZON);
        ShardRecordFetcher fetcher = new ShardRecordFetcher(settings, settings.client());
        fetcher.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
        return fetcher;
    }

    /** The record texts fetched until {@code done} holds (with a deadline), and whether the split finished. */
    private static List<String> fetchUntil(ShardRecordFetcher fetcher, int records, boolean untilFinished)
            throws Exception {
        List<String> texts = new ArrayList<>();
        boolean finished = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (texts.size() < records || (untilFinished && !finished)) {
            assertThat(System.nanoTime()).as("fetched so far: " + texts).isLessThan(deadline);
            RecordsWithSplitIds<Record> batch = fetcher.fetch();
            for (String split = batch.nextSplit(); split != null; split = batch.nextSplit()) {
                for (Record r = batch.nextRecordFromSplit(); r != null; r = batch.nextRecordFromSplit()) {
                    texts.add(r.data().asString(StandardCharsets.UTF_8));
                }
            }
            finished |= !batch.finishedSplits().isEmpty();
        }
        return texts;
    }

    @Test
    void aShardIsReadInPutOrderAndReportedFinishedOnceAReshardClosedIt() throws Exception {
        {
            kinesis.createStream(stream, 1);
            String parent = kinesis.shards(stream).get(0).shardId();
            for (int i = 0; i < 5; i++) {
                kinesis.put(stream, "prod/node-1", ("segment " + i).getBytes(StandardCharsets.UTF_8));
            }
            kinesis.splitInHalves(stream, parent);
            kinesis.put(stream, "prod/node-1", "segment 5".getBytes(StandardCharsets.UTF_8));

            try (ShardRecordFetcher fetcher = fetcher(new ShardSplit(parent, List.of(), ShardSplit.TRIM_HORIZON))) {
                assertThat(fetchUntil(fetcher, 5, true))
                        .containsExactly("segment 0", "segment 1", "segment 2", "segment 3", "segment 4");
            }
        }
    }

    @Test
    void aRestoredSplitGoesOnAfterItsSequenceNumber() throws Exception {
        {
            kinesis.createStream(stream, 1);
            String shard = kinesis.shards(stream).get(0).shardId();
            List<String> sequenceNumbers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sequenceNumbers.add(
                        kinesis.put(stream, "prod/node-1", ("segment " + i).getBytes(StandardCharsets.UTF_8))
                                .sequenceNumber());
            }

            ShardSplit restored =
                    new ShardSplit(shard, List.of(), ShardSplit.TRIM_HORIZON).after(sequenceNumbers.get(1));
            try (ShardRecordFetcher fetcher = fetcher(restored)) {
                assertThat(fetchUntil(fetcher, 2, false)).containsExactly("segment 2", "segment 3");
            }
        }
    }
}
