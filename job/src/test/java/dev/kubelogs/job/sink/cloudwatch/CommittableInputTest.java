package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CommittableInputTest {
    @Test
    void readsFromAPositionAndReportsWhereItIs() throws IOException {
        CommittableInput in = new CommittableInput(new byte[] {9, 9, (byte) 0x80, 1, 2, 'h', 'i'}, 2);
        assertThat(in.varint()).isEqualTo(128);
        assertThat(in.position()).isEqualTo(4);
        assertThat(in.string()).isEqualTo("hi");
        assertThat(in.remaining()).isZero();
    }

    @Test
    void truncatedOrOutOfRangeInputIsAnIOException() {
        assertThatThrownBy(() -> new CommittableInput(new byte[] {(byte) 0x80}).varint())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> new CommittableInput(new byte[] {5, 'a'}).string())
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new CommittableInput(
                                new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F})
                        .varintInt())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("int range");
    }

    @Test
    void aSourceTableKeepsIndexZeroForNoSourceAndHasNoMoreSourcesThanEvents() throws IOException {
        String[] sources = new CommittableInput(new byte[] {2, 1, 'a', 2, 'b', 'c'}).sourceTable(2);
        assertThat(sources).containsExactly(null, "a", "bc");
        assertThatThrownBy(() -> new CommittableInput(new byte[] {3, 1, 'a', 1, 'b', 1, 'c'}).sourceTable(2))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("3 sources for 2 events");
    }
}
