package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChunkPoolTest {
    @Test
    void anArrayGivenBackIsTakenAgainForItsSize() {
        ChunkPool pool = new ChunkPool();
        byte[] small = pool.take(ChunkPool.SMALLEST);
        byte[] large = pool.take(ChunkPool.LARGEST);
        assertThat(small).hasSize(ChunkPool.SMALLEST);
        assertThat(large).hasSize(ChunkPool.LARGEST);
        pool.give(small);
        pool.give(large);
        assertThat(pool.pooledBytes()).isEqualTo(ChunkPool.SMALLEST + ChunkPool.LARGEST);
        assertThat(pool.take(ChunkPool.LARGEST)).isSameAs(large);
        assertThat(pool.take(ChunkPool.SMALLEST * 2)).isNotSameAs(small).hasSize(ChunkPool.SMALLEST * 2);
        assertThat(pool.take(ChunkPool.SMALLEST)).isSameAs(small);
        assertThat(pool.pooledBytes()).isZero();
    }

    @Test
    void whatNobodyTookSinceTheLastDropIsForgotten() {
        ChunkPool pool = new ChunkPool();
        byte[] chunk = pool.take(1024);
        pool.give(chunk);
        pool.dropUnused();
        assertThat(pool.pooledBytes()).isZero();
        assertThat(pool.take(1024)).isNotSameAs(chunk);
    }

    @Test
    void sizesOutsideThePowersOfTwoInRangeAreRefused() {
        ChunkPool pool = new ChunkPool();
        for (int size : new int[] {ChunkPool.SMALLEST / 2, ChunkPool.LARGEST * 2, 300}) {
            assertThatThrownBy(() -> pool.take(size)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> pool.give(new byte[1000])).isInstanceOf(IllegalArgumentException.class);
    }
}
