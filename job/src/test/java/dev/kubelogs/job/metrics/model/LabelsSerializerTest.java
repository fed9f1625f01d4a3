package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.model.VarInts;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

/** Flink's serializer contract (copies, sequences, snapshots, null) for {@link LabelsSerializer}, and its bytes. */
class LabelsSerializerTest extends SerializerTestBase<Labels> {

    @Override
    protected TypeSerializer<Labels> createSerializer() {
        return LabelsSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<Labels> getTypeClass() {
        return Labels.class;
    }

    @Override
    protected Labels[] getTestData() {
        return new Labels[] {
            Labels.EMPTY,
            Labels.of("job", "kubernetes-pod-jmx"),
            Labels.of(
                    "job",
                    "kubernetes-service-endpoints",
                    "instance",
                    "192.168.12.34:9150",
                    "Namespace",
                    "shop",
                    "Service",
                    "my-memcached",
                    "command",
                    "get",
                    "status",
                    "hit"),
            Labels.of("path", "/ünïcödé/日本", "quote", "a\"b\\c\nd", "emoji", "\uD83D\uDE00"),
        };
    }

    @Test
    void theTypeExtractedForLabelsIsThisSerializerNotAGenericType() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeInformation<Labels> type = TypeInformation.of(Labels.class);
        assertThat(type.createSerializer(config)).isSameAs(LabelsSerializer.INSTANCE);
    }

    @Test
    void aLabelIsItsNameAndValueBytesAfterAOneByteCount() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        LabelsSerializer.INSTANCE.serialize(Labels.of("job", "jmx", "pod", "web-1"), out);
        // count+1, then per string a one-byte length+1 and one byte per ASCII character
        assertThat(out.length()).isEqualTo(1 + (1 + 3) + (1 + 3) + (1 + 3) + (1 + 5));
    }

    @Test
    void labelsNotInTheWrittenOrderAreReadByTheBuildersRules() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        VarInts.write(4 + 1, out);
        for (String s : new String[] {"pod", "web-1", "job", "jmx", "empty", "", "job", "later"}) {
            StringValue.writeString(s, out);
        }

        Labels read = LabelsSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(read).isEqualTo(Labels.of("job", "later", "pod", "web-1"));
    }
}
