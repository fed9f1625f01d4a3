package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries written through a real systemd-journal-remote, read back with journalctl. */
class JournalWriterTest {
    private static final String MACHINE = "0123456789abcdef0123456789abcdef";
    private static final String BOOT = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path tmp;

    @BeforeEach
    void tools() {
        assumeThat(JournalWriter.remoteBinary())
                .as(JournalWriter.missingTools())
                .isNotNull();
    }

    private JournalWriter writer() throws IOException {
        return new JournalWriter(tmp.resolve("journal"), MACHINE, BOOT, "node-1", tmp.resolve("logs/remote.log"));
    }

    private List<JsonNode> entries() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "journalctl", "--directory=" + tmp.resolve("journal").resolve(MACHINE), "-o", "json")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> entries = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                entries.add(mapper.readTree(line));
            }
        }
        return entries;
    }

    @Test
    void entriesAreReadableByJournalctlWithTheFieldsJournaldRecords() throws Exception {
        Instant t = Instant.parse("2026-03-10T12:00:00.123456Z");
        try (JournalWriter w = writer()) {
            assertThat(w.write(t, "kubelet.service", "kubelet", 42, 6, "I0310 started é"))
                    .isEqualTo(16);
            w.write(t.plusSeconds(1), "containerd.service", "containerd", 7, 3, "level=error msg=boom");
        }

        List<JsonNode> entries = entries();
        assertThat(entries).hasSize(2);
        JsonNode first = entries.get(0);
        assertThat(first.get("MESSAGE").asText()).isEqualTo("I0310 started é");
        assertThat(first.get("_SYSTEMD_UNIT").asText()).isEqualTo("kubelet.service");
        assertThat(first.get("SYSLOG_IDENTIFIER").asText()).isEqualTo("kubelet");
        assertThat(first.get("_PID").asText()).isEqualTo("42");
        assertThat(first.get("PRIORITY").asText()).isEqualTo("6");
        assertThat(first.get("_BOOT_ID").asText()).isEqualTo(BOOT);
        assertThat(first.get("_HOSTNAME").asText()).isEqualTo("node-1");
        assertThat(first.get("__REALTIME_TIMESTAMP").asText()).isEqualTo("1773144000123456");
        assertThat(entries.get(1).get("PRIORITY").asText()).isEqualTo("3");
    }

    @Test
    void timestampsNeverGoBackwards() throws Exception {
        Instant t = Instant.parse("2026-03-10T12:00:00Z");
        try (JournalWriter w = writer()) {
            w.write(t, "a.service", "a", 1, 6, "first");
            w.write(t.minusSeconds(5), "a.service", "a", 1, 6, "earlier clock");
            w.write(t, "a.service", "a", 1, 6, "same instant");
        }

        List<Long> micros = entries().stream()
                .map(e -> e.get("__REALTIME_TIMESTAMP").asLong())
                .toList();
        assertThat(micros).containsExactly(1773144000000000L, 1773144000000001L, 1773144000000002L);
    }

    @Test
    void aMessageOfSeveralLinesIsRefused() throws Exception {
        try (JournalWriter w = writer()) {
            assertThatThrownBy(() -> w.write(Instant.now(), "a.service", "a", 1, 6, "two\nlines"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one line");
        }
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        JournalWriter w = writer();
        w.write(Instant.parse("2026-03-10T12:00:00Z"), "a.service", "a", 1, 6, "x");
        w.close();
        w.close();
        assertThat(entries()).hasSize(1);
    }
}
