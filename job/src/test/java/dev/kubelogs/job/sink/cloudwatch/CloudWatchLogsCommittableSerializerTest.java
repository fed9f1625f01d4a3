package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.sink.cloudwatch.wire.Words;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudWatchLogsCommittableSerializerTest {
    private static final String GOLDEN_V1 = "/sink/committable-v1.bin";
    private static final String GOLDEN_V2 = "/sink/committable-v2.bin";
    private static final String GOLDEN_V3 = "/sink/committable-v3.bin";
    private static final String GOLDEN_V4 = "/sink/committable-v4.bin";

    /** The fixture pinned by the golden file; never change it (add a new fixture for a new version). */
    static CloudWatchLogsCommittable fixtureV1() {
        return new CloudWatchLogsCommittable(
                "/aws/containerinsights/demo/application",
                "ip-10-0-1-2.eu-west-1.compute.internal-application.var.log.containers.web-7d_default_nginx-abc.log",
                41L,
                2,
                7L,
                1_760_000_000_000L,
                List.of(
                        new SinkEvent(
                                1_760_000_000_000L,
                                "{\"log\":\"GET / 200\"}",
                                "node-a:/var/log/pods/x/0.log#inode=12",
                                0L),
                        new SinkEvent(1_760_000_000_000L, "{\"log\":\"héllo wörld € 😀\"}", null, -1L),
                        new SinkEvent(1_760_000_000_123L, "x", "s", Long.MAX_VALUE)));
    }

    @Test
    void roundTrip() throws IOException {
        CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();
        CloudWatchLogsCommittable c = fixtureV1();
        CloudWatchLogsCommittable back = s.deserialize(s.getVersion(), s.serialize(c));
        assertThat(back).isEqualTo(c);
        assertThat(back.minTimestamp()).isEqualTo(1_760_000_000_000L);
        assertThat(back.maxTimestamp()).isEqualTo(1_760_000_000_123L);
    }

    @Test
    void roundTripOfAOneMegabyteBatch() throws IOException {
        CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();
        CloudWatchLogsCommittable c = new CloudWatchLogsCommittable(
                "g", "s", -1, 0, 0, 0, List.of(new SinkEvent(5, "€".repeat(349_516), "f", 1))); // 1,048,548 bytes
        assertThat(s.deserialize(s.getVersion(), s.serialize(c))).isEqualTo(c);
    }

    @Test
    void roundTripOfInterleavedSourcesUnsortedTimesAndExtremeValues() throws IOException {
        CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();
        CloudWatchLogsCommittable c = new CloudWatchLogsCommittable(
                "g",
                "s",
                Long.MIN_VALUE,
                Integer.MAX_VALUE,
                Long.MAX_VALUE,
                -5,
                List.of(
                        new SinkEvent(Long.MAX_VALUE, "a", "f1", 100),
                        new SinkEvent(0, "b", "f2", Long.MIN_VALUE),
                        new SinkEvent(7, "c", "f1", 50),
                        new SinkEvent(7, "c", null, -1),
                        new SinkEvent(3, "ä\u0000\n\"", "f2", Long.MAX_VALUE),
                        new SinkEvent(3, "x".repeat(300), "f1", 50)));
        assertThat(s.deserialize(s.getVersion(), s.serialize(c))).isEqualTo(c);
    }

    @Test
    void theCurrentVersionIsSmallerThanVersion1ForTypicalEvents() throws IOException {
        List<SinkEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(new SinkEvent(
                    1_760_000_000_000L + i, "{\"log\":\"line " + i + "\"}", "node-a:/var/log/pods/x/0.log", 100L * i));
        }
        CloudWatchLogsCommittable c = new CloudWatchLogsCommittable("g", "s", 3, 0, 9, 1_760_000_000_000L, events);
        int current = new CloudWatchLogsCommittableSerializer().serialize(c).length;
        int v1 = serializeV1(c).length;
        assertThat(current).isLessThan(v1 / 2);
        assertThat(new CloudWatchLogsCommittableSerializer().deserialize(1, serializeV1(c)))
                .isEqualTo(c);
    }

    /** Version 1 as the previous build wrote it (for tests of reading old state). */
    static byte[] serializeV1(CloudWatchLogsCommittable c) throws IOException {
        org.apache.flink.core.memory.DataOutputSerializer out =
                new org.apache.flink.core.memory.DataOutputSerializer(1024);
        writeV1(out, c.logGroup());
        writeV1(out, c.logStream());
        out.writeLong(c.writerEpoch());
        out.writeInt(c.subtaskIndex());
        out.writeLong(c.sequence());
        out.writeLong(c.createdAtMillis());
        out.writeInt(c.events().size());
        for (SinkEvent e : c.events()) {
            out.writeLong(e.timestamp());
            writeV1(out, e.message());
            out.writeBoolean(e.sourceId() != null);
            if (e.sourceId() != null) {
                writeV1(out, e.sourceId());
            }
            out.writeLong(e.sourceOffset());
        }
        return out.getCopyOfBuffer();
    }

    private static void writeV1(org.apache.flink.core.memory.DataOutputSerializer out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    @Test
    void readsTheCommittedVersion1GoldenFile() throws IOException {
        CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();
        byte[] golden = golden(GOLDEN_V1, null);
        assertThat(s.deserialize(CloudWatchLogsCommittableSerializer.VERSION_1, golden))
                .isEqualTo(fixtureV1());
        // the test's own version-1 writer is the layout of the golden file
        assertThat(serializeV1(fixtureV1())).isEqualTo(golden);
    }

    @Test
    void readsTheCommittedVersion2GoldenFile() throws IOException {
        CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();
        byte[] golden = golden(GOLDEN_V2, null);
        assertThat(s.deserialize(CloudWatchLogsCommittableSerializer.VERSION_2, golden))
                .isEqualTo(fixtureV1());
    }

    @Test
    void readsTheCommittedVersion3GoldenFile() throws IOException {
        CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();
        byte[] golden = golden(GOLDEN_V3, null);
        assertThat(s.deserialize(CloudWatchLogsCommittableSerializer.VERSION_3, golden))
                .isEqualTo(fixtureV1());
    }

    @Test
    void readsTheCommittedVersion4GoldenFileAndWritesItByteIdentical() throws IOException {
        CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();
        byte[] golden = golden(GOLDEN_V4, s);
        assertThat(s.deserialize(CloudWatchLogsCommittableSerializer.VERSION_4, golden))
                .isEqualTo(fixtureV1());
        // while version 4 is current, the layout must also be byte-identical
        assertThat(s.getVersion()).isEqualTo(4);
        assertThat(s.serialize(fixtureV1())).isEqualTo(golden);
    }

    @Test
    void readsVersion3BytesThatShareTheKubernetesBlock() throws IOException {
        // version 3 as the previous build wrote it for two events of one container: the second message's last 30
        // bytes are the first's
        String tail = ",\"kubernetes\":{\"pod\":\"web-1\"}}";
        assertThat(tail).hasSize(30);
        java.io.ByteArrayOutputStream v3 = new java.io.ByteArrayOutputStream();
        v3.writeBytes(new byte[] {1, 'g', 1, 's', 6, 0, 18, 2}); // g, s, epoch 3, subtask 0, sequence 9, created 1
        v3.writeBytes(new byte[] {2, 0}); // 2 events, no sources
        byte[] first = ("{\"log\":\"a\"}" + tail).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        v3.writeBytes(new byte[] {20, 0, (byte) first.length});
        v3.writeBytes(first);
        v3.writeBytes(new byte[] {0, 0}); // no source, offset 0
        v3.writeBytes(new byte[] {2, 30, 11});
        v3.writeBytes("{\"log\":\"b\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        v3.writeBytes(new byte[] {0, 2});
        CloudWatchLogsCommittable c = new CloudWatchLogsCommittableSerializer()
                .deserialize(CloudWatchLogsCommittableSerializer.VERSION_3, v3.toByteArray());
        assertThat(c.events())
                .containsExactly(
                        new SinkEvent(10, "{\"log\":\"a\"}" + tail, null, 0),
                        new SinkEvent(11, "{\"log\":\"b\"}" + tail, null, 1));
        assertThat(c.id()).isEqualTo("g/s#3.0.9");
    }

    @Test
    void theCurrentVersionHoldsEachMessageWholeAndLittleElse() throws IOException {
        List<SinkEvent> events = new java.util.ArrayList<>();
        long messageBytes = 0;
        for (int i = 0; i < 1000; i++) {
            String m = "{\"log\":\"order " + i + " created\\n\",\"stream\":\"stdout\"}";
            SinkEvent e = new SinkEvent(1_760_000_000_000L + i, m, "node-a:/var/log/pods/x/0.log", 100L * i);
            events.add(e);
            messageBytes += e.utf8Length();
        }
        CloudWatchLogsCommittable c = new CloudWatchLogsCommittable("g", "s", 3, 0, 9, 1_760_000_000_000L, events);
        CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();
        byte[] bytes = s.serialize(c);
        // per event: a timestamp delta, a length, a source and an offset delta of one or two bytes each
        assertThat(bytes.length).as("of %d message bytes", messageBytes).isLessThan((int) messageBytes + 7 * 1000);
        assertThat(c.messageBytes()).isEqualTo(messageBytes);
        assertThat(c.batchBytes()).isEqualTo(messageBytes + 26 * 1000);
        assertThat(s.deserialize(s.getVersion(), bytes)).isEqualTo(c);
    }

    @Test
    void eventsOfOneContainerStoreTheirSharedKubernetesBlockOnce() throws IOException {
        String kubernetes = ",\"kubernetes\":{\"pod_name\":\"orders-7d9c6b7f9d-x2m4q\",\"namespace_name\":\"shop\","
                + "\"pod_id\":\"5b0c1e9e-2d5f-4c55-9d7c-2f1f3e4a5b6c\",\"host\":\"ip-192-168-12-34.us-west-2.compute.internal\","
                + "\"container_name\":\"orders\",\"docker_id\":\"" + "3f1e9a".repeat(10) + "abcd\","
                + "\"container_image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2\"}}";
        List<SinkEvent> events = new java.util.ArrayList<>();
        long messageBytes = 0;
        for (int i = 0; i < 1000; i++) {
            String m = "{\"log\":\"order " + i + " created\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-14T09:12:03."
                    + (100_000_000 + i) + "Z\"" + kubernetes;
            SinkEvent e = new SinkEvent(1_760_000_000_000L + i, m, "node-a:/var/log/pods/x/0.log", 100L * i);
            events.add(e);
            messageBytes += e.utf8Length();
        }
        CloudWatchLogsCommittable c = new CloudWatchLogsCommittable("g", "s", 3, 0, 9, 1_760_000_000_000L, events);
        CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();
        byte[] bytes = s.serialize(c);
        assertThat(bytes.length).as("of %d message bytes", messageBytes).isLessThan((int) (messageBytes / 3));
        assertThat(s.deserialize(s.getVersion(), bytes)).isEqualTo(c);
    }

    @Test
    void commonSuffixLengthAtEveryAlignment() {
        java.util.Random r = new java.util.Random(3);
        for (int round = 0; round < 2000; round++) {
            byte[] tail = new byte[r.nextInt(40)];
            r.nextBytes(tail);
            byte[] a = concat(randomBytes(r, r.nextInt(20)), tail);
            byte[] b = concat(randomBytes(r, r.nextInt(20)), tail);
            int expected = 0;
            while (expected < Math.min(a.length, b.length)
                    && a[a.length - 1 - expected] == b[b.length - 1 - expected]) {
                expected++;
            }
            assertThat(Words.commonSuffixLength(a, b)).isEqualTo(expected).isGreaterThanOrEqualTo(tail.length);
            // a hint at most the answer, or any other hint, gives the same answer
            int hint = r.nextBoolean() ? r.nextInt(expected + 1) : r.nextInt(60) - 5;
            assertThat(Words.commonSuffixLength(a, b, hint)).as("hint %d", hint).isEqualTo(expected);
        }
    }

    private static byte[] randomBytes(java.util.Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** The golden file; with -Dkubelogs.writeGolden=true and a writer, a missing one is written (commit it). */
    private byte[] golden(String name, CloudWatchLogsCommittableSerializer writer) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            if (in == null && writer != null && Boolean.getBoolean("kubelogs.writeGolden")) {
                Path p = Paths.get("src/test/resources" + name);
                Files.createDirectories(p.getParent());
                Files.write(p, writer.serialize(fixtureV1()));
                throw new IllegalStateException("wrote " + p.toAbsolutePath() + "; commit it and rerun");
            }
            assertThat(in).as("golden file " + name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void refusesUnknownVersionsAndCorruptBytes() throws IOException {
        CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();
        byte[] ok = s.serialize(fixtureV1());
        assertThatThrownBy(() -> s.deserialize(5, ok))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 5");
        byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 1);
        assertThatThrownBy(() -> s.deserialize(4, longer)).isInstanceOf(IOException.class);
        for (int cut = 1; cut < ok.length; cut++) {
            byte[] shorter = java.util.Arrays.copyOf(ok, ok.length - cut);
            assertThatThrownBy(() -> s.deserialize(4, shorter)).isInstanceOf(IOException.class);
        }
        byte[] v1 = serializeV1(fixtureV1());
        byte[] v1Shorter = java.util.Arrays.copyOf(v1, v1.length - 3);
        assertThatThrownBy(() -> s.deserialize(1, v1Shorter)).isInstanceOf(IOException.class);
    }

    @Test
    void aCommittableIsItsBytesFromTheStart() throws IOException {
        CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();
        CloudWatchLogsCommittable c = fixtureV1();
        byte[] first = s.serialize(c);
        assertThat(s.serialize(c)).isSameAs(first);
        // another instance with the same content writes the same bytes
        assertThat(new CloudWatchLogsCommittableSerializer().serialize(fixtureV1()))
                .isEqualTo(first)
                .isNotSameAs(first);
        // what is read back keeps the array it was read from (Flink hands each element its own)
        CloudWatchLogsCommittable back = s.deserialize(s.getVersion(), first);
        assertThat(back).isEqualTo(c);
        assertThat(s.serialize(back)).isSameAs(first);
        // read from an older version, it is written in the current one
        CloudWatchLogsCommittable fromV1 = s.deserialize(1, serializeV1(c));
        assertThat(s.serialize(fromV1)).isEqualTo(first);
    }
}
