package dev.kubelogs.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorLogTest {
    private static final String PAUSED = "WARN SpoolPressure - spool /s holds 1052821 bytes >= limit 1048576: "
            + "tailing paused until the job consumes segments (nothing is dropped)\n";
    private static final String RESUMED =
            "INFO SpoolPressure - spool below its limit again (0 bytes): tailing resumed\n";

    @TempDir
    Path dir;

    @Test
    void countsThePausesAndTellsWhetherTheLastOneStillHolds() throws IOException {
        Path log = dir.resolve("collector-1.log");
        assertThat(CollectorLog.read(log)).as("not written yet").isEqualTo(new CollectorLog.Pauses(0, false));

        Files.writeString(log, "INFO NodeCollector - starting\n" + PAUSED + "INFO FileTailer - rotation\n");
        assertThat(CollectorLog.read(log)).isEqualTo(new CollectorLog.Pauses(1, true));
        assertThat(CollectorLog.pauses(log)).isEqualTo(1);

        Files.writeString(log, RESUMED + PAUSED + RESUMED, java.nio.file.StandardOpenOption.APPEND);
        assertThat(CollectorLog.read(log)).isEqualTo(new CollectorLog.Pauses(2, false));
    }
}
