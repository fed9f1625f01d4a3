package dev.kubelogs.job.model;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Type information of {@link CloudWatchEvent}: serialized by {@link CloudWatchEventSerializer}, not as a POJO. */
public final class CloudWatchEventTypeInfo {
    private CloudWatchEventTypeInfo() {}

    public static TypeInformation<CloudWatchEvent> of() {
        return new SerializerTypeInfo<>(CloudWatchEvent.class, CloudWatchEventSerializer.INSTANCE);
    }

    /** Picked up by Flink's type extraction through {@code @TypeInfo} on {@link CloudWatchEvent}. */
    public static final class Factory extends TypeInfoFactory<CloudWatchEvent> {
        @Override
        public TypeInformation<CloudWatchEvent> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return of();
        }
    }
}
