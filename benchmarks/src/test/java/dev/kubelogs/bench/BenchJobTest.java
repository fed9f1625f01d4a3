package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.JobCommand;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchJobTest {

    @Test
    void aLocalRunPassesTheBenchsDiscoveryCheckpointAndMetadataSettings() {
        assertThat(BenchJob.args(EndToEndTest.spec("rocksdb", null), "file:///w/spool/", "http://127.0.0.1:4566"))
                .containsExactly(
                        "--spool",
                        "file:///w/spool/",
                        "--cloudwatch-endpoint",
                        "http://127.0.0.1:4566",
                        "--region",
                        "us-west-2",
                        "--until-sealed",
                        "--parallelism",
                        "2",
                        "--discovery-interval",
                        "1500ms",
                        "--checkpoint-interval",
                        "2000ms",
                        "--metadata-wait",
                        "10000ms");
    }

    @Test
    void anS3RunPassesItsOwnJobArguments() {
        assertThat(BenchJob.args(EndToEndTest.spec("rocksdb", EndToEndTest.s3Run()), "s3://spool/bench", "http://e"))
                .endsWith("--parallelism", "2", "--discovery-interval", "2s")
                .doesNotContain("--checkpoint-interval", "--metadata-wait");
    }

    @Test
    void theArgumentsParseAsTheJobsCommandLine() {
        JobCommand jc = new JobCommand();
        new CommandLine(jc)
                .parseArgs(BenchJob.args(EndToEndTest.spec("rocksdb", null), "file:///w/spool/", "http://e")
                        .toArray(String[]::new));

        Configuration conf = jc.flinkConfiguration();
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
        assertThat(conf.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(2);
    }

    @Test
    void rocksDbCheckpointsIncrementallyUnderTheWorkDirectory() throws Exception {
        Configuration conf =
                BenchJob.configuration(EndToEndTest.spec("rocksdb", null), new Configuration(), Path.of("/w"), 18081);

        assertThat(conf.get(RestOptions.PORT)).isEqualTo(18081);
        assertThat(conf.toMap())
                .containsEntry("execution.checkpointing.dir", "file:///w/checkpoints")
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry("state.backend.rocksdb.localdir", "/w/rocksdb");
    }

    @Test
    void theHashMapBackendHasNoRocksDbSettings() throws Exception {
        Configuration conf =
                BenchJob.configuration(EndToEndTest.spec("hashmap", null), new Configuration(), Path.of("/w"), 18081);

        assertThat(conf.toMap())
                .containsEntry("state.backend.type", "hashmap")
                .doesNotContainKeys("execution.checkpointing.incremental", "state.backend.rocksdb.localdir");
    }
}
