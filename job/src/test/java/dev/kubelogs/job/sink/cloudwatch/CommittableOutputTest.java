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

            CommittableOutput zigzag = new CommittableOutput(CommittableOutput.zigzagSize(v));
            zigzag.zigzag(v);
            assertThat(zigzag.position()).as("zigzag %d", v).isEqualTo(CommittableOutput.zigzagSize(v));
            assertThat(new CommittableInput(zigzag.toByteArray()).zigzag()).isEqualTo(v);
        }
    }

    @Test
    void aLargerArrayIsTrimmed() {
        CommittableOutput out = new CommittableOutput(10);
        out.bytes(new byte[] {1, 2});
        assertThat(out.toByteArray()).containsExactly(2, 1, 2);
    }
}
