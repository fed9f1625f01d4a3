package dev.kubelogs.job.metrics.delta;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Flink's serializer contract for {@link DeltaStateSerializer}, and the bytes a series costs. */
class DeltaStateSerializerTest extends SerializerTestBase<DeltaState> {

    @Override
    protected TypeSerializer<DeltaState> createSerializer() {
        return DeltaStateSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<DeltaState> getTypeClass() {
        return DeltaState.class;
    }

    @Override
    protected DeltaState[] getTestData() {
        return new DeltaState[] {
            new DeltaState(0),
            state(new long[] {42L}, new double[] {130}, new long[] {1_700_000_060_000L}),
            state(new long[] {1L, -1L, Long.MIN_VALUE}, new double[] {0.5, Double.MAX_VALUE, -3}, new long[] {
                1_700_000_060_000L, 1_700_000_000_000L, Long.MIN_VALUE
            }),
        };
    }

    @Test
    void aCounterCostsTwentySixBytesAndEachFurtherMetricScrapedWithItSeventeen() throws Exception {
        long ts = 1_700_000_060_000L;
        assertThat(bytes(state(new long[] {1}, new double[] {1}, new long[] {ts})))
                .isEqualTo(1 + 8 + 17);
        assertThat(bytes(state(new long[] {1, 2, 3}, new double[] {1, 2, 3}, new long[] {ts, ts, ts})))
                .isEqualTo(1 + 8 + 3 * 17);
    }

    private static DeltaState state(long[] ids, double[] values, long[] timestamps) {
        DeltaState s = new DeltaState(ids.length);
        for (int i = 0; i < ids.length; i++) {
            s.add(ids[i], values[i], timestamps[i]);
        }
        return s;
    }

    private static int bytes(DeltaState state) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        DeltaStateSerializer.INSTANCE.serialize(state, out);
        return out.length();
    }
}
