package dev.kubelogs.job.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.testing.LocalKinesis;
import dev.kubelogs.collector.testing.LocalKinesisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KinesisShardEnumeratorTest {
    @RegisterExtension
    static final LocalKinesisServer KINESIS = new LocalKinesisServer();

    private final LocalKinesis kinesis = KINESIS.server();
    private final String stream = KINESIS.newStream();

    private KinesisStreamSettings settings(InitialPosition position) {
        return LocalStreams.settings(stream, kinesis.endpoint().toString(), position);
    }

    private static MockSplitEnumeratorContext<ShardSplit> context(int readers) {
        MockSplitEnumeratorContext<ShardSplit> ctx = new MockSplitEnumeratorContext<>(readers);
        for (int i = 0; i < readers; i++) {
            ctx.registerReader(new ReaderInfo(i, "host"));
        }
        return ctx;
    }

    private static KinesisShardEnumerator enumerator(
            MockSplitEnumeratorContext<ShardSplit> ctx, KinesisStreamSettings settings, KinesisEnumeratorState state) {
        KinesisShardEnumerator enumerator = new KinesisShardEnumerator(ctx, settings, settings.client(), state);
        enumerator.start();
        return enumerator;
    }

    private static List<ShardSplit> assigned(MockSplitEnumeratorContext<ShardSplit> ctx) {
        List<ShardSplit> splits = new ArrayList<>();
        for (SplitsAssignment<ShardSplit> a : ctx.getSplitsAssignmentSequence()) {
            a.assignment().values().forEach(splits::addAll);
        }
        return splits;
    }

    @Test
    void aReshardsChildrenAreHandedOutOnlyOnceTheirParentWasReadToItsEnd() throws Throwable {
        try (MockSplitEnumeratorContext<ShardSplit> ctx = context(2)) {
            kinesis.createStream(stream, 1);
            String parent = kinesis.shards(stream).get(0).shardId();
            KinesisStreamSettings settings = settings(InitialPosition.TRIM_HORIZON);
            try (KinesisShardEnumerator enumerator = enumerator(ctx, settings, KinesisEnumeratorState.empty())) {
                ctx.runPeriodicCallable(0);
                assertThat(assigned(ctx)).containsExactly(new ShardSplit(parent, List.of(), ShardSplit.TRIM_HORIZON));

                kinesis.splitInHalves(stream, parent);
                awaitShards(3);
                ctx.runPeriodicCallable(0);
                assertThat(assigned(ctx)).as("children wait for their parent").hasSize(1);

                enumerator.handleSourceEvent(0, new ShardsFinishedEvent(List.of(parent)));
                List<ShardSplit> children =
                        assigned(ctx).subList(1, assigned(ctx).size());
                assertThat(children).hasSize(2).allSatisfy(child -> {
                    assertThat(child.parentShardIds()).containsExactly(parent);
                    assertThat(child.startTimestampMillis()).isEqualTo(ShardSplit.TRIM_HORIZON);
                });

                // restored from its checkpoint, it hands out nothing again: the readers' state has those shards
                KinesisEnumeratorStateSerializer serializer = new KinesisEnumeratorStateSerializer();
                KinesisEnumeratorState state = serializer.deserialize(
                        serializer.getVersion(), serializer.serialize(enumerator.snapshotState(1)));
                try (MockSplitEnumeratorContext<ShardSplit> ctx2 = context(2);
                        KinesisShardEnumerator restored = enumerator(ctx2, settings, state)) {
                    ctx2.runPeriodicCallable(0);
                    assertThat(assigned(ctx2)).isEmpty();
                }
            }
        }
    }

    @Test
    void latestIsFixedAsATimeWhenTheShardIsFirstFoundSoARestoreSkipsNothingPutSince() throws Throwable {
        try (MockSplitEnumeratorContext<ShardSplit> ctx = context(1)) {
            kinesis.createStream(stream, 1);
            long before = System.currentTimeMillis();
            try (KinesisShardEnumerator enumerator =
                    enumerator(ctx, settings(InitialPosition.LATEST), KinesisEnumeratorState.empty())) {
                ctx.runPeriodicCallable(0);
                assertThat(assigned(ctx))
                        .singleElement()
                        .satisfies(split ->
                                assertThat(split.startTimestampMillis()).isBetween(before, System.currentTimeMillis()));
                assertThat(enumerator.snapshotState(1).firstDiscoveryDone()).isTrue();
            }
        }
    }

    @Test
    void aSplitAReaderGaveBackGoesToTheNextReaderThatRegisters() throws Throwable {
        try (MockSplitEnumeratorContext<ShardSplit> ctx = context(1)) {
            kinesis.createStream(stream, 1);
            try (KinesisShardEnumerator enumerator =
                    enumerator(ctx, settings(InitialPosition.TRIM_HORIZON), KinesisEnumeratorState.empty())) {
                ctx.runPeriodicCallable(0);
                ShardSplit split = assigned(ctx).get(0).after("5");
                ctx.unregisterReader(0);
                enumerator.addSplitsBack(List.of(split), 0);
                assertThat(enumerator.snapshotState(2).unassigned()).containsExactly(split);

                ctx.registerReader(new ReaderInfo(0, "host"));
                enumerator.addReader(0);
                assertThat(assigned(ctx)).last().isEqualTo(split);
                assertThat(enumerator.snapshotState(3).unassigned()).isEmpty();

                // a shard the failed reader had read to its end is done, not handed out again
                enumerator.addSplitsBack(List.of(split.asFinished()), 0);
                assertThat(enumerator.snapshotState(4).finished()).containsExactly(split.shardId());
                assertThat(enumerator.snapshotState(4).unassigned()).isEmpty();
            }
        }
    }

    private void awaitShards(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (kinesis.shards(stream).size() < count) {
            assertThat(System.nanoTime()).as("shards after the split").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
