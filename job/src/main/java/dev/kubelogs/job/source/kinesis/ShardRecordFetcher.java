package dev.kubelogs.job.source.kinesis;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Polls the reader's shards with GetRecords, one call per due shard and fetch. A shard that returned nothing new (or
 * was throttled) is not asked again before the idle interval, so an idle stream costs a few calls a second per shard;
 * a shard that is behind is asked again at once. A shard that ends (a reshard closed it) is reported finished. Any
 * other failure fails the fetch, and the task restarts from its last checkpoint.
 */
final class ShardRecordFetcher implements SplitReader<Record, ShardSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(ShardRecordFetcher.class);

    private final KinesisStreamSettings settings;
    private final KinesisAsyncClient client;
    private final long idleNanos;
    private final Map<String, ShardCursor> cursors = new LinkedHashMap<>();
    private final Object wakeUps = new Object();
    private boolean wokenUp;

    ShardRecordFetcher(KinesisStreamSettings settings, KinesisAsyncClient client) {
        this.settings = settings;
        this.client = client;
        this.idleNanos = settings.idlePollInterval().toNanos();
    }

    @Override
    public RecordsWithSplitIds<Record> fetch() throws IOException {
        Map<String, Collection<Record>> records = new LinkedHashMap<>();
        Set<String> finished = new HashSet<>();
        long now = System.nanoTime();
        for (ShardCursor cursor : List.copyOf(cursors.values())) {
            if (cursor.dueAt - now > 0) {
                continue;
            }
            List<Record> got = poll(cursor);
            if (!got.isEmpty()) {
                records.put(cursor.split.shardId(), got);
            }
            if (cursor.ended) {
                finished.add(cursor.split.shardId());
                cursors.remove(cursor.split.shardId());
            }
        }
        if (records.isEmpty() && finished.isEmpty()) {
            awaitDueShard();
        }
        return new RecordsBySplits<>(records, finished);
    }

    /** One GetRecords call for {@code cursor}'s shard; advances the cursor and sets when it is due again. */
    private List<Record> poll(ShardCursor cursor) throws IOException {
        try {
            if (cursor.iterator == null) {
                cursor.iterator = iterator(cursor);
            }
            GetRecordsResponse response = call(() -> client.getRecords(GetRecordsRequest.builder()
                            .shardIterator(cursor.iterator)
                            .build())
                    .get());
            List<Record> got = response.records();
            if (!got.isEmpty()) {
                cursor.lastFetched = got.get(got.size() - 1).sequenceNumber();
            }
            cursor.iterator = response.nextShardIterator();
            cursor.ended = cursor.iterator == null;
            boolean behind = response.millisBehindLatest() != null && response.millisBehindLatest() > 0;
            cursor.dueAt = System.nanoTime() + (got.isEmpty() || !behind ? idleNanos : 0);
            return got;
        } catch (ExpiredIteratorException e) {
            // an iterator lives five minutes; a slow reader asks for a new one at the same place
            cursor.iterator = null;
            return List.of();
        } catch (ProvisionedThroughputExceededException e) {
            LOG.info(
                    "Kinesis shard {} throttled the reader; asking again in {}",
                    cursor.split.shardId(),
                    settings.idlePollInterval());
            cursor.dueAt = System.nanoTime() + idleNanos;
            return List.of();
        }
    }

    /** An iterator after the last record fetched, else where the split starts. */
    private String iterator(ShardCursor cursor) throws IOException {
        GetShardIteratorRequest.Builder request =
                settings.naming(GetShardIteratorRequest.builder()).shardId(cursor.split.shardId());
        String after = cursor.lastFetched != null ? cursor.lastFetched : cursor.split.afterSequenceNumber();
        if (after != null) {
            request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(after);
        } else if (cursor.split.startTimestampMillis() != ShardSplit.TRIM_HORIZON) {
            request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                    .timestamp(Instant.ofEpochMilli(cursor.split.startTimestampMillis()));
        } else {
            request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
        }
        return call(() -> client.getShardIterator(request.build()).get()).shardIterator();
    }

    /** Waits until the next shard is due, or {@link #wakeUp()} (new splits, shutdown). */
    private void awaitDueShard() throws IOException {
        long now = System.nanoTime();
        long wait = idleNanos;
        for (ShardCursor cursor : cursors.values()) {
            wait = Math.min(wait, Math.max(0, cursor.dueAt - now));
        }
        synchronized (wakeUps) {
            long deadline = System.nanoTime() + wait;
            try {
                while (!wokenUp && deadline - System.nanoTime() > 0) {
                    long left = deadline - System.nanoTime();
                    wakeUps.wait(Math.max(1, left / 1_000_000), 0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Kinesis records", e);
            }
            wokenUp = false;
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<ShardSplit> changes) {
        if (!(changes instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("Kinesis shards are only ever added, not " + changes);
        }
        for (ShardSplit split : changes.splits()) {
            cursors.put(split.shardId(), new ShardCursor(split));
        }
    }

    @Override
    public void wakeUp() {
        synchronized (wakeUps) {
            wokenUp = true;
            wakeUps.notifyAll();
        }
    }

    @Override
    public void close() {
        client.close();
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws InterruptedException, ExecutionException;
    }

    /** Runs a client call; its SDK exception is thrown as is, anything else as an IOException. */
    private static <T> T call(Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during a Kinesis call", e);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IOException("Kinesis call failed: " + e.getCause(), e.getCause());
        }
    }

    /** Where the reading of one shard is. */
    private static final class ShardCursor {
        final ShardSplit split;
        String iterator;
        String lastFetched;
        boolean ended;
        long dueAt = System.nanoTime();

        ShardCursor(ShardSplit split) {
            this.split = split;
        }
    }
}
