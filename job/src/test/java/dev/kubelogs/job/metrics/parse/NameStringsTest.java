package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NameStringsTest {
    @Test
    void sameBytesGiveTheSameInstance() {
        byte[] b = "foo foo bar".getBytes(StandardCharsets.US_ASCII);
        NameStrings names = new NameStrings();
        String first = names.of(b, 0, 3);
        assertThat(first).isEqualTo("foo");
        assertThat(names.of(b, 4, 7)).isSameAs(first);
        assertThat(names.of(b, 8, 11)).isEqualTo("bar");
    }
}
