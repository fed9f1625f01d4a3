package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootIdTest {
    @Test
    void segmentHeadersCarryTheBootIdUnlessConfigured() throws Exception {
        Map<String, String> attrs = NodeCollector.withBootId(Map.of("az", "us-west-2a"));
        assertThat(attrs).containsEntry("az", "us-west-2a");
        if (Files.isReadable(NodeCollector.BOOT_ID_FILE)) {
            assertThat(attrs.get("boot_id"))
                    .isEqualTo(Files.readString(NodeCollector.BOOT_ID_FILE).trim())
                    .isNotBlank();
        }
        assertThat(NodeCollector.withBootId(Map.of("boot_id", "given"))).containsEntry("boot_id", "given");
    }
}
