package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsServiceClientConfiguration;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyResponse;

/**
 * CPU per event of the put path with each SDK v2 HTTP client, arms alternated round by round in one JVM: every round
 * each arm delivers the same committables ({@link CommitPathStageLoop#committables}, ~1 KB events cut into full
 * batches) through a {@link BatchDeliverer} from {@code CALLERS} caller threads (as a committer's stream workers), over
 * HTTP to the local endpoint in this JVM. CPU is counted for every thread of the process from
 * {@code /proc/self/task/<tid>/schedstat} (native threads included), less the endpoint's, grouped by thread name.
 * With one arm the run also shows that client's JIT cost from a cold start. After the rounds, {@code idle} clients of
 * each arm sit idle for {@code idleSeconds} to show their fixed cost.
 *
 * <p>Arms: {@code apache5} (the sink's client, {@link CloudWatchLogsClientConfig#createClient()}), {@code netty} (the
 * async client the sink used before, {@link #netty}), {@code crt} (the CRT async client; async arms are wrapped as
 * {@link AsyncCalls}, the caller waiting for each call as the sink did), and the synchronous {@code apache5expect}
 * (Apache 5 with the SDK's defaults: {@code Expect: 100-continue}), {@code urlconn} and {@code crtsync} clients. Not a test: run it by hand
 * ({@code java -cp <test classpath> dev.kubelogs.job.sink.cloudwatch.HttpClientLoop [rounds] [arm,arm,...] [callers]
 * [idleClients] [idleSeconds]}).
 */
public final class HttpClientLoop {
    static final String GROUP = CommitPathStageLoop.GROUP;
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private HttpClientLoop() {}

