package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** {@link ConstantBlockCache}: a block read again gives the instances it gave before; the cache stays bounded. */
class ConstantBlockCacheTest {
    private final SeriesBatchSerializer.StringReads strings = new SeriesBatchSerializer.StringReads();

    private static SeriesGroup gauge(String instance) {
        return new SeriesGroup(
                "node",
                Labels.of("job", "node", "instance", instance),
                MetricType.GAUGE,
                1L,
                new String[] {"up"},
                new double[] {1},
                null);
    }

    /** A block as a record carries it, and its length. */
    private static DataInputDeserializer record(List<SeriesGroup> groups) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        ConstantBlock.encode(groups).writeTo(out);
        return new DataInputDeserializer(out.getCopyOfBuffer());
    }

    private GroupConstants[] read(ConstantBlockCache cache, List<SeriesGroup> groups) throws IOException {
        DataInputDeserializer in = record(groups);
        int length = (int) dev.kubelogs.job.model.VarInts.read(in);
        GroupConstants[] read = cache.read(in, length, strings);
        assertThat(in.available()).as("the block is read to its end").isZero();
        return read;
    }

    @Test
    void aBlockReadAgainIsTheDecodedGroupsOfBefore() throws Exception {
        ConstantBlockCache cache = new ConstantBlockCache(16, 1 << 20);
        GroupConstants[] first = read(cache, List.of(gauge("a:1"), gauge("b:1")));
        GroupConstants[] again = read(cache, List.of(gauge("a:1"), gauge("b:1")));
        assertThat(again).isSameAs(first);
        assertThat(read(cache, List.of(gauge("a:1"), gauge("c:1")))).isNotSameAs(first);
    }

    @Test
    void blocksInTheSameSlotReplaceEachOtherAndNeverGiveTheOthersGroups() throws Exception {
        ConstantBlockCache cache = new ConstantBlockCache(1, 1 << 20);
        GroupConstants[] a = read(cache, List.of(gauge("a:1")));
        long oneBlock = cache.cachedBytes();
        GroupConstants[] b = read(cache, List.of(gauge("b:1")));
        assertThat(cache.cachedBytes()).as("b replaced a").isEqualTo(oneBlock);
        assertThat(b[0].group(1L, new double[] {1}, null)).isEqualTo(gauge("b:1"));
        GroupConstants[] aAgain = read(cache, List.of(gauge("a:1")));
        assertThat(aAgain).as("b replaced a").isNotSameAs(a);
        assertThat(aAgain[0].group(1L, new double[] {1}, null)).isEqualTo(gauge("a:1"));
    }

    @Test
    void theKeptBlocksStayWithinTheBudgetAndMoreBlocksThanItHoldsStillHitInPart() throws Exception {
        ConstantBlockCache cache = new ConstantBlockCache(64, 1 << 20);
        read(cache, List.of(gauge("a:1")));
        long oneBlock = cache.cachedBytes();
        long budget = 4 * oneBlock;
        cache = new ConstantBlockCache(64, budget);
        GroupConstants[][] before = new GroupConstants[10][];
        int hits = 0;
        for (int pass = 0; pass < 20; pass++) {
            for (int b = 0; b < before.length; b++) {
                GroupConstants[] read = read(cache, List.of(gauge(b + ":1")));
                assertThat(read[0].group(1L, new double[] {1}, null)).isEqualTo(gauge(b + ":1"));
                if (read == before[b]) {
                    hits++;
                }
                before[b] = read;
                assertThat(cache.cachedBytes()).isLessThanOrEqualTo(budget);
            }
        }
        assertThat(hits).as("ten blocks over a budget of four").isPositive().isLessThan(19 * 10);
    }

    @Test
    void blocksThatDoNotFitSweepTheKeptOnesOutSoALaterBlockIsKept() throws Exception {
        ConstantBlockCache cache = new ConstantBlockCache(1, 1 << 20);
        read(cache, List.of(gauge("a:1")));
        long oneBlock = cache.cachedBytes();
        cache = new ConstantBlockCache(2, oneBlock);
        read(cache, List.of(gauge("a:1")));
        GroupConstants[] kept = null;
        for (int i = 0; i < 10 && kept == null; i++) {
            boolean empty = cache.cachedBytes() == 0;
            List<SeriesGroup> block = List.of(gauge("b:" + i));
            GroupConstants[] read = read(cache, block);
            assertThat(cache.cachedBytes()).isLessThanOrEqualTo(oneBlock);
            if (empty) {
                assertThat(read(cache, block)).as("kept once there was room").isSameAs(read);
                kept = read;
            }
        }
        assertThat(kept)
                .as("a block in the other slot emptied the cache on the way")
                .isNotNull();
    }

    @Test
    void aBlockOverTheLimitIsDecodedEachTimeAndNotKept() throws Exception {
        String huge = "h".repeat(ConstantBlockCache.MAX_CACHED_BLOCK_BYTES);
        ConstantBlockCache cache = new ConstantBlockCache(16, 1L << 30);
        GroupConstants[] first = read(cache, List.of(gauge(huge)));
        GroupConstants[] again = read(cache, List.of(gauge(huge)));
        assertThat(again).isNotSameAs(first);
        assertThat(again[0].group(1L, new double[] {1}, null)).isEqualTo(gauge(huge));
        assertThat(cache.cachedBytes()).isZero();
    }

    @Test
    void aLengthBeyondTheStreamFailsAtItsEndWithoutAllocatingTheLength() throws Exception {
        ConstantBlockCache cache = new ConstantBlockCache(16, 1 << 20);
        DataInputDeserializer in = new DataInputDeserializer(new byte[100]);
        long before = allocated();
        assertThatThrownBy(() -> cache.read(in, 1 << 30, strings)).isInstanceOf(EOFException.class);
        assertThat(allocated() - before).isLessThan(1 << 20);
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
