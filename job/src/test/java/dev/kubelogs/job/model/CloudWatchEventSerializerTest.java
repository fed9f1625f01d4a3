package dev.kubelogs.job.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshotSerializationUtil;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The dedicated serializer of the events between the keyed stage and the sink: every string comes back exactly. */
class CloudWatchEventSerializerTest {

    private static final List<CloudWatchEvent> EVENTS = List.of(
            new CloudWatchEvent(
                    "/aws/containerinsights/c/application",
                    "node-a-app.log",
                    1_760_000_000_000L,
                    "{\"log\":\"GET /?q=1 200\"}",
                    "node-a:/var/log/pods/x/0.log#inode=12",
                    4096L),
            new CloudWatchEvent(null, null, Long.MIN_VALUE, null, null, Long.MAX_VALUE),
            new CloudWatchEvent("", "", 0, "", "", -1),
            new CloudWatchEvent("g", "s", 1, "héllo wörld € 中 😀", "f", 2),
            new CloudWatchEvent("g", "s", 1, "lone high \ud83d and low \ude00 and ? marks", "f", 2),
            new CloudWatchEvent("g", "s", 1, "ascii with lone \ud83d only?", "f?", 2),
            new CloudWatchEvent("g", "s", 1, "swapped pair \ude00\ud83d, é", "f", 2),
            new CloudWatchEvent("g", "s", 1, "?".repeat(10), "\ud83d", 3),
            new CloudWatchEvent("g", "s", 1, "x".repeat(300_000), "f", 4),
            new CloudWatchEvent("g", "s", 1, "owned", "f", 5, "cluster/ip-10-0-0-1.ec2.internal"));

    @Test
    void logGroupsAndStreamsWrittenAgainAreTheBytesUtf8StringsWrites() throws IOException {
        List<String> names = List.of(
                "/aws/containerinsights/c/prometheus",
                "kubernetes-service-endpoints",
                "str\u00e9am \u4e2d \ud83d\ude00",
                "lone \ud83d surrogate",
                "?",
                "",
                "s".repeat(EncodedStrings.MAX_CACHED_CHARS + 5));
        DataOutputSerializer expected = new DataOutputSerializer(64);
        DataOutputSerializer actual = new DataOutputSerializer(64);
        for (int round = 0; round < 3; round++) {
            for (String group : names) {
                for (String stream : names) {
                    // equal copies in later rounds: found by content, not only by identity
                    String g = round == 0 ? group : new String(group);
                    String st = round == 2 ? new String(stream) : stream;
                    CloudWatchEvent e = new CloudWatchEvent(g, st, 7, "{}", null, -1);
                    expected.clear();
                    Utf8Strings.write(g, expected);
                    Utf8Strings.write(st, expected);
                    expected.writeLong(7);
                    Utf8Strings.write("{}", expected);
                    Utf8Strings.write(null, expected);
                    expected.writeLong(-1);
                    Utf8Strings.write(null, expected);
                    actual.clear();
                    CloudWatchEventSerializer.INSTANCE.serialize(e, actual);
                    assertThat(actual.getCopyOfBuffer())
                            .as("group %s, stream %s, round %d", group, stream, round)
                            .isEqualTo(expected.getCopyOfBuffer());
                    CloudWatchEvent back = CloudWatchEventSerializer.INSTANCE.deserialize(
                            new DataInputDeserializer(actual.getCopyOfBuffer()));
                    assertThat(back.logGroup).isEqualTo(g);
                    assertThat(back.logStream).isEqualTo(st);
                }
            }
        }
    }

    @Test
    void typeExtractionPicksTheDedicatedSerializer() {
        TypeInformation<CloudWatchEvent> info = TypeInformation.of(CloudWatchEvent.class);
        assertThat(info).isEqualTo(CloudWatchEventTypeInfo.of());
        assertThat(info.createSerializer(new SerializerConfigImpl())).isSameAs(CloudWatchEventSerializer.INSTANCE);
    }

    /** An event is immutable: the copy between chained operators is the event itself. */
    @Test
    void aCopyIsTheEventItself() {
        for (CloudWatchEvent e : EVENTS) {
            assertThat(CloudWatchEventSerializer.INSTANCE.copy(e)).isSameAs(e);
        }
        assertThat(CloudWatchEventSerializer.INSTANCE.isImmutableType()).isTrue();
    }

