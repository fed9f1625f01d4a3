package dev.kubelogs.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class VarIntsTest {

    @Test
    void valuesRoundTripInAsFewBytesAsTheirBitsNeed() throws Exception {
        long[] values = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        int[] lengths = {1, 1, 1, 2, 2, 3, 5, 9, 10, 10};
        for (int i = 0; i < values.length; i++) {
            DataOutputSerializer out = new DataOutputSerializer(16);
            VarInts.write(values[i], out);
            assertThat(out.length()).as("bytes of %d", values[i]).isEqualTo(lengths[i]);
            assertThat(VarInts.read(new DataInputDeserializer(out.getCopyOfBuffer())))
                    .isEqualTo(values[i]);
        }
    }

    @Test
    void aLengthAboveItsLimitOrAnEndlessVarintIsCorrupt() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(16);
        VarInts.write(1001, out);
        assertThatThrownBy(() -> VarInts.readLength(new DataInputDeserializer(out.getCopyOfBuffer()), 1000))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt length 1001");
        byte[] endless = new byte[11];
        Arrays.fill(endless, (byte) 0x80);
        assertThatThrownBy(() -> VarInts.read(new DataInputDeserializer(endless)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("longer than 10 bytes");
    }
}
