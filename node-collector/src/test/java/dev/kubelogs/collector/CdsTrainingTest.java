package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.testing.SpoolContents;
import dev.kubelogs.spool.SpoolPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image build runs this once (docker/collector.Dockerfile): it must finish on its own and do the real work. */
class CdsTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void trainingRunTailsEveryFileIntoSegmentsAndSeals() throws Exception {
        CdsTraining.run(tmp);
        Path nodeDir = tmp.resolve("spool/cds-training/cds-training");
        assertThat(nodeDir.resolve(SpoolPaths.SEALED)).isRegularFile();
        assertThat(SpoolContents.read(nodeDir).countLines()).isEqualTo(3L * CdsTraining.LINES_PER_FILE);
        assertThat(Files.readString(tmp.resolve("state/cds-training/cds-training/state.json")))
                .contains("\"committedSeq\"");
    }
}
