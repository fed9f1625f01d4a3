package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cancelling a job whose committer waits on calls the endpoint never answers (several streams at once, so the
 * committer waits for its stream workers) ends the job promptly instead of leaving the task thread parked.
 */
class CloudWatchLogsCommitterCancelITCase {
    /** Far longer than the bound below: the calls must be abandoned, not time out. */
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration CANCEL_BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1)
                    .build());

    @RegisterExtension
    static final LocalEndpointExtension LOCAL = new LocalEndpointExtension();

    @TempDir
    Path tmp;

    /**
     * @param events few enough to end the input before the first checkpoint (the commit then runs while the task
     *     finishes), or enough to keep the source running
     */
    @ParameterizedTest(name = "{0} events")
    @ValueSource(longs = {300, 1_000_000})
    void cancellingAJobWhoseCommitterHangsFinishes(long events) throws Exception {
        LOCAL.endpoint().faults().hang("PutLogEvents", 1_000);
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(200);
        TestEventSource.Generator gen = new TestEventSource.Generator("cancel", System.currentTimeMillis(), 2, 3);
        TestEventSource.events(env, null, gen, events, 1_000)
                .sinkTo(SinkTestSupport.localBuilder(LOCAL.endpoint().endpoint(), tmp)
                        .apiCallTimeout(CALL_TIMEOUT).maxConcurrentStreams(4).build()).uid("sink-cancel");
        JobClient job = env.executeAsync("cancel a hanging committer");

        // the committer's stream workers are all waiting on calls that never return
        assertThat(LOCAL.endpoint().faults().awaitCalls("PutLogEvents", 2, Duration.ofSeconds(60))).isTrue();
        job.cancel().get();

        long deadline = System.nanoTime() + CANCEL_BOUND.toNanos();
        JobStatus status = job.getJobStatus().get();
        while (!status.isGloballyTerminalState() && System.nanoTime() < deadline) {
            LOCAL.endpoint().faults().awaitCalls("never", 1, Duration.ofMillis(100)); // waits on a condition
            status = job.getJobStatus().get();
        }
        assertThat(status).as("job status %s after cancelling", CANCEL_BOUND).isEqualTo(JobStatus.CANCELED);
    }
}
