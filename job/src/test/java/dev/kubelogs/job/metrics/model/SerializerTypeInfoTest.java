package dev.kubelogs.job.metrics.model;

import org.apache.flink.api.common.typeutils.TypeInformationTestBase;

/** Flink's type information contract (equality, hash code, Java serialization) for {@link SerializerTypeInfo}. */
class SerializerTypeInfoTest extends TypeInformationTestBase<SerializerTypeInfo<?>> {

    @Override
    protected SerializerTypeInfo<?>[] getTestData() {
        return new SerializerTypeInfo<?>[] {
            new SerializerTypeInfo<>(Labels.class, LabelsSerializer.INSTANCE),
            new SerializerTypeInfo<>(SeriesGroup.class, SeriesGroupSerializer.INSTANCE),
        };
    }
}
