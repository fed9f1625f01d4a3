package dev.kubelogs.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshotSerializationUtil;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The bundle's serializer: every event comes back as it went, in order; corrupt input is an error. */
class CloudWatchEventBundleSerializerTest {
    private static final CloudWatchEventBundleSerializer S = CloudWatchEventBundleSerializer.INSTANCE;

    private static CloudWatchEventBundle roundTrip(CloudWatchEventBundle b) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        S.serialize(b, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        CloudWatchEventBundle read = S.deserialize(in);
        assertThat(in.available()).isZero();
        return read;
    }

    private static CloudWatchEventBundle bundle(String group, String stream, long[] timestamps, String... messages) {
        CloudWatchEventBundle b = new CloudWatchEventBundle(group, stream);
        for (int i = 0; i < messages.length; i++) {
            b.add(timestamps[i], messages[i].getBytes(StandardCharsets.UTF_8));
        }
        return b;
    }

    @Test
    void eventsComeBackInOrderWhateverTheirTimestamps() throws IOException {
        List<CloudWatchEventBundle> bundles = List.of(
                new CloudWatchEventBundle("/aws/containerinsights/c/prometheus", "kubernetes-pod-jmx"),
                bundle("", "", new long[] {0}, ""),
                bundle(
                        "g",
                        "str\u00e9am \u4e2d \ud83d\ude00",
                        new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0, -1, 1_760_000_000_000L, 1_760_000_000_000L},
                        "{\"a\":1}",
                        "h\u00e9llo w\u00f6rld \u20ac \u4e2d \ud83d\ude00",
                        "",
                        "x".repeat(300_000),
                        "{}",
                        "{}"));
        for (CloudWatchEventBundle b : bundles) {
            assertThat(roundTrip(b)).isEqualTo(b);
        }
    }

    @Test
    void generatedBundlesComeBackEqual() throws IOException {
        Random random = new Random(14);
        for (int n = 0; n < 200; n++) {
            CloudWatchEventBundle b = new CloudWatchEventBundle("group-" + n, "stream-" + random.nextInt(5));
            long t = random.nextLong();
            for (int i = random.nextInt(50); i > 0; i--) {
                t += random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(2_000) - 1_000;
                byte[] m = new byte[random.nextInt(600)];
                for (int k = 0; k < m.length; k++) {
                    m[k] = (byte) (' ' + random.nextInt(90));
                }
                b.add(t, m);
            }
            assertThat(roundTrip(b)).isEqualTo(b);
        }
    }

    @Test
    void aBundleOfOneStreamCostsItsStreamOnceAndAboutTwoBytesAnEventBesidesItsMessage() throws IOException {
        CloudWatchEventBundle b = new CloudWatchEventBundle("/aws/containerinsights/c/prometheus", "kubernetes-pod");
        long messages = 0;
        for (int i = 0; i < 100; i++) {
            byte[] m = ("{\"metric\":" + i + ",\"pad\":\"" + "p".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
            b.add(1_760_000_000_000L, m);
            messages += m.length;
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        S.serialize(b, out);
        // per event: a one-byte time delta (all but the first) and a two-byte length; group and stream once
        assertThat(out.length()).isEqualTo(messages + 100 * 2 + 99 + 6 + (2 + 35) + (1 + 14) + 1);
    }

    @Test
    void copySharesTheMessagesButNotTheBundle() {
        CloudWatchEventBundle b = bundle("g", "s", new long[] {1, 2}, "a", "b");
        CloudWatchEventBundle copy = S.copy(b);
        assertThat(copy).isEqualTo(b).isNotSameAs(b);
        assertThat(copy.messageUtf8(1)).isSameAs(b.messageUtf8(1));
        copy.add(3, new byte[] {'c'});
        assertThat(b.size()).isEqualTo(2);
    }

    @Test
    void corruptInputIsAnError() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        Utf8Strings.write("g", out);
        Utf8Strings.write("s", out);
        VarInts.write(1, out);
        VarInts.write(0, out);
        Utf8Strings.write(null, out); // a null message: never written by the serializer
        assertThatThrownBy(() -> S.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not UTF-8");

        out.clear();
        Utf8Strings.write(null, out);
        Utf8Strings.write("s", out);
        VarInts.write(0, out);
        assertThatThrownBy(() -> S.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no log group");

        out.clear();
        Utf8Strings.write("g", out);
        Utf8Strings.write("s", out);
        VarInts.write(CloudWatchEventBundleSerializer.MAX_EVENTS + 1L, out);
        assertThatThrownBy(() -> S.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt length");
    }

    @Test
    void flinkFindsTheSerializerAndItsSnapshotRestoresIt() throws IOException {
        TypeInformation<CloudWatchEventBundle> info = TypeInformation.of(CloudWatchEventBundle.class);
        assertThat(info.createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()))
                .isSameAs(S);
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshotSerializationUtil.writeSerializerSnapshot(out, S.snapshotConfiguration());
        TypeSerializerSnapshot<CloudWatchEventBundle> read =
                TypeSerializerSnapshotSerializationUtil.readSerializerSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        TypeSerializer<CloudWatchEventBundle> restored = read.restoreSerializer();
        assertThat(restored).isSameAs(S);
        assertThat(S.snapshotConfiguration().resolveSchemaCompatibility(read).isCompatibleAsIs())
                .isTrue();
    }
}
