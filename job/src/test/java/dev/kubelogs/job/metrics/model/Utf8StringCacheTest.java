package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8StringCacheTest {
    private static final List<String> STRINGS = List.of(
            "",
            "job",
            "node_cpu_seconds_total",
            "é中\uD83D\uDE00 and ascii",
            "x".repeat(Utf8StringCache.MAX_CACHED_BYTES),
            "y".repeat(Utf8StringCache.MAX_CACHED_BYTES + 1));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes at the start of a larger, reused buffer, as the serializer passes them. */
    private static String read(Utf8StringCache cache, String s, byte[] buffer) {
        byte[] bytes = utf8(s);
        Arrays.fill(buffer, (byte) '?');
        System.arraycopy(bytes, 0, buffer, 0, bytes.length);
        return cache.get(buffer, bytes.length);
    }

    @Test
    void givesWhatDecodingGivesTheFirstTimeAndTheSameInstanceAfter() {
        Utf8StringCache cache = new Utf8StringCache(64);
        byte[] buffer = new byte[1024];
        for (String s : STRINGS) {
            String first = read(cache, s, buffer);
            assertThat(first).isEqualTo(s);
            String again = read(cache, s, buffer);
            assertThat(again).isEqualTo(s);
            if (utf8(s).length <= Utf8StringCache.MAX_CACHED_BYTES) {
                assertThat(again).isSameAs(first);
            } else {
                assertThat(again).isNotSameAs(first);
            }
        }
    }

    @Test
    void collidingStringsReplaceEachOtherAndEachComesBackAsItself() {
        // one entry: every string collides with the one before
        Utf8StringCache cache = new Utf8StringCache(1);
        byte[] buffer = new byte[64];
        List<String> strings = List.of("job", "jobs", "instance", "job", "", "jo");
        for (int round = 0; round < 3; round++) {
            for (String s : strings) {
                assertThat(read(cache, s, buffer)).isEqualTo(s);
            }
        }
    }

    @Test
    void aPrefixOfACachedStringIsNotThatString() {
        Utf8StringCache cache = new Utf8StringCache(1);
        byte[] bytes = utf8("abcdefghijk");
        assertThat(cache.get(bytes, bytes.length)).isEqualTo("abcdefghijk");
        assertThat(cache.get(bytes, 8)).isEqualTo("abcdefgh");
        assertThat(cache.get(bytes, bytes.length)).isEqualTo("abcdefghijk");
    }

    @Test
    void theHashReadsEveryByteOfTheLengthAndNoneAfter() {
        byte[] a = utf8("abcdefghijklmnopq");
        for (int i = 0; i < a.length; i++) {
            byte[] b = a.clone();
            b[i] ^= 1;
            assertThat(Utf8StringCache.hash(b, a.length))
                    .as("byte %d", i)
                    .isNotEqualTo(Utf8StringCache.hash(a, a.length));
        }
        byte[] longer = Arrays.copyOf(a, a.length + 8);
        longer[a.length] = 'z';
        assertThat(Utf8StringCache.hash(longer, a.length)).isEqualTo(Utf8StringCache.hash(a, a.length));
    }

    @Test
    void entriesMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new Utf8StringCache(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Utf8StringCache(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
