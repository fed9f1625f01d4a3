package dev.kubelogs.bench;

import dev.kubelogs.collector.local.LoopbackPorts;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.LogGroupInfo;
import dev.kubelogs.cwlocal.LogStreamInfo;
import dev.kubelogs.cwlocal.StoredEvent;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
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
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
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
 * chained to the keyed node processor's output of events, so here {@code fromSequence → map(SinkBenchEvents) → sinkTo}
 * run as one chain in one task thread (no shuffle, no event serialization, no key context; at parallelism 1 the writer's
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
                SinkBenchEvents.GENERATED.get(),
                stored);
    }

    /** Runs {@code spec} once to warm this JVM up and prints one line; not a result. */
    public static String warmUp(Spec spec, PrintStream out) throws Exception {
        Result r = measure(spec);
        String line = SinkBenchPrinter.warmUpLine(r);
        out.println("  warm-up (not a result): " + line);
        return line;
    }

    /** Runs {@code spec}, prints its result lines (and the unpaced run's CPU by thread group) and returns it. */
    public static Result run(Spec spec, PrintStream out) throws Exception {
        Result r = measure(spec);
        SinkBenchPrinter.print(r, out);
        return r;
    }

    private static Result measure(Spec spec) throws Exception {
        Result r = new Result();
        SinkBenchEvents.GENERATED.set(0);
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
        int rest = LoopbackPorts.pick();
        StreamExecutionEnvironment env = BenchEnvironment.environment(
                1, spec.checkpointInterval(), spec.stateBackend(), spec.work(), rest, new Configuration());
        addSinkGraph(env, spec, BenchEnvironment.sink(endpoint.endpoint()));
        ThreadCpu threadCpu = new ThreadCpu();
        Map<String, Long> groups0 = CpuGroups.jobCpuGroups(threadCpu);
        Proc.Sample endpoint0 = endpoint.sample();
        Bill start = bill(threadCpu, endpoint);
        JobClient job = env.executeAsync("kubelogs-sink-bench");
        AtomicReference<Bill> steadyStart = new AtomicReference<>();
        try (CheckpointMonitor monitor =
                new CheckpointMonitor(rest, job.getJobID().toHexString())) {
            CompletableFuture<?> done = job.getJobExecutionResult();
            Thread sampler = BillSampler.start(
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
        r.jobCpuSecondsByGroup = CpuGroups.cpuSecondsByGroup(groups0, groups1, r.jobCpuSeconds);
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

    /** The generator and the sink in the spec's topology (at parallelism 1 everything chains that is not keyed). */
    private static void addSinkGraph(StreamExecutionEnvironment env, Spec spec, CloudWatchLogsSink sink) {
        DataStream<CloudWatchEvent> events = env.fromSequence(0, spec.events() - 1)
                .uid("seq")
                .map(new SinkBenchEvents(spec.rate(), spec.shape()))
                .returns(TypeInformation.of(CloudWatchEvent.class))
                .uid("to-event");
        if (spec.topology() == Topology.KEYED) {
            events = events.keyBy(CloudWatchLogsSink.streamKeySelector());
        }
        sink.addTo(events, "sink");
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
}
