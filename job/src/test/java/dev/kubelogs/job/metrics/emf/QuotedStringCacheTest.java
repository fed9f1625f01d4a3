package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuotedStringCacheTest {
    private static final List<String> STRINGS = List.of(
            "",
            "job",
            "kubernetes-pods",
            "a<b>&c\u0000\u001f\b\t\n\f\r\"\\/\u007f é中\u2028\u2029\uD83D\uDE00",
            "lone \uD800 surrogate",
            "x".repeat(QuotedStringCache.MAX_CACHED_CHARS),
            "y".repeat(QuotedStringCache.MAX_CACHED_CHARS + 1));

    /** What escaping each string writes, without a cache. */
    private static String escaped(List<String> strings) {
        GoJsonBytes plain = new GoJsonBytes(16);
        for (String s : strings) {
            plain.writeString(s);
        }
        return plain.text();
    }

    @Test
    void writesWhatEscapingWritesTheFirstTimeAndEveryTimeAfter() {
        QuotedStringCache cache = new QuotedStringCache(64);
        GoJsonBytes out = new GoJsonBytes(16);
        for (int round = 0; round < 3; round++) {
            for (String s : STRINGS) {
                // a new instance each round, as a new record brings: found by equality
                cache.write(new String(s.toCharArray()), out);
            }
        }
        assertThat(out.text()).isEqualTo(escaped(STRINGS).repeat(3));
    }

    @Test
    void stringsOfOneSlotReplaceEachOtherAndStayExact() {
        // "Aa" and "BB" have the same hash, so they share a slot in any cache; here there is one slot
        QuotedStringCache cache = new QuotedStringCache(1);
        GoJsonBytes out = new GoJsonBytes(16);
        List<String> alternating = List.of("Aa", "BB", "Aa", "Aa", "BB", "é", "BB");
        for (String s : alternating) {
            cache.write(s, out);
        }
        assertThat(out.text()).isEqualTo(escaped(alternating));
    }

    @Test
    void aCacheIsAPowerOfTwoOfEntries() {
        assertThatThrownBy(() -> new QuotedStringCache(1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
    }
}
