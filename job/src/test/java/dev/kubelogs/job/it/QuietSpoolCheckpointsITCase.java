package dev.kubelogs.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.LogPipelineJob;
import dev.kubelogs.job.source.SpoolSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.FlinkException;
import org.apache.flink.util.function.SupplierWithException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flink's checkpoint coordinator takes the spool source's word: while the spool is quiet its checkpoints come every
 * {@code interval-during-backlog}, and once segments arrive at the rate again every {@code interval}; every line is
 * still delivered once.
 */
class QuietSpoolCheckpointsITCase {
    private static final Duration INTERVAL = Duration.ofMillis(300);
    private static final Duration QUIET_INTERVAL = Duration.ofSeconds(3);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .setConfiguration(keepCheckpointHistory())
                    .build());

    private static Configuration keepCheckpointHistory() {
        Configuration c = new Configuration();
        c.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 1_000);
        return c;
    }

    @TempDir
    Path spool;

    @Test
    void checkpointsComeAtTheLongerIntervalWhileTheSpoolIsQuietAndAtTheShortOneOnceItIsBusy(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        MultiNodeSpool nodes = new MultiNodeSpool(spool, 2, 4, 7);
        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
            nodes.writeSegments(0, 1);
            Configuration conf = new Configuration();
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, INTERVAL);
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL_DURING_BACKLOG, QUIET_INTERVAL);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            // quiet below 100 B/s over 1.5 s, busy again at 150 B/s over 750 ms: one segment of a few lines is busy
            SpoolSource source = SpoolSource.of(spool.toUri().toString(), Duration.ofMillis(100), true, true)
                    .discoveringBeforeCheckpoints(INTERVAL, Duration.ofMillis(50))
                    .checkpointingLessWhenQuiet(100, INTERVAL, QUIET_INTERVAL, Duration.ofMillis(1_500));
            new LogPipelineJob(
                            source,
                            LocalSinks.exactlyOnce(endpoint.endpoint().toString(), INTERVAL),
                            JobOptions.defaults().metadataWait(Duration.ZERO, 0))
                    .build(env);
            JobClient job = env.executeAsync("quiet-spool-checkpoints");
            JobID id = job.getJobID();
            CommonTestUtils.waitForAllTaskRunning(miniCluster, id, false);

            // busy at first, quiet after 1.5 s without new segments: the longer interval for the next two, within 10 s
            awaitFor(
                    10_000,
                    () -> lastGapsAll(triggerTimes(miniCluster, id), 2, g -> g >= QUIET_INTERVAL.toMillis() - 100));
            List<Long> quiet = triggerTimes(miniCluster, id);
            assertThat(gapsOfTheLast(quiet, 2))
                    .as("trigger times %s", quiet)
                    .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(QUIET_INTERVAL.toMillis() - 100));
            assertThat(quiet.get(1) - quiet.get(0))
                    .as("the short interval before the spool turned quiet")
                    .isLessThan(QUIET_INTERVAL.toMillis() / 2);

            // new segments: busy at the next discovery, which while quiet comes only a lead before the next quiet
            // trigger, so the short interval again within a quiet interval and a few short ones
            nodes.writeSegments(1, 4);
            int beforeWrite = quiet.size();
            awaitFor(QUIET_INTERVAL.toMillis() + 2_500, () -> {
                List<Long> times = triggerTimes(miniCluster, id);
                List<Long> after = times.subList(beforeWrite, times.size());
                return after.size() >= 4 && lastGapsAll(after, 2, g -> g < QUIET_INTERVAL.toMillis() / 2);
            });
            List<Long> all = triggerTimes(miniCluster, id);
            List<Long> afterWrite = all.subList(quiet.size(), all.size());
            assertThat(afterWrite).as("checkpoints after the write, of %s", all).hasSizeGreaterThanOrEqualTo(4);
            assertThat(gapsOfTheLast(afterWrite, 2))
                    .allSatisfy(gap -> assertThat(gap).isLessThan(QUIET_INTERVAL.toMillis() / 2));

            nodes.seal();
            job.getJobExecutionResult().get();
            assertThat(miniCluster.getJobStatus(id).get()).isEqualTo(JobStatus.FINISHED);
            for (int n = 0; n < nodes.nodes(); n++) {
                assertThat(nodes.landed(endpoint, n)).as("node %d", n).containsExactlyElementsOf(nodes.expected(n));
            }
        }
    }

    /** When each checkpoint of the job was triggered, oldest first. */
    private static List<Long> triggerTimes(MiniCluster miniCluster, JobID id) throws Exception {
        return miniCluster
                .getExecutionGraph(id)
                .get()
                .getCheckpointStatsSnapshot()
                .getHistory()
                .getCheckpoints()
                .stream()
                .map(AbstractCheckpointStats::getTriggerTimestamp)
                .sorted()
                .toList();
    }

    /**
     * Waits up to {@code millis} for {@code condition}; past that the assertions after it say what came instead.
     */
    private static void awaitFor(long millis, SupplierWithException<Boolean, Exception> condition) throws Exception {
        try {
            CommonTestUtils.waitUntilCondition(condition, 100, (int) (millis / 100));
        } catch (FlinkException notMet) {
            // the assertions that follow report the trigger times
        }
    }

    /** Whether there are {@code n} + 1 times and each of the gaps between the last of them passes {@code gap}. */
    private static boolean lastGapsAll(List<Long> times, int n, java.util.function.LongPredicate gap) {
        if (times.size() <= n) {
            return false;
        }
        for (int i = times.size() - n; i < times.size(); i++) {
            if (!gap.test(times.get(i) - times.get(i - 1))) {
                return false;
            }
        }
        return true;
    }

    /** The gaps between the last {@code n} + 1 times. */
    private static List<Long> gapsOfTheLast(List<Long> times, int n) {
        assertThat(times).hasSizeGreaterThan(n);
        List<Long> last = times.subList(times.size() - n - 1, times.size());
        return java.util.stream.IntStream.range(1, last.size())
                .mapToObj(i -> last.get(i) - last.get(i - 1))
                .toList();
    }
}
