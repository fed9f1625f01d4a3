package dev.kubelogs.job.source.kinesis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Lists the stream's shards every discovery interval and hands each new one to a reader ({@code hash(shard id) mod
 * parallelism}, so a restart spreads them the same way). A shard made by a reshard waits until every parent still in
 * the stream was read to its end, so a node's segments stay in put order across the reshard.
 */
final class KinesisShardEnumerator implements SplitEnumerator<ShardSplit, KinesisEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(KinesisShardEnumerator.class);

    private final SplitEnumeratorContext<ShardSplit> context;
    private final KinesisStreamSettings settings;
    private final KinesisAsyncClient client;
    private final Set<String> assigned;
    private final Set<String> finished;
    private final List<ShardSplit> unassigned;
    private boolean firstDiscoveryDone;
    private List<Shard> lastListing = List.of();

    KinesisShardEnumerator(
            SplitEnumeratorContext<ShardSplit> context,
            KinesisStreamSettings settings,
            KinesisAsyncClient client,
            KinesisEnumeratorState state) {
        this.context = context;
        this.settings = settings;
        this.client = client;
        this.assigned = new HashSet<>(state.assigned());
        this.finished = new HashSet<>(state.finished());
        this.unassigned = new ArrayList<>(state.unassigned());
        this.firstDiscoveryDone = state.firstDiscoveryDone();
    }

    @Override
    public void start() {
        long interval = settings.shardDiscoveryInterval().toMillis();
        context.callAsync(this::listShards, this::onListing, 0, interval);
    }

    /** Every shard of the stream, open or closed, over all pages (a worker thread). */
    List<Shard> listShards() throws InterruptedException, ExecutionException {
        List<Shard> shards = new ArrayList<>();
        String next = null;
        do {
            // a follow-up page names only its token: the API refuses the stream beside it
            ListShardsRequest request = next == null
                    ? settings.naming(ListShardsRequest.builder()).build()
                    : ListShardsRequest.builder().nextToken(next).build();
            ListShardsResponse page = client.listShards(request).get();
            shards.addAll(page.shards());
            next = page.nextToken();
        } while (next != null);
        return shards;
    }

    private void onListing(List<Shard> shards, Throwable error) {
        if (error != null) {
            // the next pass tries again; the readers keep reading the shards they have
            LOG.warn("Listing the shards of Kinesis stream {} failed: {}", settings.stream(), error.toString());
            return;
        }
        lastListing = shards;
        long now = System.currentTimeMillis();
        Set<String> listed = new HashSet<>();
        for (Shard shard : shards) {
            listed.add(shard.shardId());
        }
        for (Shard shard : shards) {
            if (assigned.contains(shard.shardId()) || isUnassigned(shard.shardId()) || !parentsDone(shard, listed)) {
                continue;
            }
            long start = !firstDiscoveryDone && settings.initialPosition() == InitialPosition.LATEST
                    ? now
                    : ShardSplit.TRIM_HORIZON;
            unassigned.add(new ShardSplit(shard.shardId(), parents(shard), start));
        }
        firstDiscoveryDone = true;
        assignUnassigned();
    }

    private boolean isUnassigned(String shardId) {
        return unassigned.stream().anyMatch(s -> s.shardId().equals(shardId));
    }

    /** True when no parent is left to read: each was read to its end, or is gone from the stream unread by us. */
    private boolean parentsDone(Shard shard, Set<String> listed) {
        for (String parent : parents(shard)) {
            boolean gone = !listed.contains(parent) && !assigned.contains(parent);
            if (!finished.contains(parent) && !gone) {
                return false;
            }
        }
        return true;
    }

    private static List<String> parents(Shard shard) {
        List<String> parents = new ArrayList<>(2);
        if (shard.parentShardId() != null) {
            parents.add(shard.parentShardId());
        }
        if (shard.adjacentParentShardId() != null) {
            parents.add(shard.adjacentParentShardId());
        }
        return parents;
    }

    /** Hands every waiting split whose reader is there to it. */
    private void assignUnassigned() {
        int parallelism = context.currentParallelism();
        Map<Integer, ?> readers = context.registeredReaders();
        List<ShardSplit> waiting = new ArrayList<>(unassigned);
        unassigned.clear();
        for (ShardSplit split : waiting) {
            int owner = Math.floorMod(split.shardId().hashCode(), parallelism);
            if (readers.containsKey(owner)) {
                context.assignSplit(split, owner);
                assigned.add(split.shardId());
                LOG.info("Kinesis shard {} of {} goes to reader {}", split.shardId(), settings.stream(), owner);
            } else {
                unassigned.add(split);
            }
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // shards are pushed to their owner; readers never ask
    }

    @Override
    public void addSplitsBack(List<ShardSplit> splits, int subtaskId) {
        for (ShardSplit split : splits) {
            if (split.finished()) {
                finished.add(split.shardId());
            } else {
                assigned.remove(split.shardId());
                unassigned.add(split);
            }
        }
        assignUnassigned();
    }

    @Override
    public void addReader(int subtaskId) {
        assignUnassigned();
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof ShardsFinishedEvent) {
            finished.addAll(((ShardsFinishedEvent) event).shardIds());
            LOG.info(
                    "Kinesis shards {} of {} were read to their end",
                    ((ShardsFinishedEvent) event).shardIds(),
                    settings.stream());
            if (!lastListing.isEmpty()) {
                // their children need not wait for the next listing
                onListing(lastListing, null);
            }
        }
    }

    @Override
    public KinesisEnumeratorState snapshotState(long checkpointId) {
        return new KinesisEnumeratorState(assigned, finished, unassigned, firstDiscoveryDone);
    }

    @Override
    public void close() {
        client.close();
    }
}
