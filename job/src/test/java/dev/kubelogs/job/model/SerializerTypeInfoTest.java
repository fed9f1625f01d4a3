package dev.kubelogs.job.model;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.LabelsSerializer;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.model.SeriesGroupSerializer;
import org.apache.flink.api.common.typeutils.TypeInformationTestBase;

/** Flink's type information contract (equality, hash code, Java serialization) for {@link SerializerTypeInfo}. */
class SerializerTypeInfoTest extends TypeInformationTestBase<SerializerTypeInfo<?>> {

    @Override
    protected SerializerTypeInfo<?>[] getTestData() {
        return new SerializerTypeInfo<?>[] {
            new SerializerTypeInfo<>(Labels.class, LabelsSerializer.INSTANCE),
            new SerializerTypeInfo<>(SeriesGroup.class, SeriesGroupSerializer.INSTANCE),
            new SerializerTypeInfo<>(CloudWatchEvent.class, CloudWatchEventSerializer.INSTANCE),
        };
    }
}
