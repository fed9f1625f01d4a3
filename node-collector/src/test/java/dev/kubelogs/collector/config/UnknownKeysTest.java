package dev.kubelogs.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownKeysTest {
    private static final List<String> KNOWN = List.of("read.head", "read.tail", "http.port", "READ_FROM_HEAD");

    @Test
    void knownKeysPass() {
        UnknownKeys.reject(List.of("read.head", "READ_FROM_HEAD"), KNOWN, "test");
    }

    @Test
    void theNearestKnownKeyIsSuggestedOnlyWhenItIsClose() {
        assertThat(UnknownKeys.closest("read.haed", KNOWN))
                .as("swapped letters")
                .isEqualTo("read.head");
        assertThat(UnknownKeys.closest("Read.Tail", KNOWN)).as("case").isEqualTo("read.tail");
        assertThat(UnknownKeys.closest("READ_FORM_HEAD", KNOWN)).isEqualTo("READ_FROM_HEAD");
        assertThat(UnknownKeys.closest("colour", KNOWN)).isNull();
        assertThat(UnknownKeys.distance("ab", "ba")).isEqualTo(1);
        assertThat(UnknownKeys.distance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void everyUnknownKeyIsNamedInOneMessage() {
        assertThatThrownBy(
                        () -> UnknownKeys.reject(List.of("read.haed", "read.tail", "colour"), KNOWN, "config file f"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown settings 'read.haed' (did you mean 'read.head'?), 'colour' in config file f");
    }
}
