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
 */
public final class SinkBench {
    private SinkBench() {}

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
    }

    static final class ToEvent implements MapFunction<Long, CloudWatchEvent> {
        private static final long serialVersionUID = 1L;
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
            long now = System.currentTimeMillis();
            String msg = "{\"log\":\"sink bench id=" + i + " " + PAD + "\",\"stream\":\"stdout\",\"created\":" + now + "}";
            return new CloudWatchEvent("/aws/containerinsights/bench/application", "node-" + (i % 8), now, msg, "bench", i);
        }
    }

    /** {@code rate} ≤ 0: as fast as the sink goes (throughput); else paced events/s (latency at a steady rate). */
    public static Result run(long n, double rate, Duration checkpointInterval, String stateBackend, Path work, PrintStream out)
            throws Exception {
        Result r = new Result();
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
            long t0 = System.nanoTime();
            JobClient job = env.executeAsync("kubelogs-sink-bench");
            CheckpointMonitor monitor = null;
            try {
                while (job.getJobStatus().get() != JobStatus.RUNNING && !job.getJobStatus().get().isTerminalState()) {
                    Thread.sleep(20);
                }
                monitor = new CheckpointMonitor(rest, job.getJobID().toHexString());
                job.getJobExecutionResult().get(30, TimeUnit.MINUTES);
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
                        + "latency p50 %.0f ms p99 %.0f ms; missing %d, duplicated %d; %d checkpoints, largest %.1f MB (load %s → %s)%n",
                n, r.seconds, r.eventsPerSec, r.jobCores, r.eventsPerCpuSecond, r.p50, r.p99, r.missing, r.duplicated,
                r.checkpoints.size(), maxState / 1e6, r.loadBefore, r.loadAfter);
        EndToEnd.deleteRecursively(work);
        return r;
    }
}
