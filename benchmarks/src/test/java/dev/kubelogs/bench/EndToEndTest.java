package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The run itself is exercised by {@link HarnessSmokeTest}; here: what a spec derives. */
class EndToEndTest {

    /** A small spec of a run with the job and a local spool, as the tests of the run's parts need one. */
    static EndToEnd.Spec spec(String stateBackend, EndToEnd.S3Run s3) {
        return new EndToEnd.Spec(
                "e2e",
                2,
                500,
                Duration.ofSeconds(20),
                Duration.ofSeconds(5),
                LineSizes.parse("fixed:100"),
                0.05,
                3,
                8,
                Duration.ofSeconds(20),
                Duration.ZERO,
                LoadGenerator.HostMode.FILES,
                Duration.ofSeconds(2),
                Duration.ofMillis(1500),
                2,
                stateBackend,
                new CollectorProcess.JvmFlags("test", List.of("-Xmx64m")),
                true,
                Path.of("/tmp/work"),
                7,
                Duration.ofSeconds(10),
                false,
                s3);
    }

    static EndToEnd.S3Run s3Run() {
        return new EndToEnd.S3Run(
                "http://127.0.0.1:9000",
                "s3://spool/bench",
                "s3://spool/checkpoints",
                Map.of("execution.checkpointing.interval", "5s"),
                List.of("--discovery-interval", "2s"),
                Map.of("SPOOL_ROLL_BYTES", "1000000"),
                1,
                Path.of("/tmp/flink-s3-fs-presto.jar"));
    }

    @Test
    void aRunOfTheSameSpecChangesOnlyLabelRateTimingSizesAndDirectory() {
        EndToEnd.Spec base = spec("rocksdb", s3Run());
        LineSizes larger = LineSizes.parse("fixed:300");

        EndToEnd.Spec step = base.withRun(
                "step-1", 9000, Duration.ofSeconds(30), Duration.ofSeconds(7), larger, Path.of("/tmp/step"));

        assertThat(step)
                .isEqualTo(new EndToEnd.Spec(
                        "step-1",
                        base.nodes(),
                        9000,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(7),
                        larger,
                        base.multilineShare(),
                        base.minFrames(),
                        base.maxFrames(),
                        base.rotateEvery(),
                        base.copytruncateEvery(),
                        base.hostMode(),
                        base.checkpointInterval(),
                        base.discoveryInterval(),
                        base.parallelism(),
                        base.stateBackend(),
                        base.collectorFlags(),
                        base.withJob(),
                        Path.of("/tmp/step"),
                        base.seed(),
                        base.metadataWait(),
                        base.kubelet(),
                        base.s3()));
        assertThat(base.withRate(100, "slow", Path.of("/tmp/slow")))
                .isEqualTo(
                        base.withRun("slow", 100, base.duration(), base.warmup(), base.sizes(), Path.of("/tmp/slow")));
    }

    @Test
    void aCollectorAloneRunIsOneNodeWithoutJobOrS3WithTheSameLineMix() {
        EndToEnd.Spec base = spec("rocksdb", s3Run());

        EndToEnd.Spec alone = base.collectorAlone(
                "collector-1000", 1000, Duration.ofSeconds(45), Duration.ofSeconds(10), Path.of("/tmp/collector"));

        assertThat(alone)
                .isEqualTo(new EndToEnd.Spec(
                        "collector-1000",
                        1,
                        1000,
                        Duration.ofSeconds(45),
                        Duration.ofSeconds(10),
                        base.sizes(),
                        base.multilineShare(),
                        base.minFrames(),
                        base.maxFrames(),
                        base.rotateEvery(),
                        base.copytruncateEvery(),
                        base.hostMode(),
                        base.checkpointInterval(),
                        base.discoveryInterval(),
                        base.parallelism(),
                        base.stateBackend(),
                        base.collectorFlags(),
                        false,
                        Path.of("/tmp/collector"),
                        base.seed(),
                        base.metadataWait(),
                        base.kubelet(),
                        null));
    }

    @Test
    void theS3FileSystemReachesTheEndpointWithTheBenchsKeys() {
        Configuration fs = s3Run().fileSystemConfig();

        assertThat(fs.toMap())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "s3.endpoint",
                        "http://127.0.0.1:9000",
                        "s3.path.style.access",
                        "true",
                        "s3.access-key",
                        CountingS3.ACCESS_KEY,
                        "s3.secret-key",
                        CountingS3.SECRET_KEY));
    }
}
