package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.collector.local.LoopbackPorts;
import dev.kubelogs.cwlocal.Faults;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * Issue 17 item 6 on a real MiniCluster against the local endpoint: failures retrying cannot heal end the job
 * FAILED at once with one line naming what to check, although the job may restart many times; failures that heal
 * (503s, calls never answered, nothing listening yet) are ridden out with exactly one WARN and one INFO, and every
 * event lands exactly once.
 */
class CloudWatchLogsSinkFailFastITCase {
    private static final String PACKAGE = CloudWatchLogsSink.class.getPackageName();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @RegisterExtension
    static final LocalEndpointExtension LOCAL = new LocalEndpointExtension();

    @TempDir
    Path tmp;

    private LocalCloudWatchLogs cw;
    private CloudWatchLogsClient sdk;

    @BeforeEach
    void endpoint() {
        cw = LOCAL.endpoint();
        sdk = LOCAL.sdk();
    }

    /** Parallelism 1 (one committer, so one WARN/INFO pair), and 1,000 restarts that a fatal error must not use. */
    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1_000);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(50));
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(200);
        return env;
    }

    /** One group of two streams, timestamps a minute old. */
    private static TestEventSource.Generator generator(String run) {
        return new TestEventSource.Generator(run, System.currentTimeMillis() - 60_000, 1, 1);
    }

    /**
     * One group of one stream: the tests that count calls or log lines. With two streams, a put of one could succeed
     * between two failures of the other (correctly logged as working again, then failing again), and a fatal error of
     * the first stream's first batch may end the job before the second stream's batch is due (one call, not two).
     */
    private static TestEventSource.Generator oneStream(String run) {
        return new TestEventSource.Generator(run, System.currentTimeMillis() - 60_000, 1, 1, 1);
    }

    private static void addPipeline(
            StreamExecutionEnvironment env, TestEventSource.Generator gen, long n, CloudWatchLogsSink sink) {
        sink.addTo(
                TestEventSource.events(env, null, gen, n, 250).keyBy(CloudWatchLogsSink.streamKeySelector()),
                "sink-application");
    }

    private CloudWatchLogsSinkBuilder sink(String endpoint) {
        return SinkTestSupport.localBuilder(cw.endpoint(), tmp.resolve("dl"))
                .endpoint(endpoint)
                .apiCallTimeout(Duration.ofSeconds(1));
    }

    /**
     * For the tests that count calls: a put that times out is retried (correctly: it may heal), so on a loaded
     * machine a 1 s timeout made a second call per stream; with this one each stream's one put is answered.
     */
    private CloudWatchLogsSinkBuilder answeredSink() {
        return sink(cw.endpoint().toString()).apiCallTimeout(Duration.ofSeconds(30));
    }

    private static String fatalLineOf(Throwable jobFailure) {
        Optional<CloudWatchLogsFatalException> fatal =
                ExceptionUtils.findThrowable(jobFailure, CloudWatchLogsFatalException.class);
        assertThat(fatal).as("the job failed because of the unhealable error").isPresent();
        return fatal.get().getMessage();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // before the fix: restarted 1,000 times into the same error
    void accessDeniedFailsTheJobOnceWithOneLineAndNoRestart() throws Exception {
        TestEventSource.Generator gen = oneStream("denied");
        cw.faults()
                .error(
                        "PutLogEvents",
                        10_000,
                        403,
                        "AccessDeniedException",
                        "User: arn:aws:sts::000000000000:assumed-role/kubelogs/x is not authorized to perform: "
                                + "logs:PutLogEvents");
        StreamExecutionEnvironment env = env();
        addPipeline(env, gen, 500, answeredSink().build());

        try (LogCapture log = LogCapture.of(PACKAGE, Level.WARN)) {
            Throwable failure = catchJobFailure(env);
            assertThat(fatalLineOf(failure))
                    .startsWith("CloudWatch Logs PutLogEvents on log group /kubelogs/it/denied/g0, stream ")
                    .contains(
                            "failed with AccessDeniedException (HTTP 403): User: arn:aws:sts::000000000000",
                            "check that the job's IAM role allows logs:PutLogEvents on "
                                    + "arn:aws:logs:us-east-1:<account>:log-group:/kubelogs/it/denied/g0:*");
            // one stream: its first put fails, its later batches are not tried, and no restart tries again
            assertThat(cw.faults().calls("PutLogEvents")).as("one put").isEqualTo(1);
            assertThat(log.at("ERROR"))
                    .as("one line")
                    .hasSize(1)
                    .allSatisfy(l -> assertThat(l).contains("AccessDeniedException", "IAM role"));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void unrecognizedCredentialsFailTheJobOnceWithOneLine() throws Exception {
        TestEventSource.Generator gen = oneStream("badkey");
        cw.faults().unrecognizedClient(null, 10_000);
        StreamExecutionEnvironment env = env();
        addPipeline(env, gen, 500, answeredSink().build());

        assertThat(fatalLineOf(catchJobFailure(env)))
                .contains(
                        "UnrecognizedClientException (HTTP 400): The security token included in the request is "
                                + "invalid",
                        "check the credentials the job runs with");
        assertThat(cw.faults().injected(Faults.Kind.ERROR))
                .as("one call, no restart")
                .isEqualTo(1);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void anEndpointHostThatDoesNotResolveFailsTheJobOnceWithOneLine() throws Exception {
        TestEventSource.Generator gen = generator("nohost");
        StreamExecutionEnvironment env = env();
        addPipeline(
                env, gen, 500, sink("http://kubelogs-no-such-host.invalid:4566").build());

        assertThat(fatalLineOf(catchJobFailure(env)))
                .contains(
                        "UnknownHostException",
                        "check --region (us-east-1) and --cloudwatch-endpoint (http://kubelogs-no-such-host.invalid:4566)");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void serverErrorsAndCallsNeverAnsweredAreRiddenOutWithOneWarnAndOneInfo() throws Exception {
        long n = 2_000;
        // one stream, so the six faults meet its puts one after the other
        TestEventSource.Generator gen = oneStream("heal");
        cw.faults().unavailable("PutLogEvents", 3, 503).hang("PutLogEvents", 2).unavailable("GetLogEvents", 1, 503);
        StreamExecutionEnvironment env = env();
        addPipeline(env, gen, n, sink(cw.endpoint().toString()).build());

        try (LogCapture log = LogCapture.of(PACKAGE, Level.INFO)) {
            env.execute();
            assertThat(cw.faults().pending()).isZero();
            TestEventSource.assertLandedExactlyOnce(cw, sdk, TestEventSource.expected(gen, n), e -> e.message);
            assertThat(log.at("WARN")).hasSize(1);
            assertThat(log.at("WARN").get(0))
                    .contains(
                            "CloudWatch Logs committer 0: PutLogEvents /kubelogs/it/heal/g0/",
                            "SERVER_ERROR: ServiceUnavailableException (HTTP 503)");
            List<String> recovered = log.at("INFO").stream()
                    .filter(l -> l.contains("delivering again"))
                    .toList();
            assertThat(recovered).hasSize(1);
            // six injected faults; a call slowed past the 1 s timeout on a busy machine may add one
            Matcher attempts =
                    Pattern.compile("after (\\d+) failed attempts over").matcher(recovered.get(0));
            assertThat(attempts.find()).as(recovered.get(0)).isTrue();
            assertThat(Integer.parseInt(attempts.group(1))).isGreaterThanOrEqualTo(6);
            assertThat(log.at("ERROR")).isEmpty();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void nothingListeningIsRetriedVisiblyUntilTheEndpointComesUp() throws Exception {
        long n = 1_000;
        int port = LoopbackPorts.pick(); // connections are refused until the endpoint below binds it
        TestEventSource.Generator gen = oneStream("refused");
        StreamExecutionEnvironment env = env();
        CloudWatchLogsSink s = sink("http://127.0.0.1:" + port)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500), 1_000, Duration.ofSeconds(120))
                .build();
        addPipeline(env, gen, n, s);

        try (LogCapture log = LogCapture.of(PACKAGE, Level.INFO)) {
            JobClient job = env.executeAsync();
            awaitTrue(() ->
                    !log.at("WARN").isEmpty() && DeliveryStatus.ofThisJvm().failing());
            DeliveryStatus status = DeliveryStatus.ofThisJvm();
            // the last failed call: the put, or the read-back that follows a failed put (which one is timing)
            assertThat(status.lastError())
                    .containsPattern("^(PutLogEvents|GetLogEvents) /kubelogs/it/refused/g0/")
                    .contains("Connection refused");
            assertThat(status.eventsWaiting()).isPositive();
            try (LocalCloudWatchLogs late =
                            LocalCloudWatchLogs.builder().port(port).start();
                    CloudWatchLogsClient lateSdk = SinkTestSupport.syncClient(late.endpoint())) {
                job.getJobExecutionResult().get();
                TestEventSource.assertLandedExactlyOnce(
                        late, lateSdk, TestEventSource.expected(gen, n), e -> e.message);
            }
            assertThat(log.at("WARN")).hasSize(1);
            assertThat(log.at("WARN").get(0)).contains("NETWORK", "Connection refused");
            assertThat(log.at("INFO").stream().filter(l -> l.contains("delivering again")))
                    .hasSize(1);
        }
    }

    private static Throwable catchJobFailure(StreamExecutionEnvironment env) {
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(env::execute).satisfies(t -> failure[0] = t);
        return failure[0];
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 60 s").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
