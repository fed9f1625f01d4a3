package dev.kubelogs.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedStringsTest {
    private static final List<String> STRINGS = List.of(
            "",
            "/aws/containerinsights/c/prometheus",
            "kubernetes-service-endpoints",
            "h\u00e9llo \u4e2d \ud83d\ude00",
            "?",
            "what?",
            "x".repeat(EncodedStrings.MAX_CACHED_CHARS),
            "y".repeat(EncodedStrings.MAX_CACHED_CHARS + 1));

    @Test
    void aStringsBytesAreItsUtf8WhetherEncodedOrCopied() {
        EncodedStrings strings = new EncodedStrings(64);
        for (int round = 0; round < 3; round++) {
            for (String s : STRINGS) {
                assertThat(strings.utf8(s)).as("%s, round %d", s, round).isEqualTo(Utf8.encodeIfWellFormed(s));
                // an equal string, not the same instance, finds the same bytes
                assertThat(strings.utf8(new String(s))).isEqualTo(Utf8.encodeIfWellFormed(s));
            }
        }
    }

    @Test
    void aStringWrittenAgainIsCopiedFromItsEntry() {
        EncodedStrings strings = new EncodedStrings(64);
        String stream = "kubernetes-pod-appmesh-envoy";
        byte[] first = strings.utf8(stream);
        assertThat(strings.utf8(stream)).isSameAs(first);
        assertThat(strings.utf8(new String(stream))).isSameAs(first);
        String tooLong = "z".repeat(EncodedStrings.MAX_CACHED_CHARS + 1);
        assertThat(strings.utf8(tooLong)).isNotSameAs(strings.utf8(tooLong));
    }

    @Test
    void aStringUtf8CannotCarryIsNotWellFormedEveryTime() {
        EncodedStrings strings = new EncodedStrings(64);
        for (String s : List.of("lone \ud83d", "\ude00", "swapped \ude00\ud83d", "ascii? \ud83d?")) {
            assertThat(strings.utf8(s)).isNull();
            assertThat(strings.utf8(s)).isNull();
        }
    }

    @Test
    void stringsSharingAnEntryReplaceEachOther() {
        // one entry: every string takes it
        EncodedStrings strings = new EncodedStrings(1);
        for (int i = 0; i < 100; i++) {
            String s = "stream-" + i % 7;
            assertThat(strings.utf8(s)).isEqualTo(Utf8.encodeIfWellFormed(s));
        }
    }

    @Test
    void entriesMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new EncodedStrings(12)).isInstanceOf(IllegalArgumentException.class);
    }
}
