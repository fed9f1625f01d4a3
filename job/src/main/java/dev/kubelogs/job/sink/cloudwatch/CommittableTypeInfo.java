package dev.kubelogs.job.sink.cloudwatch;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type of the writer's output, the committables it hands its committer: {@link CommittableTypeSerializer}. */
final class CommittableTypeInfo extends TypeInformation<CloudWatchLogsCommittable> {
    private static final long serialVersionUID = 1L;

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
    public Class<CloudWatchLogsCommittable> getTypeClass() {
        return CloudWatchLogsCommittable.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<CloudWatchLogsCommittable> createSerializer(SerializerConfig config) {
        return new CommittableTypeSerializer();
    }

    @Override
    public String toString() {
        return "CloudWatchLogsCommittable";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof CommittableTypeInfo;
    }

    @Override
    public int hashCode() {
        return CommittableTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof CommittableTypeInfo;
    }
}
