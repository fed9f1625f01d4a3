package dev.kubelogs.bench;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.LogGroupInfo;
import dev.kubelogs.cwlocal.LogStreamInfo;
import dev.kubelogs.cwlocal.StoredEvent;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The CloudWatch Logs sink alone (issue 5): N generated events (~250 B JSON, 8 streams) → CloudWatchLogsSink with
 * EXACTLY_ONCE, on a MiniCluster at parallelism 1 with checkpoints, against the local endpoint running as its own
 * process ({@link EndpointProcess}), as CloudWatch is remote in production. Events/s, events per CPU-second of the job,
 * latency from the event's creation to the endpoint's ingestion (≈ what exactly-once adds: the wait for the checkpoint
 * that commits it), committable state per checkpoint, and an exact count by id.
 *
 * <p>Topology ({@link Topology}): {@code chained} (default) is production's: in {@code LogPipelineJob} each sink is
 * chained to a side output of the keyed node processor, so here {@code fromSequence → map(ToEvent) → sinkTo} run as one
 * chain in one task thread (no shuffle, no event serialization, no key context; at parallelism 1 the writer's
 * stream-ownership check does not run). {@code keyed} adds {@code keyBy(stream)} before the sink, as a user of the
 * sink as a library who keys by stream would: a network shuffle, the events' (de)serialization and per-record key
 * context, all billed.
 *
 * <p><b>What is billed to the job</b>: this JVM's whole process CPU (/proc/self/stat: every thread, alive or ended,
 * Java or native) minus the harness's Java threads only ({@code bench-*} samplers and the checkpoint monitor, the JDK
 * HttpClients they and the {@code /_stats} reader use; see {@link ThreadCpu#classify}). So the MiniCluster (its
 * REST endpoint answering the checkpoint monitor included), the generator (it stands in for the node processor that
 * makes the events), the sink's writer, committer and AWS SDK/netty threads, and this JVM's JIT, GC and VM threads are
 * all in the bill; JIT and GC are reported as shares of it, and the unpaced run's bill is split by thread group
 * (Java threads by name, native ones from /proc, "other" for the rest). Not billed: the endpoint process (its CPU is
 * reported separately, read from its /proc), and the verification, which runs after the bill: the endpoint stops
 * (SIGTERM; its shutdown hook closes the store), and its data directory is loaded into this JVM to count every id
 * (exactly once) and take each event's latency as its persisted {@code ingestionTime} minus its {@code timestamp}
 * (the generator's clock at creation; one machine, one clock).
 *
 * <p>Two CPU bills per run. <b>Whole run</b>: from job submission to job end, so it includes starting the MiniCluster
 * and whatever JIT compiling is left. <b>Steady state</b>: the same bill from the moment the generator has made
 * {@link #STEADY_FROM} of the events to the job's end, the per-event cost of a long-running job, given as two bounds
 * (events stored come from the endpoint's {@code /_stats}): divided by the events generated in the window (stored at the
 * end minus generated when it opened; the window also commits events generated before it: errs against the sink) and
 * by the events stored in it (some were generated and written before it: errs for the sink). At a paced rate the two
 * nearly agree; an unpaced run generates in bursts a checkpoint apart, which sets them far apart.
 *
 * <p><b>Warm-up</b>: a long-running job is JIT-warm, while a run of 1M events in a fresh JVM bills 10–20 CPU-s of C2
 * compiling Flink, the SDK and netty. So {@code BenchMain} first runs the same configuration once ({@link #warmUp})
 * in this JVM (same classes, so the same compiled code serves the measured runs) and reports it on one line only.
 *
 * <p>Heap: production TaskManagers run with -Xms = -Xmx. {@code ./pipeline bench} starts this JVM from the launcher
 * with {@code BENCH_JAVA_OPTS} (default {@code -Xmx8g}, a growing heap); for a fixed heap set
 * {@code BENCH_JAVA_OPTS="-Xms8g -Xmx8g"}. The JVM's flags are part of the result ({@code jobJvmFlags}).
 */
public final class SinkBench {
    private SinkBench() {}

    /** Steady-state window starts when the generator has made this share of the events. */
    static final double STEADY_FROM = 0.3;

    private static final Duration ENDPOINT_START = Duration.ofSeconds(60);
    private static final Duration ENDPOINT_STOP = Duration.ofSeconds(60);

    /** How the events reach the sink; see the class doc. */
    public enum Topology {
        CHAINED,
        KEYED;

        public static Topology parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What the events look like. {@code container-insights}: an application event as Container Insights writes it
     * (a ~110-byte log line, stream, time, and the container's {@code kubernetes} block, ~725 bytes in all, ~530 of them the kubernetes block; one
     * container per log stream, so the block is the same for every event of a stream); {@code synthetic}: the
     * ~250-byte event of the earlier runs ({@code {"log":"sink bench id=… xxx…","stream":"stdout","created":…}}).
     */
    public enum Shape {
        CONTAINER_INSIGHTS,
        SYNTHETIC;

        public static Shape parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** One run: {@code rate} ≤ 0 is as fast as the sink goes (throughput), else paced events/s (latency at a steady rate). */
    public record Spec(
            long events,
            double rate,
            Duration checkpointInterval,
            String stateBackend,
            Topology topology,
            Shape shape,
            Path work) {
        public Spec withEvents(long n) {
            return new Spec(n, rate, checkpointInterval, stateBackend, topology, shape, work);
        }

        public Spec withRate(double r) {
            return new Spec(events, r, checkpointInterval, stateBackend, topology, shape, work);
        }
    }

    public static final class Result {
        public String topology;
        public String shape;
        public long events;
        public double seconds;
        public double eventsPerSec;
        public double jobCpuSeconds;
        public double jobCores;
        public double eventsPerCpuSecond;
        public double p50 = Double.NaN;
        public double p99 = Double.NaN;
        public double max = Double.NaN;
        public long stored;
        public long missing;
        public long duplicated;
        public List<CheckpointMonitor.Checkpoint> checkpoints = new ArrayList<>();
        public String checkpointInterval;
        public double rate;
        public String loadBefore;
        public String loadAfter;
        /**
         * Steady state (see class doc): job CPU/wall seconds from STEADY_FROM to the end, events generated in that window
         * (the bill: errs against the sink) and events stored in it (errs for the sink).
         */
        public long steadyEvents;

        public double steadySeconds;
        public double steadyJobCpuSeconds;
        public double steadyEventsPerCpuSecond = Double.NaN;
        public long steadyStoredEvents;
        public double steadyStoredEventsPerCpuSecond = Double.NaN;
        /** JVM compiler and GC threads' CPU seconds inside the whole-run bill and the steady-state bill. */
        public double jitCpuSeconds;

        public double gcCpuSeconds;
        public double steadyJitCpuSeconds;
        public double steadyGcCpuSeconds;
        /** The whole-run bill by thread group, CPU-seconds, largest first ("other": what no group accounts for). */
        public Map<String, Double> jobCpuSecondsByGroup = new LinkedHashMap<>();
        /** Harness threads of this JVM during the run: not billed. */
        public double harnessCpuSeconds;
        /** The endpoint process during the run: not billed. */
        public double endpointCpuSeconds;

        public double endpointPeakRssMb;
        /** The run that preceded the measured ones in this JVM ({@link #warmUp}), one line; null without one. */
        public String warmUp;

        public List<String> jobJvmFlags = ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    /**
     * One sample of the bill: job CPU so far (process minus harness threads), JIT/GC CPU, events generated so far and
     * stored so far (the endpoint's {@code /_stats}, read on the calling harness thread; -1 if it did not answer).
     */
    private record Bill(
            long nanoTime,
            long jobCpuNanos,
            long harnessNanos,
            long jitNanos,
            long gcNanos,
            long generated,
            long stored) {}

    private static Bill bill(ThreadCpu threadCpu, EndpointProcess endpoint) {
        long stored = endpoint.storedEvents();
        long harness = threadCpu.sample().getOrDefault("harness", 0L);
        long process = Proc.read(Proc.selfPid()).cpuNanos();
        Map<String, Long> jvm = Proc.nativeThreadCpuNanos(Proc.selfPid());
        return new Bill(
                System.nanoTime(),
                process - harness,
                harness,
                jvm.getOrDefault("JIT", 0L),
                jvm.getOrDefault("GC", 0L),
                ToEvent.GENERATED.get(),
                stored);
    }

    static final class ToEvent implements MapFunction<Long, CloudWatchEvent> {
        private static final long serialVersionUID = 1L;
        /** Events generated so far in this JVM (the MiniCluster runs here); opens the steady-state window. */
        static final AtomicLong GENERATED = new AtomicLong();

        static final int STREAMS = 8;
        private static final String GROUP = "/aws/containerinsights/bench/application";
        private static final String PAD = "x".repeat(160);
        private final double rate;
        private final Shape shape;
        private transient long startNanos;
        private transient long count;
        /** Per stream: its name and (container-insights) the end of its events; made once, as production's file contexts do. */
        private transient String[] streams;

        private transient String[] kubernetes;

        ToEvent(double rate, Shape shape) {
            this.rate = rate;
            this.shape = shape;
        }

        @Override
        public CloudWatchEvent map(Long i) {
            if (rate > 0) {
                // paced: event n leaves no earlier than n / rate after the first
                if (count++ == 0) {
                    startNanos = System.nanoTime();
                }
                long due = startNanos + (long) (count / rate * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
            if (streams == null) {
                makeStreams();
            }
            GENERATED.incrementAndGet();
            long now = System.currentTimeMillis();
            int s = (int) (i % STREAMS);
            String msg = shape == Shape.SYNTHETIC
                    ? "{\"log\":\"sink bench id=" + i + " " + PAD + "\",\"stream\":\"stdout\",\"created\":" + now + "}"
                    : "{\"log\":\"2026-11-25T09:12:03.123Z INFO  [http-nio-8080-exec-7] c.e.orders.OrderController - order id="
                            + i
                            + " created for customer 4711 in 12 ms\\n\",\"stream\":\"stdout\",\"time\":\""
                            + java.time.Instant.ofEpochMilli(now)
                            + "\"" + kubernetes[s];
            return new CloudWatchEvent(GROUP, streams[s], now, msg, "bench", i);
        }

        private void makeStreams() {
            streams = new String[STREAMS];
            kubernetes = new String[STREAMS];
            for (int s = 0; s < STREAMS; s++) {
                String pod = "orders-7d9c6b7f9d-x2m4" + (char) ('a' + s);
                String dockerId = String.format(Locale.ROOT, "%064x", 0x3f1e9a00L + s);
                streams[s] = shape == Shape.SYNTHETIC
                        ? "node-" + s
                        : "ip-192-168-12-34.us-west-2.compute.internal-application.var.log.containers." + pod
                                + "_shop_orders-" + dockerId + ".log";
                kubernetes[s] = ",\"kubernetes\":{\"pod_name\":\"" + pod
                        + "\",\"namespace_name\":\"shop\",\"pod_id\":\"5b0c1e9e-2d5f-4c55-9d7c-2f1f3e4a5b6" + s
                        + "\",\"host\":\"ip-192-168-12-34.us-west-2.compute.internal\",\"pod_ip\":\"192.168.20."
                        + (7 + s)
                        + "\",\"container_name\":\"orders\",\"docker_id\":\"" + dockerId
                        + "\",\"container_hash\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders@sha256:"
                        + "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12"
                        + "\",\"container_image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2\"}}";
            }
        }
    }

    /** Runs {@code spec} once to warm this JVM up and prints one line; not a result. */
    public static String warmUp(Spec spec, PrintStream out) throws Exception {
        Result r = measure(spec);
        String line = String.format(
                Locale.ROOT,
                "%,d events (%s) in %.1f s, %.1f job CPU-s (JIT %.1f, GC %.1f) = %,.0f events per "
                        + "cpu-second; missing %d, duplicated %d",
                r.events,
                r.topology,
                r.seconds,
                r.jobCpuSeconds,
                r.jitCpuSeconds,
                r.gcCpuSeconds,
                r.eventsPerCpuSecond,
                r.missing,
                r.duplicated);
        out.println("  warm-up (not a result): " + line);
        return line;
    }

    /** Runs {@code spec}, prints its result lines (and the unpaced run's CPU by thread group) and returns it. */
    public static Result run(Spec spec, PrintStream out) throws Exception {
        Result r = measure(spec);
        print(r, out);
        return r;
    }

    private static Result measure(Spec spec) throws Exception {
        Result r = new Result();
        ToEvent.GENERATED.set(0);
        r.topology = spec.topology().toString();
        r.shape = spec.shape().toString();
        r.rate = spec.rate();
        r.events = spec.events();
        r.checkpointInterval = spec.checkpointInterval().toString();
        r.loadBefore = Proc.loadString();
        Dirs.deleteRecursively(spec.work());
        Files.createDirectories(spec.work());
        Path data = spec.work().resolve("cloudwatch");
        try (EndpointProcess endpoint =
                EndpointProcess.start(data, spec.work().resolve("endpoint.log"), ENDPOINT_START)) {
            runJob(spec, endpoint, r);
            endpoint.stop(ENDPOINT_STOP);
        }
        r.loadAfter = Proc.loadString();
        verify(data, r);
        Dirs.deleteRecursively(spec.work());
        // the next run's bill should not pay for collecting this run's verification store
        System.gc();
        return r;
    }

    /** Runs the job against the endpoint and fills in the bills (whole run, steady state, by thread group). */
    private static void runJob(Spec spec, EndpointProcess endpoint, Result r) throws Exception {
        long n = spec.events();
        int rest = CollectorProcess.freePort();
        StreamExecutionEnvironment env =
                environment(1, spec.checkpointInterval(), spec.stateBackend(), spec.work(), rest, new Configuration());
        addSinkGraph(env, spec, sink(endpoint.endpoint()));
        ThreadCpu threadCpu = new ThreadCpu();
        Map<String, Long> groups0 = CpuGroups.jobCpuGroups(threadCpu);
        Proc.Sample endpoint0 = endpoint.sample();
        Bill start = bill(threadCpu, endpoint);
        JobClient job = env.executeAsync("kubelogs-sink-bench");
        AtomicReference<Bill> steadyStart = new AtomicReference<>();
        try (CheckpointMonitor monitor =
                new CheckpointMonitor(rest, job.getJobID().toHexString())) {
            CompletableFuture<?> done = job.getJobExecutionResult();
            Thread sampler = sampler(
                    "bench-sink-sampler",
                    () -> bill(threadCpu, endpoint),
                    done,
                    b -> b.generated() >= STEADY_FROM * n,
                    steadyStart);
            done.get(30, TimeUnit.MINUTES);
            sampler.join();
            monitor.poll();
            r.checkpoints = monitor.completed();
        }
        // groups before the bill at both ends, so the bill holds every group's CPU ("other" ≥ 0)
        Map<String, Long> groups1 = CpuGroups.jobCpuGroups(threadCpu);
        Bill end = bill(threadCpu, endpoint);
        Proc.Sample endpoint1 = endpoint.sample();

        r.seconds = (end.nanoTime() - start.nanoTime()) / 1e9;
        r.jobCpuSeconds = (end.jobCpuNanos() - start.jobCpuNanos()) / 1e9;
        r.harnessCpuSeconds = (end.harnessNanos() - start.harnessNanos()) / 1e9;
        r.eventsPerSec = n / r.seconds;
        r.jobCores = r.jobCpuSeconds / r.seconds;
        r.eventsPerCpuSecond = n / r.jobCpuSeconds;
        r.jitCpuSeconds = (end.jitNanos() - start.jitNanos()) / 1e9;
        r.gcCpuSeconds = (end.gcNanos() - start.gcNanos()) / 1e9;
        r.jobCpuSecondsByGroup = cpuSecondsByGroup(groups0, groups1, r.jobCpuSeconds);
        r.endpointCpuSeconds = (endpoint1.cpuNanos() - endpoint0.cpuNanos()) / 1e9;
        r.endpointPeakRssMb = endpoint1.hwmMb();
        Bill steady = steadyStart.get();
        if (steady != null && end.stored() > steady.generated()) {
            // events generated after the window opened; the window's CPU also commits those generated before
            // but not yet stored then, so this errs against the sink
            r.steadyEvents = end.stored() - steady.generated();
            r.steadySeconds = (end.nanoTime() - steady.nanoTime()) / 1e9;
            r.steadyJobCpuSeconds = (end.jobCpuNanos() - steady.jobCpuNanos()) / 1e9;
            r.steadyEventsPerCpuSecond = r.steadyEvents / r.steadyJobCpuSeconds;
            // events stored in the window; some were generated (and written) before it: errs for the sink. An unpaced
            // run generates in bursts a checkpoint apart, so there the two bounds are far apart
            r.steadyStoredEvents = end.stored() - steady.stored();
            r.steadyStoredEventsPerCpuSecond = r.steadyStoredEvents / r.steadyJobCpuSeconds;
            r.steadyJitCpuSeconds = (end.jitNanos() - steady.jitNanos()) / 1e9;
            r.steadyGcCpuSeconds = (end.gcNanos() - steady.gcNanos()) / 1e9;
        }
    }

    /**
     * A harness thread (not billed, named {@code name}) that samples the bill every 250 ms until the job is done:
     * keeps the first sample that opens the steady-state window, and keeps thread CPU current so threads that end
     * lose at most 250 ms.
     */
    static <B> Thread sampler(
            String name,
            java.util.function.Supplier<B> bill,
            CompletableFuture<?> done,
            java.util.function.Predicate<B> opensWindow,
            AtomicReference<B> windowStart) {
        Thread t = new Thread(
                () -> {
                    while (!done.isDone()) {
                        B b = bill.get();
                        if (windowStart.get() == null && opensWindow.test(b)) {
                            windowStart.set(b);
                        }
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * A MiniCluster environment with exactly-once checkpoints into {@code work}/checkpoints, REST on {@code restPort},
     * and the settings of {@code conf}.
     */
    static StreamExecutionEnvironment environment(
            int parallelism,
            Duration checkpointInterval,
            String stateBackend,
            Path work,
            int restPort,
            Configuration conf) {
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        conf.set(RestOptions.PORT, restPort);
        conf.setString(
                "execution.checkpointing.dir",
                work.resolve("checkpoints").toUri().toString());
        conf.setString("state.backend.type", stateBackend);
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    }

    /** The exactly-once sink against the local endpoint. */
    static CloudWatchLogsSink sink(URI endpoint) {
        return CloudWatchLogsSink.builder()
                .region("us-west-2")
                .endpoint(endpoint.toString())
                .staticCredentials("local", "local")
                .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .build();
    }

    /** The generator and the sink in the spec's topology (at parallelism 1 everything chains that is not keyed). */
    private static void addSinkGraph(StreamExecutionEnvironment env, Spec spec, CloudWatchLogsSink sink) {
        DataStream<CloudWatchEvent> events = env.fromSequence(0, spec.events() - 1)
                .uid("seq")
                .map(new ToEvent(spec.rate(), spec.shape()))
                .returns(TypeInformation.of(CloudWatchEvent.class))
                .uid("to-event");
        if (spec.topology() == Topology.KEYED) {
            events = events.keyBy(CloudWatchLogsSink.streamKeySelector());
        }
        events.sinkTo(sink).uid("sink").name("sink");
    }

    /**
     * CPU-seconds per thread group between two readings, largest first, under 0.01 CPU-s left out; "other" is the rest
     * of the bill (those small groups, JVM service threads, native threads that ended, threads' last 250 ms).
     */
    static Map<String, Double> cpuSecondsByGroup(
            Map<String, Long> start, Map<String, Long> end, double billCpuSeconds) {
        // cores over one second are CPU-seconds
        Map<String, Double> groups = CpuGroups.coresByGroup(start, end, 1.0);
        groups.put(
                "other",
                billCpuSeconds
                        - groups.values().stream()
                                .mapToDouble(Double::doubleValue)
                                .sum());
        return groups;
    }

    /** Loads the stopped endpoint's data directory: every id exactly once, latency from creation to ingestion. */
    private static void verify(Path data, Result r) {
        BitSet seen = new BitSet();
        Stats.LongList lat = new Stats.LongList();
        try (LocalCloudWatchLogs cw =
                LocalCloudWatchLogs.builder().dataDir(data).port(0).start()) {
            for (LogGroupInfo g : cw.logGroups()) {
                for (LogStreamInfo s : cw.logStreams(g.name())) {
                    for (StoredEvent e : cw.events(g.name(), s.name())) {
                        r.stored++;
                        int id = idOf(e.message());
                        if (seen.get(id)) {
                            r.duplicated++;
                        }
                        seen.set(id);
                        lat.add(e.ingestionTime() - e.timestamp());
                    }
                }
            }
        }
        r.missing = r.events - seen.cardinality();
        long[] sorted = lat.sorted();
        r.p50 = Stats.percentile(sorted, 50);
        r.p99 = Stats.percentile(sorted, 99);
        r.max = Stats.max(sorted);
    }

    private static int idOf(String message) {
        int i = message.indexOf("id=");
        return Integer.parseInt(message.substring(i + 3, message.indexOf(' ', i)));
    }

    private static void print(Result r, PrintStream out) {
        long maxState = r.checkpoints.stream()
                .mapToLong(CheckpointMonitor.Checkpoint::stateSize)
                .max()
                .orElse(0);
        String label = r.rate > 0 ? String.format(Locale.ROOT, "paced at %,.0f events/s", r.rate) : "unpaced";
        out.printf(
                Locale.ROOT,
                "  %s, %s: %,d events in %.1f s = %,.0f events/s with %.2f cores (%.1f job CPU-s) = %,.0f events per "
                        + "cpu-second; latency p50 %.0f ms p99 %.0f ms; missing %d, duplicated %d; %d checkpoints, largest %.1f MB "
                        + "(load %s → %s)%n",
                label,
                r.topology + ", " + r.shape + " events",
                r.events,
                r.seconds,
                r.eventsPerSec,
                r.jobCores,
                r.jobCpuSeconds,
                r.eventsPerCpuSecond,
                r.p50,
                r.p99,
                r.missing,
                r.duplicated,
                r.checkpoints.size(),
                maxState / 1e6,
                r.loadBefore,
                r.loadAfter);
        out.printf(
                Locale.ROOT,
                "    steady state (from %.0f%% generated to the end, %.1f s, %.1f job CPU-s): %,.0f events per "
                        + "cpu-second by the %,d events generated in it (errs against the sink) … %,.0f by the %,d stored in it (errs for it)%n",
                STEADY_FROM * 100,
                r.steadySeconds,
                r.steadyJobCpuSeconds,
                r.steadyEventsPerCpuSecond,
                r.steadyEvents,
                r.steadyStoredEventsPerCpuSecond,
                r.steadyStoredEvents);
        out.printf(
                Locale.ROOT,
                "    JIT/GC in the bill: whole run %.1f/%.1f CPU-s (%.0f%%/%.0f%%), steady %.1f/%.1f CPU-s (%.0f%%/%.0f%%); "
                        + "not billed: harness threads %.1f CPU-s, endpoint process %.1f CPU-s (%.2f cores, RSS peak %.0f MB)%n",
                r.jitCpuSeconds,
                r.gcCpuSeconds,
                share(r.jitCpuSeconds, r.jobCpuSeconds),
                share(r.gcCpuSeconds, r.jobCpuSeconds),
                r.steadyJitCpuSeconds,
                r.steadyGcCpuSeconds,
                share(r.steadyJitCpuSeconds, r.steadyJobCpuSeconds),
                share(r.steadyGcCpuSeconds, r.steadyJobCpuSeconds),
                r.harnessCpuSeconds,
                r.endpointCpuSeconds,
                r.endpointCpuSeconds / r.seconds,
                r.endpointPeakRssMb);
        if (r.rate <= 0) {
            out.println("    the job JVM's CPU by thread group (whole run): CPU-s, µs per event");
            r.jobCpuSecondsByGroup.forEach((group, cpu) ->
                    out.printf(Locale.ROOT, "      %7.2f %7.2f  %s%n", cpu, cpu * 1e6 / r.events, group));
        }
        out.flush();
    }

    static double share(double part, double whole) {
        return whole > 0 ? part / whole * 100 : Double.NaN;
    }
}
