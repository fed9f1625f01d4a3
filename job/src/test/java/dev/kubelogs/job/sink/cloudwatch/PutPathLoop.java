package dev.kubelogs.job.sink.cloudwatch;

import com.sun.management.ThreadMXBean;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClientBuilder;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * The put path's CPU per put and per event, two or more client setups alternated round by round in one JVM: each round
 * every arm delivers the same committables ({@link CommitPathStageLoop#committables}: {@code EVENTS} ~1 KB Container
 * Insights-like events in {@code STREAMS} streams, or {@code small} committables of 10 events) through a
 * {@link BatchDeliverer} on this thread, with its own async SDK client (real SDK v2, netty, over HTTP to the local
 * endpoint in this JVM; the endpoint's threads are not counted). Per arm: this thread's CPU and bytes allocated (body,
 * SDK pipeline, signing), the arm's netty event loop and response threads' CPU (user and system). Arms: see
 * {@link #ARMS}. Not a test: run it by hand ({@code java -cp <test classpath>
 * dev.kubelogs.job.sink.cloudwatch.PutPathLoop [rounds] [full|small] [arm,arm,...]}; default: 20 full
 * before,after).
 */
public final class PutPathLoop {
    static final String GROUP = CommitPathStageLoop.GROUP;
    static final int SMALL_EVENTS = 10;
    static final int SMALL_PUTS = 2_000;
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private PutPathLoop() {}

    /**
     * One client setup under test: the netty event loop's threads, and what it changes on the sink's override
     * configuration and client builder.
     */
    record Arm(
            String name,
            int eventLoopThreads,
            Consumer<ClientOverrideConfiguration.Builder> override,
            Consumer<CloudWatchLogsAsyncClientBuilder> client) {}

    /**
     * {@code before}: the client as the sink built it before this loop's cuts (two event loop threads, futures
     * completed on a response pool, an attempt timeout beside the call timeout); {@code after}: as
     * {@link CloudWatchLogsClientConfig#createClient()} builds it now; the others: {@code before} with one cut each.
     */
    static final Map<String, Arm> ARMS = Map.of(
            "before",
            new Arm("before", 2, o -> o.apiCallAttemptTimeout(TIMEOUT), b -> {}),
            "direct",
            new Arm("direct", 2, o -> o.apiCallAttemptTimeout(TIMEOUT), PutPathLoop::direct),
            "onetimer",
            new Arm("onetimer", 2, o -> {}, b -> {}),
            "onethread",
            new Arm("onethread", 1, o -> o.apiCallAttemptTimeout(TIMEOUT), b -> {}),
            "after",
            new Arm("after", 1, o -> {}, PutPathLoop::direct));

    private static void direct(CloudWatchLogsAsyncClientBuilder b) {
        b.asyncConfiguration(c -> c.advancedOption(
                SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, CloudWatchLogsClientConfig.DIRECT));
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        boolean small = args.length > 1 && args[1].equals("small");
        List<Arm> arms = new ArrayList<>();
        for (String a : (args.length > 2 ? args[2] : "before,after").split(",")) {
            arms.add(ARMS.get(a));
        }
        Path deadLetters = Files.createTempDirectory("put-path-loop");
        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null);
                CloudWatchLogsClient admin = SinkTestSupport.syncClient(endpoint.endpoint())) {
            CloudWatchLogsSinkConfig config = SinkTestSupport.localBuilder(endpoint.endpoint(), deadLetters)
                    .build()
                    .config();
            admin.createLogGroup(b -> b.logGroupName(GROUP));
            List<Runner> runners = new ArrayList<>();
            for (Arm arm : arms) {
                runners.add(new Runner(arm, endpoint.endpoint(), config));
            }
            // warm-up: every arm's code compiled as in a job that has run for a while
            for (int w = 0; w < 3; w++) {
                for (Runner r : runners) {
                    r.round(admin, w, true);
                    r.round(admin, w, false);
                }
            }
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                StringBuilder line = new StringBuilder("round " + round + ":");
                // alternate the order too, so that neither arm always runs right after a collection
                for (int k = 0; k < runners.size(); k++) {
                    Runner r = runners.get((round + k) % runners.size());
                    System.gc();
                    double[] m = r.round(admin, round, small);
                    results.computeIfAbsent(r.arm.name(), x -> new ArrayList<>())
                            .add(m);
                    line.append(String.format(
                            Locale.ROOT,
                            " %s this %.0f ns %.0f B, netty %.0f ns (user %.0f), response %.0f ns;",
                            r.arm.name(),
                            m[0],
                            m[1],
                            m[2],
                            m[3],
                            m[4]));
                }
                System.out.println(line);
            }
            System.out.printf(
                    Locale.ROOT,
                    "per event (%s; median / best of %d rounds): this thread ns, bytes, netty ns, netty user ns,"
                            + " response ns; per put (µs): this thread, netty%n",
                    small ? SMALL_PUTS + " puts of " + SMALL_EVENTS + " events" : "full batches",
                    rounds);
            for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
                double perPut = e.getValue().get(0)[5];
                System.out.printf(
                        Locale.ROOT,
                        "  %-8s this %5.0f / %5.0f ns  %6.0f B  netty %5.0f / %5.0f ns (user %5.0f)  response %4.0f"
                                + "   per put: this %6.1f µs, netty %6.1f µs%n",
                        e.getKey(),
                        median(e.getValue(), 0),
                        best(e.getValue(), 0),
                        median(e.getValue(), 1),
                        median(e.getValue(), 2),
                        best(e.getValue(), 2),
                        median(e.getValue(), 3),
                        median(e.getValue(), 4),
                        median(e.getValue(), 0) * perPut / 1000,
                        median(e.getValue(), 2) * perPut / 1000);
            }
            for (Runner r : runners) {
                r.close();
            }
        }
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v[v.length / 2];
    }

    private static double best(List<double[]> rows, int column) {
        return rows.stream().mapToDouble(r -> r[column]).min().orElse(Double.NaN);
    }

    /** One arm: its client, its deliverer and the names of its threads. */
    static final class Runner implements AutoCloseable {
        final Arm arm;
        final SdkEventLoopGroup eventLoop;
        final ExecutorService responses;
        final CloudWatchLogsAsyncClient client;
        final BatchDeliverer deliverer;

        Runner(Arm arm, URI endpoint, CloudWatchLogsSinkConfig config) {
            this.arm = arm;
            AtomicInteger n = new AtomicInteger();
            this.eventLoop = SdkEventLoopGroup.builder()
                    .numberOfThreads(arm.eventLoopThreads())
                    .threadFactory(r -> {
                        Thread t = new Thread(r, arm.name() + "-netty-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    })
                    .build();
            // stands in for the SDK's own response pool, named so that its CPU is this arm's; an arm may replace it
            AtomicInteger m = new AtomicInteger();
            this.responses = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, arm.name() + "-response-" + m.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                    .retryStrategy(AwsRetryStrategy.doNotRetry())
                    .apiCallTimeout(TIMEOUT)
                    .addExecutionInterceptor(new PutLogEventsBody.Interceptor());
            arm.override().accept(override);
            CloudWatchLogsAsyncClientBuilder builder = CloudWatchLogsAsyncClient.builder()
                    .region(Region.US_EAST_1)
                    .endpointOverride(endpoint)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                            .eventLoopGroup(eventLoop)
                            .maxConcurrency(4)
                            .connectionMaxIdleTime(CloudWatchLogsClientConfig.CONNECTION_MAX_IDLE))
                    .asyncConfiguration(
                            b -> b.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, responses))
                    .overrideConfiguration(override.build());
            arm.client().accept(builder);
            this.client = builder.build();
            DeliveryHealth health = new DeliveryHealth("put path loop " + arm.name());
            try {
                this.deliverer = new BatchDeliverer(
                        client,
                        config,
                        DeadLetterWriter.open(
                                config.deadLetter,
                                "committer",
                                0,
                                config,
                                client,
                                UnregisteredMetricsGroup.createOperatorMetricGroup()),
                        new SinkMetrics(UnregisteredMetricsGroup.createOperatorMetricGroup()),
                        health);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /**
         * Delivers one round's committables on this thread into fresh streams; returns per event: this thread's CPU
         * ns and bytes allocated, the netty threads' CPU ns and user ns, the response threads' CPU ns, and the events
         * per put.
         */
        double[] round(CloudWatchLogsClient admin, int round, boolean small) throws Exception {
            List<CloudWatchLogsCommittable> committables = small
                    ? smallCommittables(System.currentTimeMillis() - 60_000)
                    : CommitPathStageLoop.committables(System.currentTimeMillis() - 60_000);
            List<String> streams = new ArrayList<>();
            for (CloudWatchLogsCommittable c : committables) {
                String stream = arm.name() + "-" + round + "-" + c.logStream();
                if (!streams.contains(stream)) {
                    streams.add(stream);
                    admin.createLogStream(b -> b.logGroupName(GROUP).logStreamName(stream));
                }
            }
            ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long[] before = threads(mx);
            long cpu0 = mx.getCurrentThreadCpuTime();
            long bytes0 = mx.getCurrentThreadAllocatedBytes();
            long events = 0;
            for (CloudWatchLogsCommittable c : committables) {
                String stream = arm.name() + "-" + round + "-" + c.logStream();
                if (deliverer.deliver(GROUP, stream, c.arena(), false, 0, null) != BatchDeliverer.Result.WRITTEN) {
                    throw new IllegalStateException("not written: " + c);
                }
                events += c.eventCount();
            }
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            long bytes = mx.getCurrentThreadAllocatedBytes() - bytes0;
            // the event loop may still be finishing the last response's bookkeeping
            Thread.sleep(50);
            long[] after = threads(mx);
            for (String stream : streams) {
                admin.deleteLogStream(b -> b.logGroupName(GROUP).logStreamName(stream));
            }
            double e = events;
            return new double[] {
                cpu / e,
                bytes / e,
                (after[0] - before[0]) / e,
                (after[1] - before[1]) / e,
                (after[2] - before[2]) / e,
                e / committables.size()
            };
        }

        /** CPU ns and user ns of this arm's netty threads, CPU ns of its response threads. */
        private long[] threads(ThreadMXBean mx) {
            long[] out = new long[3];
            for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (t == null) {
                    continue;
                }
                String name = t.getThreadName();
                if (name.startsWith(arm.name() + "-netty-")) {
                    out[0] += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
                    out[1] += Math.max(0, mx.getThreadUserTime(t.getThreadId()));
                } else if (name.startsWith(arm.name() + "-response-")) {
                    out[2] += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
                }
            }
            return out;
        }

        @Override
        public void close() throws Exception {
            client.close();
            eventLoop
                    .eventLoopGroup()
                    .shutdownGracefully(0, 5, TimeUnit.SECONDS)
                    .awaitUninterruptibly(5_000);
            responses.shutdownNow();
        }
    }

    /** {@code SMALL_PUTS} committables of {@code SMALL_EVENTS} events, in 50 streams. */
    static List<CloudWatchLogsCommittable> smallCommittables(long t0) {
        List<CloudWatchLogsCommittable> all = CommitPathStageLoop.committables(t0);
        List<List<SinkEvent>> firstEvents = new ArrayList<>();
        for (CloudWatchLogsCommittable c : all) {
            firstEvents.add(c.events().subList(0, SMALL_EVENTS));
        }
        List<CloudWatchLogsCommittable> out = new ArrayList<>();
        for (int p = 0; p < SMALL_PUTS; p++) {
            int k = p % all.size();
            out.add(new CloudWatchLogsCommittable(GROUP, all.get(k).logStream(), -1L, 0, p, t0, firstEvents.get(k)));
        }
        return out;
    }
}