    static Map<String, Supplier<CloudWatchLogsClient>> arms(URI endpoint) {
        Map<String, Supplier<CloudWatchLogsClient>> arms = new LinkedHashMap<>();
        arms.put(
                "apache5",
                () -> new CloudWatchLogsClientConfig(
                                "us-east-1",
                                endpoint.toString(),
                                CloudWatchLogsClientConfig.Credentials.STATIC,
                                "test",
                                "test",
                                TIMEOUT,
                                8)
                        .createClient()
                        .api());
        arms.put("netty", () -> netty(endpoint));
        arms.put(
                "crt",
                () -> new AsyncCalls(
                        CloudWatchLogsAsyncClient.builder()
                                .region(Region.US_EAST_1)
                                .endpointOverride(endpoint)
                                .credentialsProvider(
                                        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                                .httpClientBuilder(AwsCrtAsyncHttpClient.builder()
                                        .maxConcurrency(8)
                                        .connectionMaxIdleTime(CloudWatchLogsClientConfig.CONNECTION_MAX_IDLE))
                                .overrideConfiguration(override())
                                .asyncConfiguration(c -> c.advancedOption(
                                        SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, DIRECT))
                                .build(),
                        () -> {}));
        arms.put(
                "apache5expect",
                () -> sync(
                        endpoint,
                        Apache5HttpClient.builder()
                                .maxConnections(8)
                                .connectionMaxIdleTime(CloudWatchLogsClientConfig.CONNECTION_MAX_IDLE)
                                .build()));
        arms.put(
                "urlconn",
                () -> sync(endpoint, UrlConnectionHttpClient.builder().build()));
        arms.put(
                "crtsync",
                () -> sync(
                        endpoint,
                        AwsCrtHttpClient.builder()
                                .maxConcurrency(8)
                                .connectionMaxIdleTime(CloudWatchLogsClientConfig.CONNECTION_MAX_IDLE)
                                .build()));
        return arms;
    }

    /** Completes a call's future on the thread that has its answer. */
    static final Executor DIRECT = Runnable::run;

    /**
     * The client the sink used before this loop's branch: async, netty, one event loop thread of its own, futures
     * completed on it.
     */
    static CloudWatchLogsClient netty(URI endpoint) {
        AtomicInteger threads = new AtomicInteger();
        SdkEventLoopGroup eventLoop = SdkEventLoopGroup.builder()
                .numberOfThreads(1)
                .threadFactory(r -> {
                    Thread t = new Thread(r, "cwlogs-netty-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                })
                .build();
        CloudWatchLogsAsyncClient api = CloudWatchLogsAsyncClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .eventLoopGroup(eventLoop)
                        .maxConcurrency(8)
                        .connectionTimeout(Duration.ofSeconds(10))
                        .connectionMaxIdleTime(CloudWatchLogsClientConfig.CONNECTION_MAX_IDLE)
                        .readTimeout(TIMEOUT)
                        .writeTimeout(TIMEOUT))
                .overrideConfiguration(override())
                .asyncConfiguration(
                        c -> c.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, DIRECT))
                .build();
        return new AsyncCalls(
                api,
                () -> eventLoop
                        .eventLoopGroup()
                        .shutdownGracefully(0, 5, TimeUnit.SECONDS)
                        .awaitUninterruptibly(5_000));
    }

    private static ClientOverrideConfiguration override() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallTimeout(TIMEOUT)
                .addExecutionInterceptor(new PutLogEventsBody.Interceptor())
                .build();
    }

    private static CloudWatchLogsClient sync(URI endpoint, SdkHttpClient http) {
        return CloudWatchLogsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(http)
                .overrideConfiguration(override())
                .build();
    }

    /** An async client's calls, the caller waiting for each, as the synchronous interface the sink takes. */
    static final class AsyncCalls implements CloudWatchLogsClient {
        private final CloudWatchLogsAsyncClient async;
        private final Runnable onClose;

        AsyncCalls(CloudWatchLogsAsyncClient async, Runnable onClose) {
            this.async = async;
            this.onClose = onClose;
        }

        private static <T> T join(CompletableFuture<T> call) {
            try {
                return call.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
            }
        }

        @Override
        public PutLogEventsResponse putLogEvents(PutLogEventsRequest r) {
            return join(async.putLogEvents(r));
        }

        @Override
        public GetLogEventsResponse getLogEvents(GetLogEventsRequest r) {
            return join(async.getLogEvents(r));
        }

        @Override
        public CreateLogGroupResponse createLogGroup(CreateLogGroupRequest r) {
            return join(async.createLogGroup(r));
        }

        @Override
        public CreateLogStreamResponse createLogStream(CreateLogStreamRequest r) {
            return join(async.createLogStream(r));
        }

        @Override
        public PutRetentionPolicyResponse putRetentionPolicy(PutRetentionPolicyRequest r) {
            return join(async.putRetentionPolicy(r));
        }

        @Override
        public CloudWatchLogsServiceClientConfiguration serviceClientConfiguration() {
            return async.serviceClientConfiguration();
        }

        @Override
        public String serviceName() {
            return async.serviceName();
        }

        @Override
        public void close() {
            async.close();
            onClose.run();
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        String armList = args.length > 1 ? args[1] : "netty,apache5";
        int callers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int idleClients = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        int idleSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        Path deadLetters = Files.createTempDirectory("http-client-loop");
        long start = System.nanoTime();
        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null);
                CloudWatchLogsClient admin = SinkTestSupport.syncClient(endpoint.endpoint())) {
            CloudWatchLogsSinkConfig config = SinkTestSupport.localBuilder(endpoint.endpoint(), deadLetters)
                    .build()
                    .config();
            admin.createLogGroup(b -> b.logGroupName(GROUP));
            Map<String, Supplier<CloudWatchLogsClient>> all = arms(endpoint.endpoint());
            List<Runner> runners = new ArrayList<>();
            for (String a : armList.split(",")) {
                runners.add(new Runner(a, all.get(a).get(), config, callers));
            }
            Map<String, Long> startup = cpuByGroup(null);
            Map<String, List<Map<String, Double>>> results = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                StringBuilder line = new StringBuilder("round " + round + ":");
                for (int k = 0; k < runners.size(); k++) {
                    Runner r = runners.get((round + k) % runners.size());
                    System.gc();
                    Map<String, Double> m = r.round(admin, round);
                    results.computeIfAbsent(r.name, x -> new ArrayList<>()).add(m);
                    line.append(String.format(Locale.ROOT, " %s %.0f ns%s;", r.name, m.get("total"), m));
                }
                System.out.println(line);
            }
            System.out.printf(
                    Locale.ROOT,
                    "ns an event (median of rounds %d..%d), %d callers, all threads less the endpoint's:%n",
                    rounds / 3,
                    rounds - 1,
                    callers);
            for (Map.Entry<String, List<Map<String, Double>>> e : results.entrySet()) {
                List<Map<String, Double>> late = e.getValue().subList(rounds / 3, rounds);
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %-8s", e.getKey()));
                for (String g : List.of("total", "caller", "io", "timer", "jit", "gc", "other")) {
                    b.append(String.format(Locale.ROOT, " %s %6.0f", g, median(late, g)));
                }
                System.out.println(b);
            }
            Map<String, Long> end = cpuByGroup(null);
            System.out.printf(
                    Locale.ROOT,
                    "whole run %.1f s: jit thread CPU %.3f s (%.3f s before the first round), compile time %.3f s%n",
                    (System.nanoTime() - start) / 1e9,
                    end.getOrDefault("jit", 0L) / 1e9,
                    startup.getOrDefault("jit", 0L) / 1e9,
                    ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3);
            for (Runner r : runners) {
                r.close();
            }
            for (String a : armList.split(",")) {
                idle(a, all.get(a), admin, config, idleClients, idleSeconds);
            }
        }
    }

    /** CPU of {@code n} clients of one arm that have each put once and then sit idle. */
    static void idle(
            String arm,
            Supplier<CloudWatchLogsClient> factory,
            CloudWatchLogsClient admin,
            CloudWatchLogsSinkConfig config,
            int n,
            int seconds)
            throws Exception {
        if (n == 0) {
            return;
        }
        List<Runner> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Runner r = new Runner(arm + "-idle" + i, factory.get(), config, 1);
            r.putOne(admin);
            clients.add(r);
        }
        Thread.sleep(1_000);
        int threads = threadNames().size();
        Map<String, Long> before = cpuByGroup(null);
        Map<String, Long> threadsBefore = cpuByThread();
        Thread.sleep(seconds * 1_000L);
        Map<String, Long> after = cpuByGroup(null);
        Map<String, Long> threadsAfter = cpuByThread();
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT, "idle %-8s %d clients, %d threads in the JVM, µs a second:", arm, n, threads));
        for (String g : after.keySet()) {
            b.append(String.format(
                    Locale.ROOT, " %s %.0f", g, (after.get(g) - before.getOrDefault(g, 0L)) / 1e3 / seconds));
        }
        b.append("; busiest threads (µs a second):");
        threadsAfter.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0L)))
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .limit(6)
                .forEach(e ->
                        b.append(String.format(Locale.ROOT, " %s %.0f", e.getKey(), e.getValue() / 1e3 / seconds)));
        System.out.println(b);
        for (Runner r : clients) {
            r.close();
        }
    }

    private static double median(List<Map<String, Double>> rows, String key) {
        double[] v = rows.stream()
                .mapToDouble(r -> r.getOrDefault(key, 0.0))
                .sorted()
                .toArray();
        return v[v.length / 2];
    }

    /** One arm: its client, its deliverer and its caller threads. */
    static final class Runner implements AutoCloseable {
        final String name;
        final CloudWatchLogsClient client;
        final BatchDeliverer deliverer;
        final ExecutorService callers;
        final int callerCount;

        Runner(String name, CloudWatchLogsClient client, CloudWatchLogsSinkConfig config, int callerCount) {
            this.name = name;
            this.client = client;
            this.callerCount = callerCount;
            AtomicInteger n = new AtomicInteger();
            this.callers = Executors.newFixedThreadPool(callerCount, r -> {
                Thread t = new Thread(r, "caller-" + name + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
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
                        new DeliveryHealth("http client loop " + name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void putOne(CloudWatchLogsClient admin) throws Exception {
            CloudWatchLogsCommittable c = CommitPathStageLoop.committables(System.currentTimeMillis() - 60_000)
                    .get(0);
            String stream = name + "-one";
            admin.createLogStream(b -> b.logGroupName(GROUP).logStreamName(stream));
            callers.submit(() -> deliverer.deliver(GROUP, stream, c.arena(), false, 0, null))
                    .get();
        }

        /** Delivers one round's committables from the caller threads; CPU ns an event by thread group. */
        Map<String, Double> round(CloudWatchLogsClient admin, int round) throws Exception {
            List<CloudWatchLogsCommittable> committables =
                    CommitPathStageLoop.committables(System.currentTimeMillis() - 60_000);
            List<String> streams = new ArrayList<>();
            Map<String, List<CloudWatchLogsCommittable>> byStream = new LinkedHashMap<>();
            for (CloudWatchLogsCommittable c : committables) {
                String stream = name + "-" + round + "-" + c.logStream();
                if (!streams.contains(stream)) {
                    streams.add(stream);
                    admin.createLogStream(b -> b.logGroupName(GROUP).logStreamName(stream));
                }
                byStream.computeIfAbsent(stream, s -> new ArrayList<>()).add(c);
            }
            long events = committables.stream()
                    .mapToLong(CloudWatchLogsCommittable::eventCount)
                    .sum();
            Map<String, Long> before = cpuByGroup(name);
            List<Future<?>> calls = new ArrayList<>();
            for (Map.Entry<String, List<CloudWatchLogsCommittable>> s : byStream.entrySet()) {
                calls.add(callers.submit(() -> {
                    for (CloudWatchLogsCommittable c : s.getValue()) {
                        if (deliverer.deliver(GROUP, s.getKey(), c.arena(), false, 0, null)
                                != BatchDeliverer.Result.WRITTEN) {
                            throw new IllegalStateException("not written: " + c);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : calls) {
                f.get();
            }
            Thread.sleep(50); // the I/O threads may still be finishing the last response
            Map<String, Long> after = cpuByGroup(name);
            for (String stream : streams) {
                admin.deleteLogStream(b -> b.logGroupName(GROUP).logStreamName(stream));
            }
            Map<String, Double> out = new LinkedHashMap<>();
            double total = 0;
            for (String g : after.keySet()) {
                double v = (after.get(g) - before.getOrDefault(g, 0L)) / (double) events;
                out.put(g, v);
                total += v;
            }
            out.put("total", total);
            return out;
        }

        @Override
        public void close() {
            client.close();
            callers.shutdownNow();
        }
    }

    /** CPU ns by "name/tid", every thread of this process. */
    static Map<String, Long> cpuByThread() throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (Map.Entry<String, String> t : threadNames().entrySet()) {
            try {
                out.put(
                        t.getValue() + "/" + t.getKey(),
                        Long.parseLong(Files.readString(Path.of("/proc/self/task", t.getKey(), "schedstat"))
                                .split(" ")[0]));
            } catch (IOException | RuntimeException gone) {
                // the thread ended
            }
        }
        return out;
    }

    /** tid → thread name, every thread of this process. */
    static Map<String, String> threadNames() throws IOException {
        Map<String, String> out = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    out.put(
                            t.getFileName().toString(),
                            Files.readString(t.resolve("comm")).trim());
                } catch (IOException gone) {
                    // the thread ended
                }
            }
        }
        return out;
    }

    /**
     * CPU ns of every thread of this process by group, the endpoint's left out. {@code arm}: the arm whose callers
     * count as "caller" (others' callers are idle and go to "other"); null counts every caller.
     */
    static Map<String, Long> cpuByGroup(String arm) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String g : List.of("caller", "io", "timer", "jit", "gc", "other")) {
            out.put(g, 0L);
        }
        for (Map.Entry<String, String> t : threadNames().entrySet()) {
            String name = t.getValue();
            if (name.startsWith("cwlocal-") || name.startsWith("HTTP-Dispatcher")) {
                continue;
            }
            long ns;
            try {
                ns = Long.parseLong(Files.readString(Path.of("/proc/self/task", t.getKey(), "schedstat"))
                        .split(" ")[0]);
            } catch (IOException | RuntimeException gone) {
                continue;
            }
            out.merge(group(name, arm), ns, Long::sum);
        }
        return out;
    }

    private static String group(String name, String arm) {
        // comm holds at most 15 characters
        if (name.startsWith("caller-")) {
            return arm == null || name.startsWith("caller-" + arm) ? "caller" : "other";
        }
        if (name.startsWith("cwlogs-netty") || name.startsWith("AwsEventLoop") || name.startsWith("aws-crt")) {
            return "io";
        }
        if (name.startsWith("sdk-") || name.contains("ScheduledExec") || name.startsWith("idle-connection")) {
            return "timer";
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "jit";
        }
        if (name.startsWith("GC ") || name.startsWith("VM Thread") || name.startsWith("G1")) {
            return "gc";
        }
        return "other";
    }
}
