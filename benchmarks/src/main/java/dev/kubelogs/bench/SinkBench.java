package dev.kubelogs.bench;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.LogGroupInfo;
import dev.kubelogs.cwlocal.LogStreamInfo;
import dev.kubelogs.cwlocal.StoredEvent;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The CloudWatch Logs sink alone (issue 5): N generated events (~250 B JSON, 8 streams) → keyBy(stream) →
 * CloudWatchLogsSink with EXACTLY_ONCE → the local endpoint, on a MiniCluster at parallelism 1 with checkpoints.
 * Events/s, events per CPU-second of the job (process CPU minus the endpoint's threads), latency from the event's
 * creation to the endpoint's ingestion (≈ what exactly-once adds: the wait for the checkpoint), committable state per
 * checkpoint, and an exact count by id.
 *
 * <p>Two CPU bills. <b>Whole run</b>: from job submission to job end, so it includes starting the MiniCluster and the
 * JIT compiling Flink, the SDK and netty (JVM compiler threads count as job), which on a run of a few tens of seconds is
 * a large share. <b>Steady state</b>: the same bill (process CPU minus endpoint and harness threads, GC and JIT still
 * included) from the moment the generator has made {@link #STEADY_FROM} of the events to the job's end, divided by the
 * events generated in that window (the window also commits events generated before it: this errs against the sink);
 * that is the per-event cost of a long-running job. The share of JIT compiler and GC
 * threads in each bill is reported too (read from /proc, not subtracted).
 */
public final class SinkBench {
    private SinkBench() {}

    /** Steady-state window starts when this share of the events is stored at the endpoint. */
    static final double STEADY_FROM = 0.3;

    public static final class Result {
        public long events;
        public double seconds;
        public double eventsPerSec;
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
        /** Steady state (see class doc): events generated and job CPU/wall seconds from STEADY_FROM to the end. */
        public long steadyEvents;
        public double steadySeconds;
        public double steadyJobCpuSeconds;
        public double steadyEventsPerCpuSecond = Double.NaN;
        /** JVM compiler and GC threads' CPU seconds inside the whole-run bill and the steady-state bill. */
        public double jitCpuSeconds;
        public double gcCpuSeconds;
        public double steadyJitCpuSeconds;
        public double steadyGcCpuSeconds;
    }

    /**
     * One sample of the bill: job CPU so far (process minus endpoint and harness threads), JIT/GC CPU, events generated
     * and stored so far.
     */
    private record Bill(long nanoTime, long jobCpuNanos, long jitNanos, long gcNanos, long generated, long stored) {}

    private static Bill bill(ThreadCpu threadCpu, LocalCloudWatchLogs cw) {
        Map<String, Long> cpu = threadCpu.sample();
        Proc.Sample p = Proc.read(Proc.selfPid());
        long job = p.cpuNanos() - cpu.getOrDefault("endpoint", 0L) - cpu.getOrDefault("harness", 0L);
        long[] jvm = jvmThreadsCpuNanos();
        return new Bill(System.nanoTime(), job, jvm[0], jvm[1], ToEvent.GENERATED.get(), cw.eventCount());
    }

    /** CPU of this JVM's compiler threads and GC threads (native threads, invisible to ThreadMXBean), from /proc. */
    static long[] jvmThreadsCpuNanos() {
        Map<String, Long> byKind = Proc.nativeThreadCpuNanos(Proc.selfPid());
        return new long[] {byKind.getOrDefault("JIT", 0L), byKind.getOrDefault("GC", 0L)};
    }

    static final class ToEvent implements MapFunction<Long, CloudWatchEvent> {
        private static final long serialVersionUID = 1L;
        /** Events generated so far in this JVM (the MiniCluster runs here); opens the steady-state window. */
        static final java.util.concurrent.atomic.AtomicLong GENERATED = new java.util.concurrent.atomic.AtomicLong();
        private static final String PAD = "x".repeat(160);
        private final double rate;
        private transient long startNanos;
        private transient long count;

        ToEvent(double rate) {
            this.rate = rate;
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
            GENERATED.incrementAndGet();
            long now = System.currentTimeMillis();
            String msg = "{\"log\":\"sink bench id=" + i + " " + PAD + "\",\"stream\":\"stdout\",\"created\":" + now + "}";
            return new CloudWatchEvent("/aws/containerinsights/bench/application", "node-" + (i % 8), now, msg, "bench", i);
        }
    }

    /** {@code rate} ≤ 0: as fast as the sink goes (throughput); else paced events/s (latency at a steady rate). */
    public static Result run(long n, double rate, Duration checkpointInterval, String stateBackend, Path work, PrintStream out)
            throws Exception {
        Result r = new Result();
        ToEvent.GENERATED.set(0);
        r.rate = rate;
        r.events = n;
        r.checkpointInterval = checkpointInterval.toString();
        r.loadBefore = Proc.loadString();
        EndToEnd.deleteRecursively(work);
        ThreadCpu threadCpu = new ThreadCpu();
        try (LocalCloudWatchLogs cw = LocalCloudWatchLogs.builder().port(0).start()) {
            int rest = CollectorProcess.freePort();
            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
            conf.set(RestOptions.PORT, rest);
            conf.setString("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
            conf.setString("state.backend.type", stateBackend);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
            CloudWatchLogsSink sink = CloudWatchLogsSink.builder()
                    .region("us-west-2")
                    .endpoint(cw.endpoint().toString())
                    .staticCredentials("local", "local")
                    .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .build();
            env.fromSequence(0, n - 1).uid("seq")
                    .map(new ToEvent(rate)).returns(TypeInformation.of(CloudWatchEvent.class)).uid("to-event")
                    .keyBy(CloudWatchLogsSink.streamKeySelector())
                    .sinkTo(sink).uid("sink").name("sink");
            Map<String, Long> cpu0 = threadCpu.sample();
            Proc.Sample p0 = Proc.read(Proc.selfPid());
            long[] jvm0 = jvmThreadsCpuNanos();
            long t0 = System.nanoTime();
            Bill steadyStart = null;
            JobClient job = env.executeAsync("kubelogs-sink-bench");
            CheckpointMonitor monitor = null;
            try {
                while (job.getJobStatus().get() != JobStatus.RUNNING && !job.getJobStatus().get().isTerminalState()) {
                    Thread.sleep(20);
                }
                monitor = new CheckpointMonitor(rest, job.getJobID().toHexString());
                // a harness thread (not billed) samples the bill until the steady-state window opens, and keeps
                // sampling thread CPU so endpoint threads that end are still subtracted
                java.util.concurrent.atomic.AtomicReference<Bill> steady = new java.util.concurrent.atomic.AtomicReference<>();
                java.util.concurrent.CompletableFuture<?> done = job.getJobExecutionResult();
                Thread sampler = new Thread(() -> {
                    while (!done.isDone()) {
                        Bill b = bill(threadCpu, cw);
                        if (steady.get() == null && b.generated() >= STEADY_FROM * n) {
                            steady.set(b);
                        }
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "bench-sink-sampler");
                sampler.setDaemon(true);
                sampler.start();
                done.get(30, TimeUnit.MINUTES);
                sampler.join();
                steadyStart = steady.get();
                monitor.poll();
                r.checkpoints = monitor.completed();
            } finally {
                if (monitor != null) {
                    monitor.close();
                }
            }
            r.seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Long> cpu1 = threadCpu.sample();
            Proc.Sample p1 = Proc.read(Proc.selfPid());
            long endpoint = cpu1.getOrDefault("endpoint", 0L) - cpu0.getOrDefault("endpoint", 0L);
            long harness = cpu1.getOrDefault("harness", 0L) - cpu0.getOrDefault("harness", 0L);
            long jobCpu = (p1.cpuNanos() - p0.cpuNanos()) - endpoint - harness;
            r.eventsPerSec = n / r.seconds;
            r.jobCores = jobCpu / 1e9 / r.seconds;
            r.eventsPerCpuSecond = n / (jobCpu / 1e9);
            Bill end = bill(threadCpu, cw);
            long[] jvm1 = jvmThreadsCpuNanos();
            r.jitCpuSeconds = (jvm1[0] - jvm0[0]) / 1e9;
            r.gcCpuSeconds = (jvm1[1] - jvm0[1]) / 1e9;
            if (steadyStart != null && end.stored() > steadyStart.generated()) {
                // events generated after the window opened; the window's CPU also commits those generated before
                // but not yet stored then, so this errs against the sink
                r.steadyEvents = end.stored() - steadyStart.generated();
                r.steadySeconds = (end.nanoTime() - steadyStart.nanoTime()) / 1e9;
                r.steadyJobCpuSeconds = (end.jobCpuNanos() - steadyStart.jobCpuNanos()) / 1e9;
                r.steadyEventsPerCpuSecond = r.steadyEvents / r.steadyJobCpuSeconds;
                r.steadyJitCpuSeconds = (end.jitNanos() - steadyStart.jitNanos()) / 1e9;
                r.steadyGcCpuSeconds = (end.gcNanos() - steadyStart.gcNanos()) / 1e9;
            }
            BitSet seen = new BitSet();
            Stats.LongList lat = new Stats.LongList();
            for (LogGroupInfo g : cw.logGroups()) {
                for (LogStreamInfo s : cw.logStreams(g.name())) {
                    for (StoredEvent e : cw.events(g.name(), s.name())) {
                        r.stored++;
                        int i = e.message().indexOf("id=");
                        int j = e.message().indexOf(' ', i);
                        int id = Integer.parseInt(e.message().substring(i + 3, j));
                        if (seen.get(id)) {
                            r.duplicated++;
                        }
                        seen.set(id);
                        lat.add(e.ingestionTime() - e.timestamp());
                    }
                }
            }
            r.missing = n - seen.cardinality();
            long[] sorted = lat.sorted();
            r.p50 = Stats.percentile(sorted, 50);
            r.p99 = Stats.percentile(sorted, 99);
            r.max = Stats.max(sorted);
        }
        r.loadAfter = Proc.loadString();
        long maxState = r.checkpoints.stream().mapToLong(CheckpointMonitor.Checkpoint::stateSize).max().orElse(0);
        out.printf(Locale.ROOT, (rate > 0 ? String.format(Locale.ROOT, "  paced at %,.0f events/s: ", rate) : "  unpaced: ") + "%,d events in %.1f s = %,.0f events/s with %.2f cores = %,.0f events per cpu-second; "
                        + "latency p50 %.0f ms p99 %.0f ms; missing %d, duplicated %d; %d checkpoints, largest %.1f MB (load %s → %s)%n"
                        + "    steady state (from %.0f%% generated to the end): %,d events in %.1f s with %.1f job CPU-s = %,.0f events per cpu-second; "
                        + "JIT/GC CPU-s: whole run %.1f/%.1f, steady %.1f/%.1f%n",
                n, r.seconds, r.eventsPerSec, r.jobCores, r.eventsPerCpuSecond, r.p50, r.p99, r.missing, r.duplicated,
                r.checkpoints.size(), maxState / 1e6, r.loadBefore, r.loadAfter,
                STEADY_FROM * 100, r.steadyEvents, r.steadySeconds, r.steadyJobCpuSeconds, r.steadyEventsPerCpuSecond,
                r.jitCpuSeconds, r.gcCpuSeconds, r.steadyJitCpuSeconds, r.steadyGcCpuSeconds);
        EndToEnd.deleteRecursively(work);
        return r;
    }
}
