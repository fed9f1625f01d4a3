package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteChunksTest {
    @Test
    void holdsWhatIsWrittenAcrossChunksAsCommittableOutputWritesIt() {
        Random random = new Random(7);
        byte[] blob = new byte[100_000];
        random.nextBytes(blob);
        long[] values = {0, 1, -1, 127, 128, Long.MAX_VALUE, Long.MIN_VALUE, 1_760_000_000_000L};
        ChunkPool pool = new ChunkPool();
        ByteChunks chunks = new ByteChunks(pool);
        CommittableOutput expected = new CommittableOutput(1_000_000);
        for (int i = 0; i < 2_000; i++) {
            long v = values[i % values.length];
            chunks.varint(v);
            expected.varint(v);
            chunks.zigzag(-v);
            expected.zigzag(-v);
            int from = random.nextInt(blob.length - 500);
            int length = random.nextInt(500);
            chunks.write(blob, from, length);
            byte[] part = java.util.Arrays.copyOfRange(blob, from, from + length);
            expected.raw(part, length);
        }
        assertThat(chunks.size()).isEqualTo(expected.position());
        byte[] copy = new byte[expected.position() + 3];
        chunks.copyTo(copy, 3);
        assertThat(java.util.Arrays.copyOfRange(copy, 3, copy.length)).isEqualTo(expected.toByteArray());
    }

    @Test
    void releaseGivesEveryChunkBackAndEmptiesIt() {
        ChunkPool pool = new ChunkPool();
        ByteChunks chunks = new ByteChunks(pool);
        byte[] data = new byte[100_000];
        chunks.write(data, 0, data.length);
        chunks.release();
        assertThat(chunks.size()).isZero();
        // 128 + 256 + ... + 16384 = 32,640, then 16,384-byte chunks: whole chunks cover the 100,000 bytes
        assertThat(pool.pooledBytes()).isGreaterThanOrEqualTo(data.length).isLessThan(data.length + ChunkPool.LARGEST);
        chunks.write(1);
        byte[] one = new byte[1];
        chunks.copyTo(one, 0);
        assertThat(one[0]).isEqualTo((byte) 1);
    }
}
