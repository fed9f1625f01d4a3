package dev.kubelogs.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.collector.local.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST calls against a real JobManager's REST API (a MiniCluster's): a job looked at, stopped, cancelled. */
class FlinkRestTest {
    private static MiniCluster cluster;
    private static FlinkRest rest;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
        cluster.start();
        rest = new FlinkRest(cluster.getRestAddress().get());
        // the REST endpoint answers 503 while its leader is elected; the tests are about answers after that
        await("the REST endpoint's leader", () -> rest.overviewOrNull() != null);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aFailureIsReportedByItsInnermostCauseOnOneLine() {
        String trace = "java.util.concurrent.CompletionException: wrapped\n"
                + "\tat java.base/java.util.concurrent.CompletableFuture.encodeRelay(CompletableFuture.java:368)\n"
                + "Caused by: org.apache.flink.runtime.checkpoint.CheckpointException: Not all required tasks are "
                + "currently running.\n"
                + "\t... 5 more\n";
        assertThat(FlinkRest.rootCause(trace))
                .isEqualTo("org.apache.flink.runtime.checkpoint.CheckpointException: Not all required tasks are "
                        + "currently running.");
        assertThat(FlinkRest.rootCause("java.io.IOException: no cause\n\tat x.y(Z.java:1)"))
                .isEqualTo("java.io.IOException: no cause");
    }

    /** A job that runs until stopped: a few numbers a second into nothing. */
    private static JobID submitEndlessJob() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromSource(
                        new DataGeneratorSource<>(
                                i -> i, Long.MAX_VALUE, RateLimiterStrategy.perSecond(10), Types.LONG),
                        WatermarkStrategy.noWatermarks(),
                        "numbers")
                .uid("numbers")
                .sinkTo(new DiscardingSink<>());
        return cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
    }

    private static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            LockSupport.parkNanos(20_000_000L);
        }
    }

    private static boolean allTasksRunning(String jobId) {
        try {
            JsonNode job = rest.job(jobId);
            if (!"RUNNING".equals(job.path("state").asText())) {
                return false;
            }
            for (JsonNode v : job.path("vertices")) {
                if (!"RUNNING".equals(v.path("status").asText())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void theOverviewAnswersWhileTheJobManagerIsUpAndNullWhenNothingListens() throws Exception {
        assertThat(rest.overviewOrNull()).isNotNull();
        assertThat(rest.overviewOrNull().path("taskmanagers").asInt()).isEqualTo(1);
        int closedPort = LoopbackPorts.pick();
        FlinkRest nobody = new FlinkRest(URI.create("http://127.0.0.1:" + closedPort));
        assertThat(nobody.overviewOrNull()).isNull();
        assertThat(nobody.jobStateOrNull(new JobID().toHexString())).isNull();
    }

    @Test
    void aJobIsLookedAtThenStoppedWithASavepoint() throws Exception {
        String jobId = submitEndlessJob().toHexString();
        await("the job's tasks to run", () -> allTasksRunning(jobId));
        assertThat(rest.jobStateOrNull(jobId)).isEqualTo("RUNNING");
        assertThat(rest.checkpoints(jobId).has("counts")).isTrue();
        String savepoint = rest.stopWithSavepoint(jobId, dir.resolve("savepoints"), Duration.ofMinutes(1));
        Path written = Path.of(URI.create(savepoint));
        assertThat(written).startsWith(dir.resolve("savepoints"));
        assertThat(Files.exists(written.resolve("_metadata"))).isTrue();
        await("the job to finish", () -> "FINISHED".equals(rest.jobStateOrNull(jobId)));
    }

    @Test
    void aCancelledJobEndsCancelled() throws Exception {
        String jobId = submitEndlessJob().toHexString();
        await("the job to run", () -> "RUNNING".equals(rest.jobStateOrNull(jobId)));
        rest.cancel(jobId);
        await("the job to be cancelled", () -> "CANCELED".equals(rest.jobStateOrNull(jobId)));
    }

    @Test
    void errorsCarryFlinksOwnMessage() {
        String unknown = new JobID().toHexString();
        assertThatThrownBy(() -> rest.job(unknown))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Flink REST GET /jobs/" + unknown + ": 404")
                .hasMessageContaining("Job " + unknown + " not found");
        assertThatThrownBy(() -> rest.runApplication("no-such.jar", java.util.List.of(), null, null, unknown))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("/jars/no-such.jar/run-application");
    }
}
