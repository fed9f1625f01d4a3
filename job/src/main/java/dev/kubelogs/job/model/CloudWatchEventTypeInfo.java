package dev.kubelogs.job.model;

import java.lang.reflect.Type;
import java.util.Map;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information of {@link CloudWatchEvent}: serialized by {@link CloudWatchEventSerializer}, not as a POJO. */
public final class CloudWatchEventTypeInfo extends TypeInformation<CloudWatchEvent> {
    private static final long serialVersionUID = 1L;

    /** Picked up by Flink's type extraction through {@code @TypeInfo} on {@link CloudWatchEvent}. */
    public static final class Factory extends TypeInfoFactory<CloudWatchEvent> {
        @Override
        public TypeInformation<CloudWatchEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new CloudWatchEventTypeInfo();
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<CloudWatchEvent> getTypeClass() {
        return CloudWatchEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<CloudWatchEvent> createSerializer(SerializerConfig config) {
        return CloudWatchEventSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "CloudWatchEvent";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloudWatchEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return CloudWatchEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof CloudWatchEventTypeInfo;
    }
}
