package dev.kubelogs.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The value spellings the collector accepts, and the config file formats. */
class SettingsTest {
    @TempDir
    Path tmp;

    @Test
    void durationsInEverySpellingAndAClearErrorOtherwise() {
        assertThat(Settings.duration("K", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Settings.duration("K", "15")).isEqualTo(Duration.ofSeconds(15));
        assertThat(Settings.duration("K", "2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Settings.duration("K", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Settings.duration("K", " 24H ")).isEqualTo(Duration.ofHours(24));
        assertThat(Settings.duration("K", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Settings.duration("K", "pt1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> Settings.duration("K", "5 fortnights"))
                .hasMessage("K must be a duration like 500ms, 1s, 5m, 24h or PT1S, not '5 fortnights'");
        assertThatThrownBy(() -> Settings.duration("K", "")).hasMessageContaining("K must be a duration");
    }

    @Test
    void sizesAreBinaryWithOrWithoutTheByteSuffix() {
        assertThat(Settings.size("K", "4194304")).isEqualTo(4L << 20);
        assertThat(Settings.size("K", "512K")).isEqualTo(512L << 10);
        assertThat(Settings.size("K", "4MiB")).isEqualTo(4L << 20);
        assertThat(Settings.size("K", "1gb")).isEqualTo(1L << 30);
        assertThatThrownBy(() -> Settings.size("K", "-1")).hasMessageContaining("K must be a size");
        assertThatThrownBy(() -> Settings.size("K", "9999999999G"))
                .as("overflow")
                .hasMessageContaining("K must be a size");
        assertThatThrownBy(() -> Settings.size("K", "4T")).hasMessageContaining("not '4T'");
    }

    @Test
    void switchesListsAndKeyValues() {
        assertThat(Settings.onOff("K", " YES ")).isTrue();
        assertThat(Settings.onOff("K", "0")).isFalse();
        assertThatThrownBy(() -> Settings.onOff("K", "maybe")).hasMessage("K must be On or Off, not 'maybe'");
        assertThat(Settings.list(" a, ,b ,")).containsExactly("a", "b");
        assertThat(Settings.keyValues("K", "az = us-west-2a, ec2_instance_id=i-1"))
                .containsExactly(Map.entry("az", "us-west-2a"), Map.entry("ec2_instance_id", "i-1"));
        assertThatThrownBy(() -> Settings.keyValues("K", "az")).hasMessageContaining("K must be a list like");
    }

    @Test
    void propertiesFilesLoseTheirQuotes() throws IOException {
        Path f = tmp.resolve("c.properties");
        Files.writeString(f, "cluster.name=\"prod\"\nhttp.port='2020'\nread.head=On\n");
        assertThat(Settings.readFile(f))
                .containsEntry("cluster.name", "prod")
                .containsEntry("http.port", "2020")
                .containsEntry("read.head", "On");
    }

    @Test
    void yamlIsFlattenedAndAConfigMapManifestGivesItsData() throws IOException {
        Path flat = tmp.resolve("c.yaml");
        Files.writeString(flat, "cluster:\n  name: prod\nexclude.paths:\n  - a\n  - b\nnothing: null\n");
        assertThat(Settings.readFile(flat))
                .containsExactly(Map.entry("cluster.name", "prod"), Map.entry("exclude.paths", "a,b"));
        Path manifest = tmp.resolve("cm.yml");
        Files.writeString(manifest, "kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  cluster.name: prod\n");
        assertThat(Settings.readFile(manifest)).containsExactly(Map.entry("cluster.name", "prod"));
        Path list = tmp.resolve("list.yaml");
        Files.writeString(list, "- a\n- b\n");
        assertThatThrownBy(() -> Settings.readFile(list)).hasMessageContaining("must hold a mapping");
    }

    @Test
    void aConfigMapVolumeIsOneFilePerKeyWithoutItsHiddenEntries() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("volume"));
        Files.writeString(dir.resolve("cluster.name"), "prod\n");
        Files.createDirectory(dir.resolve("..data"));
        Files.writeString(dir.resolve(".hidden"), "x");
        assertThat(Settings.readFile(dir)).containsExactly(Map.entry("cluster.name", "prod"));
    }
}
