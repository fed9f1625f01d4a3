package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class SpoolRecordStreamTypeTest {
    @Test
    void theSourcesEmitTheSharedTypeAndStateKeepsThePojo() {
        assertThat(SpoolSource.recordType()).isEqualTo(new SpoolRecordStreamType());
        assertThat(SpoolSource.recordType().createSerializer(new SerializerConfigImpl()))
                .isInstanceOf(SpoolRecordStreamSerializer.class);
        // held segments keep records in keyed state under the POJO type their savepoints name
        assertThat(TypeInformation.of(SpoolRecord.class)).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void describesSpoolRecordsAsThePojoDoes() {
        TypeInformation<SpoolRecord> pojo = TypeInformation.of(SpoolRecord.class);
        SpoolRecordStreamType type = new SpoolRecordStreamType();
        assertThat(type.getTypeClass()).isEqualTo(SpoolRecord.class);
        assertThat(type.getArity()).isEqualTo(pojo.getArity());
        assertThat(type.getTotalFields()).isEqualTo(pojo.getTotalFields());
        assertThat(type.isKeyType()).isFalse();
    }
}
