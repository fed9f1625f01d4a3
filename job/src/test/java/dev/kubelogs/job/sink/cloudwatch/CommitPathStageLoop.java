package dev.kubelogs.job.sink.cloudwatch;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * The sink's commit path in one JVM: committables of {@code EVENTS} Container Insights-like events (~1 KB each, the
 * kubernetes block shared by a stream's events) committed by a {@link CloudWatchLogsCommitter} through the real SDK v2
 * async client over HTTP to the local endpoint, round after round (after {@code WARM_UP_PUTS} small puts that warm the
 * per-request code as a running job has). Prints, per event and round, the CPU (and its user-mode part, coarse) and the
 * bytes allocated of each thread group: the committer (this thread and the stream workers), the SDK (netty event loop,
 * async response executor, its timers), the endpoint (apart: it stands for CloudWatch) and what no Java thread shows
 * (GC, JIT); then the best of the rounds after the first quarter. Not a test: run it by hand
 * ({@code java -cp <test classpath> dev.kubelogs.job.sink.cloudwatch.CommitPathStageLoop [rounds] [components|all]
 * [ci|emf]}; {@code emf} commits EMF-like metric events of ~450 bytes instead ({@link #emfCommittables});
 * {@code -Dendpoint=URL} uses an endpoint in its own process, so that its GC is not billed here; {@code components}
 * also times the body, a copy of it and its SHA-256 alone; {@code -DmaxConcurrentStreams=N} sets the committer's stream
 * threads, default 8 as shipped; {@code -DroundGapMs=N} waits that long before each round; {@code -DleanPuts=true}
 * sends the puts by {@link dev.kubelogs.job.sink.cloudwatch.lean.LeanPutLogEvents}; {@code all} is the process's CPU,
 * {@code compile} the JIT's compile time).
 */
public final class CommitPathStageLoop {
    static final int EVENTS = 50_000;
    static final int STREAMS = 50;
    static final int WARM_UP_PUTS = 20_000;
    static final String GROUP = "/aws/containerinsights/prod/application";

    private CommitPathStageLoop() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        boolean components = args.length > 1 && args[1].equals("components");
        boolean emf = args.length > 2 && args[2].equals("emf");
        Path deadLetters = Files.createTempDirectory("commit-loop");
        // -Dendpoint=URL: an endpoint in its own process (as in production), so that its GC is not this JVM's
        String external = System.getProperty("endpoint");
        try (LocalCloudWatchLogs endpoint = external == null ? LocalCloudWatchLogs.start(0, null) : null;
                CloudWatchLogsClient admin =
                        SinkTestSupport.syncClient(external == null ? endpoint.endpoint() : URI.create(external))) {
            URI uri = external == null ? endpoint.endpoint() : URI.create(external);
            CloudWatchLogsSinkConfig config = SinkTestSupport.localBuilder(uri, deadLetters)
                    .maxConcurrentStreams(Integer.getInteger("maxConcurrentStreams", 8))
                    .leanPuts(Boolean.getBoolean("leanPuts"))
                    .build()
                    .config();
            try {
                admin.deleteLogGroup(b -> b.logGroupName(GROUP)); // an external endpoint's from an earlier run
            } catch (ResourceNotFoundException e) {
                // none yet
            }
            admin.createLogGroup(b -> b.logGroupName(GROUP));
            CloudWatchLogsCommitter committer =
                    new CloudWatchLogsCommitter(config, -1L, 0, UnregisteredMetricsGroup.createOperatorMetricGroup());
            warmUp(admin, committer);
            Map<String, double[]> best = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (int s = 0; s < STREAMS; s++) {
                    String stream = "stream-" + s;
                    if (round > 0) {
                        admin.deleteLogStream(b -> b.logGroupName(GROUP).logStreamName(stream));
                    }
                    admin.createLogStream(b -> b.logGroupName(GROUP).logStreamName(stream));
                }
                List<CommitRequest<CloudWatchLogsCommittable>> requests = new ArrayList<>();
                for (CloudWatchLogsCommittable c : emf
                        ? emfCommittables(System.currentTimeMillis() - 60_000)
                        : committables(System.currentTimeMillis() - 60_000)) {
                    requests.add(new SinkTestSupport.TestRequest<>(c, 0));
                }
                if (components) {
                    components(requests);
                }
                System.gc();
                Thread.sleep(Long.getLong("roundGapMs", 0L)); // a round a checkpoint apart, as in the job
                Map<String, long[]> before = groups();
                committer.commit(requests);
                Map<String, long[]> after = groups();
                for (CommitRequest<CloudWatchLogsCommittable> r : requests) {
                    if (((SinkTestSupport.TestRequest<CloudWatchLogsCommittable>) r).state
                            != SinkTestSupport.TestRequest.State.UNTOUCHED) {
                        throw new IllegalStateException("not committed: " + r.getCommittable());
                    }
                }
                if (endpoint != null && endpoint.eventCount() != EVENTS) {
                    throw new IllegalStateException(endpoint.eventCount() + " events stored, not " + EVENTS);
                }
                StringBuilder line = new StringBuilder("round " + round + ":");
                for (Map.Entry<String, long[]> g : after.entrySet()) {
                    long[] b = before.getOrDefault(g.getKey(), new long[3]);
                    double cpu = (g.getValue()[0] - b[0]) / (double) EVENTS;
                    double bytes = (g.getValue()[1] - b[1]) / (double) EVENTS;
                    double user = (g.getValue()[2] - b[2]) / (double) EVENTS;
                    line.append(String.format(
                            Locale.ROOT, " %s %.0f ns (user %.0f) %.0f B;", g.getKey(), cpu, user, bytes));
                    if (round >= rounds / 4) { // the first quarter warms the JIT
                        best.merge(g.getKey(), new double[] {cpu, bytes, user}, (x, y) -> x[0] <= y[0] ? x : y);
                    }
                }
                System.out.println(line);
            }
            System.out.printf(
                    Locale.ROOT,
                    "best of rounds %d..%d, per event (%d events, %d streams, %.0f bytes a message):%n",
                    rounds / 4,
                    rounds - 1,
                    EVENTS,
                    STREAMS,
                    messageBytes / (double) EVENTS);
            for (Map.Entry<String, double[]> g : best.entrySet()) {
                System.out.printf(
                        Locale.ROOT,
                        "  %-10s %6.0f ns CPU (user %6.0f) %8.0f bytes allocated%n",
                        g.getKey(),
                        g.getValue()[0],
                        g.getValue()[2],
                        g.getValue()[1]);
            }
            committer.close();
        }
    }

    /** UTF-8 bytes of the messages {@link #committables} made last. */
    private static long messageBytes;

    /**
     * Warms the per-request code (the SDK's pipeline runs a few times per put; a round has only a few dozen puts) with
     * {@code WARM_UP_PUTS} small puts, as a job that has run for a minute has.
     */
    private static void warmUp(CloudWatchLogsClient admin, CloudWatchLogsCommitter committer) throws Exception {
        String stream = "warm-up";
        admin.createLogStream(b -> b.logGroupName(GROUP).logStreamName(stream));
        long t0 = System.currentTimeMillis() - 60_000;
        long t = System.nanoTime();
        Map<String, long[]> before = groups();
        for (int round = 0; round < WARM_UP_PUTS / 100; round++) {
            List<CommitRequest<CloudWatchLogsCommittable>> requests = new ArrayList<>();
            for (int p = 0; p < 100; p++) {
                List<SinkEvent> events = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    events.add(new SinkEvent(t0 + p, "{\"log\":\"warm-up " + i + "\"}", "warm-up", i));
                }
                requests.add(new SinkTestSupport.TestRequest<>(
                        new CloudWatchLogsCommittable(GROUP, stream, -1L, 0, p, t0, events), 0));
            }
            committer.commit(requests);
        }
        admin.deleteLogStream(b -> b.logGroupName(GROUP).logStreamName(stream));
        Map<String, long[]> after = groups();
        StringBuilder cpu = new StringBuilder();
        for (Map.Entry<String, long[]> g : after.entrySet()) {
            long[] b = before.getOrDefault(g.getKey(), new long[3]);
            cpu.append(String.format(
                    Locale.ROOT, " %s %.1f µs;", g.getKey(), (g.getValue()[0] - b[0]) / 1000.0 / WARM_UP_PUTS));
        }
        System.out.printf(
                Locale.ROOT,
                "warm-up: %d puts in %d ms, per put:%s%n",
                WARM_UP_PUTS,
                (System.nanoTime() - t) / 1_000_000,
                cpu);
    }

    /**
     * This thread's CPU per event for the parts of a put that scale with its bytes, each alone: the body written from
     * the arena's slices (into a reused array, as the committer does), a presized copy of it (what the SDK's async
     * client does with a body it gets as a stream) and its SHA-256 (SigV4's payload hash).
     */
    private static void components(List<CommitRequest<CloudWatchLogsCommittable>> requests) throws Exception {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<PutLogEventsBody> bodies = new ArrayList<>();
        List<List<Integer>> pending = new ArrayList<>();
        for (CommitRequest<CloudWatchLogsCommittable> r : requests) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < r.getCommittable().eventCount(); i++) {
                all.add(i);
            }
            pending.add(all);
        }
        byte[] spare = null;
        long t0 = mx.getCurrentThreadCpuTime();
        for (int k = 0; k < requests.size(); k++) {
            CloudWatchLogsCommittable c = requests.get(k).getCommittable();
            PutLogEventsBody body =
                    PutLogEventsBody.of(c.logGroup(), c.logStream(), c.arena().slices(), pending.get(k), spare);
            spare = body.buffer();
            bodies.add(body);
        }
        long t1 = mx.getCurrentThreadCpuTime();
        long bodyBytes = 0;
        List<byte[]> arrays = new ArrayList<>();
        for (PutLogEventsBody b : bodies) {
            arrays.add(Arrays.copyOf(b.buffer(), b.length()));
            bodyBytes += b.length();
        }
        long t2 = mx.getCurrentThreadCpuTime();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (byte[] a : arrays) {
            sha.update(a);
            sha.digest();
        }
        long t3 = mx.getCurrentThreadCpuTime();
        System.out.printf(
                Locale.ROOT,
                "  parts: body %.0f ns, copy %.0f ns, sha-256 %.0f ns per event (%d puts, %.0f body bytes an event)%n",
                (t1 - t0) / (double) EVENTS,
                (t2 - t1) / (double) EVENTS,
                (t3 - t2) / (double) EVENTS,
                bodies.size(),
                bodyBytes / (double) EVENTS);
    }

    /** CPU ns, allocated bytes and user-mode CPU ns summed per thread group, over every live thread. */
    private static Map<String, long[]> groups() {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<String, long[]> out = new HashMap<>();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long cpu = mx.getThreadCpuTime(t.getThreadId());
            long bytes = mx.getThreadAllocatedBytes(t.getThreadId());
            long user = mx.getThreadUserTime(t.getThreadId());
            if (cpu < 0 || bytes < 0 || user < 0) {
                continue;
            }
            long[] sum = out.computeIfAbsent(group(t.getThreadName()), k -> new long[3]);
            sum[0] += cpu;
            sum[1] += bytes;
            sum[2] += user;
        }
        // what no Java thread shows: GC and JIT threads, billed to the whole process
        long process = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long threads = 0;
        for (long[] sum : out.values()) {
            threads += sum[0];
        }
        out.put("gc+jit", new long[] {process - threads, 0, 0});
        // of it, the collections' pause time (with SerialGC, the TaskManagers' collector, that is their CPU)
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        out.put("gc pauses", new long[] {gcMillis * 1_000_000, 0, 0});
        out.put("all", new long[] {process, 0, 0});
        // the JIT's compile time (wall time of its compiles, not CPU): what late compiles the put path still asks for
        out.put(
                "compile",
                new long[] {ManagementFactory.getCompilationMXBean().getTotalCompilationTime() * 1_000_000, 0, 0});
        return out;
    }

    private static String group(String thread) {
        if (thread.equals("main") || thread.startsWith("cwlogs-committer-")) {
            return "committer";
        }
        if (thread.startsWith("cwlogs-netty-") || thread.startsWith("sdk-")) {
            return "sdk";
        }
        if (thread.startsWith("cwlocal-") || thread.startsWith("HTTP-Dispatcher")) {
            return "endpoint";
        }
        return "other";
    }

    /** {@code EVENTS} events in {@code STREAMS} streams, one container each, cut into PutLogEvents batches. */
    static List<CloudWatchLogsCommittable> committables(long t0) {
        List<CloudWatchLogsCommittable> out = new ArrayList<>();
        long seq = 0;
        messageBytes = 0;
        for (int s = 0; s < STREAMS; s++) {
            String pod = "orders-7d9f" + s;
            String kubernetes = ",\"kubernetes\":{\"pod_name\":\"" + pod
                    + "-x2k4p\",\"namespace_name\":\"shop\",\"pod_id\":\"4f1c0b1e-1d2a-4c43-9a7e-2f8b6c1d0e"
                    + String.format(Locale.ROOT, "%02d", s)
                    + "\",\"host\":\"ip-10-0-1-10.ec2.internal\",\"container_name\":\"orders\",\"docker_id\":\""
                    + "ab".repeat(32) + "\",\"container_hash\":\"123456789012.dkr.ecr.us-east-1.amazonaws.com/orders@"
                    + "sha256:" + "cd".repeat(32) + "\",\"container_image\":\"123456789012.dkr.ecr.us-east-1."
                    + "amazonaws.com/orders:1.4.2\",\"labels\":{\"app\":\"orders\",\"pod-template-hash\":\"7d9f\","
                    + "\"app.kubernetes.io/part-of\":\"shop\"}}}";
            String source = "node/var/log/pods/shop_" + pod + "/orders/0.log";
            List<SinkEvent> events = new ArrayList<>();
            for (int i = 0; i < EVENTS / STREAMS; i++) {
                String log = "{\"log\":\"2026-12-04T10:00:00." + (100 + i % 900)
                        + "Z INFO  [http-nio-8080-exec-" + (i % 16) + "] c.e.shop.orders.OrderController - request "
                        + (s * 7919L + i) + " GET /api/v1/orders/" + (1_000_000 + i * 31L)
                        + "?include=items,payments&currency=EUR served in " + (i % 97)
                        + " ms user=\\\"u-" + (i * 13 % 5000) + "\\\" trace_id=4bf92f3577b34da6a3ce929d0e0e"
                        + (4736 + i) + " span_id=00f067aa0ba902b7 status=200 bytes=" + (512 + i % 4096)
                        + "\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-04T10:00:00." + (100 + i % 900)
                        + "456789Z\"" + kubernetes;
                SinkEvent e = new SinkEvent(t0 + i / 10, log, source, i * 1000L);
                messageBytes += e.utf8Length();
                events.add(e);
            }
            for (List<SinkEvent> batch : BatchCutter.cut(events)) {
                out.add(new CloudWatchLogsCommittable(GROUP, "stream-" + s, -1L, 0, seq++, t0, batch));
            }
        }
        return out;
    }

    /**
     * {@code EVENTS} EMF-like events (~450 bytes of compact JSON, a quote every ~8 bytes, as the metrics half's
     * {@code EmfEventBuilder} writes them: no end shared by a stream's events) in {@code STREAMS} streams, cut into
     * PutLogEvents batches.
     */
    static List<CloudWatchLogsCommittable> emfCommittables(long t0) {
        List<CloudWatchLogsCommittable> out = new ArrayList<>();
        long seq = 0;
        messageBytes = 0;
        for (int s = 0; s < STREAMS; s++) {
            List<SinkEvent> events = new ArrayList<>();
            for (int i = 0; i < EVENTS / STREAMS; i++) {
                long ts = t0 + i / 10;
                SinkEvent e = new SinkEvent(ts, emfMessage(s, i, ts), "kubernetes-pods-" + s, i * 1000L);
                messageBytes += e.utf8Length();
                events.add(e);
            }
            for (List<SinkEvent> batch : BatchCutter.cut(events)) {
                out.add(new CloudWatchLogsCommittable(GROUP, "stream-" + s, -1L, 0, seq++, t0, batch));
            }
        }
        return out;
    }

    /** Event {@code i} of stream {@code s} of the {@code emf} mix, stamped {@code ts}. */
    static String emfMessage(int s, int i, long ts) {
        String job = "kubernetes-pods-" + s;
        String pod = "orders-7d9f" + s + "-x2k4" + (i % 40);
        return "{\"CloudWatchMetrics\":[{\"Namespace\":\"ContainerInsights/Prometheus\","
                + "\"Dimensions\":[[\"ClusterName\",\"Namespace\",\"PodName\"]],\"Metrics\":[{\"Name\":"
                + "\"http_requests_total\"},{\"Name\":\"http_request_duration_seconds_sum\"}]}],"
                + "\"ClusterName\":\"prod-eks-1\",\"Namespace\":\"shop\",\"PodName\":\"" + pod
                + "\",\"Timestamp\":\"" + ts + "\",\"Version\":\"0\",\"code\":\"" + (200 + i % 3)
                + "\",\"http_request_duration_seconds_sum\":" + (i % 977) / 8.0
                + ",\"http_requests_total\":" + (i % 31) + ",\"instance\":\"10.0." + (s % 250) + "."
                + (i % 250) + ":8080\",\"job\":\"" + job + "\",\"method\":\"GET\",\"path\":\"/api/v1/"
                + "orders\",\"pod\":\"" + pod + "\",\"prom_metric_type\":\"counter\"}";
    }
}
