package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;

class CloudWatchLogsCommittableSerializerTest {
    private static final String GOLDEN = "/sink/committable-v1.bin";

    /** The fixture pinned by the golden file; never change it (add a new fixture for a new version). */
    static CloudWatchLogsCommittable fixtureV1() {
        return new CloudWatchLogsCommittable(
                "/aws/containerinsights/demo/application",
                "ip-10-0-1-2.eu-west-1.compute.internal-application.var.log.containers.web-7d_default_nginx-abc.log",
                41L, 2, 7L, 1_760_000_000_000L,
                List.of(
                        new SinkEvent(1_760_000_000_000L, "{\"log\":\"GET / 200\"}", "node-a:/var/log/pods/x/0.log#inode=12", 0L),
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
        CloudWatchLogsCommittable c = new CloudWatchLogsCommittable("g", "s", -1, 0, 0, 0,
                List.of(new SinkEvent(5, "€".repeat(349_516), "f", 1))); // 1,048,548 bytes
        assertThat(s.deserialize(1, s.serialize(c))).isEqualTo(c);
    }

    @Test
    void readsTheCommittedVersion1GoldenFile() throws IOException {
        CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream(GOLDEN)) {
            if (in == null && Boolean.getBoolean("kubelogs.writeGolden")) {
                Path p = Paths.get("src/test/resources" + GOLDEN);
                Files.createDirectories(p.getParent());
                Files.write(p, s.serialize(fixtureV1()));
                throw new IllegalStateException("wrote " + p.toAbsolutePath() + "; commit it and rerun");
            }
            assertThat(in).as("golden file " + GOLDEN).isNotNull();
            golden = in.readAllBytes();
        }
        assertThat(s.deserialize(CloudWatchLogsCommittableSerializer.VERSION_1, golden)).isEqualTo(fixtureV1());
        // while version 1 is current, the layout must also be byte-identical
        assertThat(s.getVersion()).isEqualTo(1);
        assertThat(s.serialize(fixtureV1())).isEqualTo(golden);
    }

    @Test
    void refusesUnknownVersionsAndCorruptBytes() throws IOException {
        CloudWatchLogsCommittableSerializer s = new CloudWatchLogsCommittableSerializer();
        byte[] ok = s.serialize(fixtureV1());
        assertThatThrownBy(() -> s.deserialize(2, ok)).isInstanceOf(IOException.class).hasMessageContaining("version 2");
        byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 1);
        assertThatThrownBy(() -> s.deserialize(1, longer)).isInstanceOf(IOException.class);
        byte[] shorter = java.util.Arrays.copyOf(ok, ok.length - 3);
        assertThatThrownBy(() -> s.deserialize(1, shorter)).isInstanceOf(IOException.class);
    }
}
