package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration's checks and its per-subsystem records. */
class CollectorConfigTest {
    @TempDir
    Path tmp;

    @Test
    void embeddedCollectorsReadNoJournalUnlessGivenOneAndJournaldHostLogsNeedOne() {
        CollectorConfig.Builder b = CollectorConfig.builder().cluster("c").node("n");
        assertThat(b.build().journal().dir()).isNull();
        assertThatThrownBy(() -> b.hostLogs(HostLogsMode.JOURNALD).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JOURNAL_DIR");
    }

    @Test
    void toBuilderCarriesEverySettingOfEverySubsystem() {
        CollectorConfig c = CollectorConfig.builder()
                .cluster("c")
                .node("n")
                .logRoot(Path.of("/l"))
                .dockerContainersDir(Path.of("/d"))
                .spoolDir(Path.of("/s"))
                .stateDir(Path.of("/st"))
                .readFromHead(true)
                .journalReadFromTail(false)
                .maxSegmentBytes(7)
                .maxSegmentAge(Duration.ofSeconds(7))
                .pollInterval(Duration.ofMillis(7))
                .maxLineBytes(77)
                .nodeAttributes(Map.of("az", "a"))
                .includeGlobs(List.of("i"))
                .excludeGlobs(List.of("e"))
                .hostLogs(HostLogsMode.JOURNALD)
                .hostFiles(List.of("h"))
                .journalDir(Path.of("/j"))
                .journalctl("/bin/jc")
                .httpServer(true)
                .httpPort(7)
                .kubeletEnabled(true)
                .kubeletHost("k")
                .kubeletPort(7)
                .kubeletPollInterval(Duration.ofSeconds(8))
                .kubeletTimeout(Duration.ofSeconds(9))
                .kubeletDeleteGrace(Duration.ZERO)
                .kubeletTokenFile(Path.of("/t"))
                .kubeletCaFile(Path.of("/ca"))
                .kubeletTlsVerify(false)
                .maxSpoolBytes(70)
                .spoolRetention(Duration.ofHours(7))
                .rotateWait(Duration.ofSeconds(70))
                .s3Uri("s3://b/p")
                .s3Endpoint("http://localhost:1")
                .region("r")
                .build();
        CollectorConfig copy = c.toBuilder().build();
        assertThat(copy.tail()).isEqualTo(c.tail());
        assertThat(copy.spool()).isEqualTo(c.spool());
        assertThat(copy.s3()).isEqualTo(c.s3());
        assertThat(copy.journal()).isEqualTo(c.journal());
        assertThat(copy.kubelet()).isEqualTo(c.kubelet());
        assertThat(copy.http()).isEqualTo(c.http());
        assertThat(copy.toString()).isEqualTo(c.toString());
        assertThat(c.journal().hostLogs())
                .as("journald host logs reach the journal's settings")
                .isTrue();
        assertThat(c.tail().hostFiles()).containsExactly("h");
        assertThat(c.kubelet().tlsVerify()).isFalse();
    }

    @Test
    void eachSubsystemChecksItsOwnSettings() {
        CollectorConfig.Builder b = CollectorConfig.builder().cluster("c").node("n");
        assertThatThrownBy(() -> CollectorConfig.builder()
                        .cluster("c")
                        .node("n")
                        .maxLineBytes(15)
                        .build())
                .hasMessage("maxLineBytes must be >= 16: 15");
        assertThatThrownBy(() -> CollectorConfig.builder()
                        .cluster("c")
                        .node("n")
                        .pollInterval(Duration.ZERO)
                        .build())
                .hasMessageContaining("pollInterval must be a positive duration");
        assertThatThrownBy(() -> CollectorConfig.builder()
                        .cluster("c")
                        .node("n")
                        .maxSpoolBytes(0)
                        .build())
                .hasMessage("maxSpoolBytes must be > 0: 0");
        assertThatThrownBy(() -> CollectorConfig.builder()
                        .cluster("c")
                        .node("n")
                        .spoolRetention(null)
                        .build())
                .hasMessageContaining("spoolRetention must be a positive duration");
        assertThatThrownBy(() -> CollectorConfig.builder()
                        .cluster("c")
                        .node("n")
                        .kubeletDeleteGrace(Duration.ofSeconds(-1))
                        .build())
                .hasMessageContaining("kubeletDeleteGrace must not be negative");
        assertThatThrownBy(() -> CollectorConfig.builder()
                        .cluster("c")
                        .node("n")
                        .httpPort(70000)
                        .build())
                .hasMessage("httpPort out of range: 70000");
        assertThatThrownBy(() -> CollectorConfig.builder()
                        .cluster("c")
                        .node("n")
                        .s3Uri("https://bucket")
                        .build())
                .hasMessageContaining("SPOOL_S3_URI must look like s3://bucket/prefix");
        assertThat(b.build().s3().enabled()).isFalse();
        assertThat(b.build().journal().enabled()).isFalse();
    }
}
