package dev.kubelogs.job.source;

import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of the records the spool and Kinesis sources emit: {@link SpoolRecord}'s POJO type for everything (the
 * same serializer, the same bytes on the wire), but copied as {@link SpoolRecordStreamSerializer} copies: a record
 * is not written after the source made it, so the keyed stage chained to the source takes the source's record
 * instead of a deep copy of its lines. State that holds records (held segments) keeps the POJO type of its own.
 */
public final class SpoolRecordStreamType extends TypeInformation<SpoolRecord> {
    private static final long serialVersionUID = 1L;

    private final TypeInformation<SpoolRecord> pojo = TypeInformation.of(SpoolRecord.class);

    @Override
    public boolean isBasicType() {
        return pojo.isBasicType();
    }

    @Override
    public boolean isTupleType() {
        return pojo.isTupleType();
    }

    @Override
    public int getArity() {
        return pojo.getArity();
    }

    @Override
    public int getTotalFields() {
        return pojo.getTotalFields();
    }

    @Override
    public Class<SpoolRecord> getTypeClass() {
        return SpoolRecord.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<SpoolRecord> createSerializer(SerializerConfig config) {
        return new SpoolRecordStreamSerializer(pojo.createSerializer(config));
    }

    @Override
    public String toString() {
        return "SpoolRecord<shared between chained operators>";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpoolRecordStreamType;
    }

    @Override
    public int hashCode() {
        return Objects.hash(SpoolRecordStreamType.class);
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof SpoolRecordStreamType;
    }
}
