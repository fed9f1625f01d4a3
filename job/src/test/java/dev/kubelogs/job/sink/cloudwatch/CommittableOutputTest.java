package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CommittableOutputTest {
    private static final long[] VALUES = {
        0, 1, 63, 64, 127, 128, 16_383, 16_384, -1, -64, -65, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE
    };

    @Test
    void sizesAreWhatIsWrittenAndAnExactlySizedArrayIsHandedOutAsItIs() throws IOException {
        for (long v : VALUES) {
            CommittableOutput varint = new CommittableOutput(CommittableOutput.varintSize(v));
            varint.varint(v);
            byte[] bytes = varint.toByteArray();
            assertThat(bytes).as("varint %d", v).hasSize(varint.position());
            assertThat(new CommittableInput(bytes).varint()).isEqualTo(v);

            CommittableOutput zigzag = new CommittableOutput(10);
            zigzag.zigzag(v);
            byte[] zigzagBytes = zigzag.toByteArray();
            assertThat(new CommittableInput(zigzagBytes).zigzag()).isEqualTo(v);
            // a varint of the zigzag-mapped value, nothing else
            long mapped = new CommittableInput(zigzagBytes).varint();
            assertThat(zigzagBytes).as("zigzag %d", v).hasSize(CommittableOutput.varintSize(mapped));
            assertThat(mapped).isEqualTo(v >= 0 ? 2 * v : -2 * v - 1);
        }
    }

    @Test
    void aLargerArrayIsTrimmed() {
        CommittableOutput out = new CommittableOutput(10);
        out.bytes(new byte[] {1, 2});
        assertThat(out.toByteArray()).containsExactly(2, 1, 2);
    }
}
