package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteKeyedCacheTest {
    @Test
    void hitsOnlyOnEqualBytesAndACollisionReplacesTheSlot() {
        ByteKeyedCache<String> cache = new ByteKeyedCache<>(1);
        byte[] b = "abcabd".getBytes(StandardCharsets.US_ASCII);
        int abc = ByteKeyedCache.hash(b, 0, 3);
        int abd = ByteKeyedCache.hash(b, 3, 6);
        cache.put(abc, b, 0, 3, "abc");
        assertThat(cache.get(abc, b, 0, 3)).isEqualTo("abc");
        assertThat(cache.get(abd, b, 3, 6)).isNull();
        cache.put(abd, b, 3, 6, "abd");
        assertThat(cache.get(abc, b, 0, 3)).isNull();
        assertThat(cache.get(abd, b, 3, 6)).isEqualTo("abd");
    }

    @Test
    void slotsArePowersOfTwo() {
        assertThatThrownBy(() -> new ByteKeyedCache<String>(3)).isInstanceOf(IllegalArgumentException.class);
    }
}