    @Test
    void anEventWithAnotherOwnerSharesItsMessage() {
        byte[] json = "{\"log\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CloudWatchEvent e = CloudWatchEvent.ofUtf8("g", "s", 1, json, "f", 2, null);
        CloudWatchEvent owned = e.withOwnerKey("prod/node-1");
        assertThat(owned.ownerKey).isEqualTo("prod/node-1");
        assertThat(owned.messageUtf8).isSameAs(json);
        assertThat(owned).usingRecursiveComparison().ignoringFields("ownerKey").isEqualTo(e);
        assertThat(e.ownerKey).isNull();
    }

    @Test
    void everyFieldRoundTripsExactlyIncludingNullsAndUnpairedSurrogates() throws IOException {
        TypeSerializer<CloudWatchEvent> s = CloudWatchEventSerializer.INSTANCE;
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (CloudWatchEvent e : EVENTS) {
            s.serialize(e, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (CloudWatchEvent e : EVENTS) {
            CloudWatchEvent back = s.deserialize(in);
            assertThat(back).isEqualTo(e);
            assertThat(back.message()).isEqualTo(e.message); // equals covers it; explicit for the surrogate cases
            if (e.message != null
                    && !e.message.equals(
                            new String(e.message.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))) {
                // UTF-8 cannot carry an unpaired surrogate: such a message comes back as its String
                assertThat(back.message).isEqualTo(e.message);
            }
        }
        assertThat(in.available()).isZero();

        // copy(DataInputView, DataOutputView) writes the same bytes
        DataOutputSerializer copied = new DataOutputSerializer(64);
        DataInputDeserializer again = new DataInputDeserializer(out.getCopyOfBuffer());
        for (int i = 0; i < EVENTS.size(); i++) {
            s.copy(again, copied);
        }
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    @Test
    void anEventCarryingUtf8IsWrittenAsTheSameEventWithItsTextAndPassedOnWithTheBytesShared() throws IOException {
        String text = "{\"log\":\"h\u00e9llo \uE0A9 \ud83d\ude00\"}";
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CloudWatchEvent asBytes = CloudWatchEvent.ofUtf8("g", "s", 7, utf8, "f", 9, "c/n");
        CloudWatchEvent asText = new CloudWatchEvent("g", "s", 7, text, "f", 9, "c/n");
        assertThat(asBytes).isEqualTo(asText).hasSameHashCodeAs(asText);
        assertThat(asBytes.message()).isEqualTo(text);

        DataOutputSerializer bytesOut = new DataOutputSerializer(64);
        CloudWatchEventSerializer.INSTANCE.serialize(asBytes, bytesOut);
        DataOutputSerializer textOut = new DataOutputSerializer(64);
        CloudWatchEventSerializer.INSTANCE.serialize(asText, textOut);
        assertThat(bytesOut.getCopyOfBuffer()).isEqualTo(textOut.getCopyOfBuffer());
        CloudWatchEvent back =
                CloudWatchEventSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytesOut.getCopyOfBuffer()));
        // read back as the bytes that came, which the sink buffers as they are
        assertThat(back.message).isNull();
        assertThat(back.messageUtf8).isEqualTo(utf8);
        assertThat(back.message()).isEqualTo(text);

        assertThat(CloudWatchEventSerializer.INSTANCE.copy(asBytes).messageUtf8).isSameAs(utf8);
    }

    @Test
    void asciiMessagesTakeOneBytePerCharacter() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        CloudWatchEventSerializer.INSTANCE.serialize(new CloudWatchEvent("g", "s", 1, "x".repeat(1000), null, 0), out);
        // 2+2 (group, stream) + 8 + 2 (varint header) + 1000 + 1 (null source) + 8 + 1 (null owner key)
        assertThat(out.length()).isEqualTo(1024);
    }

    @Test
    void snapshotRestoresTheSameSerializer() throws IOException {
        TypeSerializerSnapshot<CloudWatchEvent> snap = CloudWatchEventSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshotSerializationUtil.writeSerializerSnapshot(out, snap);
        TypeSerializerSnapshot<CloudWatchEvent> back = TypeSerializerSnapshotSerializationUtil.readSerializerSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(back.restoreSerializer()).isSameAs(CloudWatchEventSerializer.INSTANCE);
        assertThat(back.resolveSchemaCompatibility(snap).isCompatibleAsIs()).isTrue();
    }
}
