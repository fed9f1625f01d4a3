package dev.kubelogs.bench;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples progress, CPU and memory every second on its own thread. The collectors' read counters come from their
 * {@code /metrics}, which it reads every {@link #COLLECTOR_READ_EVERY_TICKS} ticks and at every explicit {@link #point()}
 * (the window's edges): a read costs a collector a scrape, and production scrapes it once a minute, so reading it every
 * second billed the collectors for work production does not do.
 */
final class Sampler {
    /** Ticks between two reads of the collectors' {@code /metrics}: 15 s, four times the shipped 1-minute scrape. */
    static final int COLLECTOR_READ_EVERY_TICKS = 15;

    record Point(
            long nanos,
            long wallMillis,
            long written,
            long collected,
            long delivered,
            long jobCpu,
            long collectorCpu,
            long endpointCpu,
            long generatorCpu,
            long[] collectorCpuEach) {}

    private final LoadGenerator gen;
    private final List<CollectorProcess> collectors;
    private final LocalCloudWatchLogs cw;
    private final ThreadCpu threadCpu;
    private final boolean withJob;
    private final List<EndToEndResult.Tick> ticks = new ArrayList<>();
    private final List<Point> points = new ArrayList<>();
    private final long[] collectorCpuLast;
    private final long[] collectorCpuBase;
    private final long[] collectorReadLast;
    private final List<double[]> rssByTime = new ArrayList<>();
    private double harnessPeakRss;
    private double peakHwm;
    private double loadSum;
    private int loadN;
    private volatile boolean stop;
    private Thread thread;
    private long t0;
    private final long selfPid = Proc.selfPid();
    /** The job's own processes (a cluster's TaskManagers and JobManager); empty when it runs in this JVM. */
    private final List<Long> jobPids;

    private final long[] jobPidCpuLast;

    Sampler(
            LoadGenerator gen,
            List<CollectorProcess> collectors,
            LocalCloudWatchLogs cw,
            ThreadCpu threadCpu,
            boolean withJob) {
        this(gen, collectors, cw, threadCpu, withJob, List.of());
    }

    /** With {@code jobPids}, the job's CPU is those processes' (all their threads), else this JVM's less the others. */
    Sampler(
            LoadGenerator gen,
            List<CollectorProcess> collectors,
            LocalCloudWatchLogs cw,
            ThreadCpu threadCpu,
            boolean withJob,
            List<Long> jobPids) {
        this.jobPids = List.copyOf(jobPids);
        this.jobPidCpuLast = new long[jobPids.size()];
        this.gen = gen;
        this.collectors = collectors;
        this.cw = cw;
        this.threadCpu = threadCpu;
        this.withJob = withJob;
        this.collectorCpuLast = new long[collectors.size()];
        this.collectorCpuBase = new long[collectors.size()];
        this.collectorReadLast = new long[collectors.size()];
    }

    void start() {
        t0 = System.nanoTime();
        for (int i = 0; i < collectors.size(); i++) {
            Proc.Sample s = collectors.get(i).sample();
            collectorCpuBase[i] = s == null ? 0 : s.cpuNanos();
            collectorCpuLast[i] = collectorCpuBase[i];
        }
        point();
        thread = new Thread(
                () -> {
                    long next = System.nanoTime();
                    while (!stop) {
                        next += 1_000_000_000L;
                        long sleep = next - System.nanoTime();
                        if (sleep > 0) {
                            LockSupport.parkNanos(sleep);
                        }
                        tick();
                    }
                },
                "bench-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** A point with the collectors' read counters read now. */
    synchronized Point point() {
        return point(true);
    }

    /** Whether the tick numbered {@code tick} (1 for the first) reads the collectors' {@code /metrics}. */
    static boolean readsCollectorsAt(int tick) {
        return tick % COLLECTOR_READ_EVERY_TICKS == 0;
    }

    private Point point(boolean readCollectors) {
        long now = System.nanoTime();
        Map<String, Long> cpu = threadCpu.sample();
        Proc.Sample self = Proc.read(selfPid);
        long endpoint = cpu.getOrDefault("endpoint", 0L);
        long generator = cpu.getOrDefault("generator", 0L);
        long harness = cpu.getOrDefault("harness", 0L);
        long process = self == null ? 0 : self.cpuNanos();
        long job = withJob ? Math.max(0, process - endpoint - generator - harness) : 0;
        if (!jobPids.isEmpty()) {
            job = 0;
            for (int i = 0; i < jobPids.size(); i++) {
                Proc.Sample s = Proc.read(jobPids.get(i));
                if (s != null) {
                    jobPidCpuLast[i] = s.cpuNanos(); // a process gone keeps its last reading
                }
                job += jobPidCpuLast[i];
            }
        }
        long collected = 0;
        long collectorCpu = 0;
        long[] each = new long[collectors.size()];
        for (int i = 0; i < collectors.size(); i++) {
            long read = readCollectors ? collectors.get(i).recordsRead() : -1;
            if (read >= 0) {
                collectorReadLast[i] = read; // a stopped or unread collector keeps its last count
            }
            collected += collectorReadLast[i];
            Proc.Sample s = collectors.get(i).sample();
            if (s != null) {
                collectorCpuLast[i] = s.cpuNanos();
            }
            each[i] = collectorCpuLast[i] - collectorCpuBase[i];
            collectorCpu += each[i];
        }
        Point p = new Point(
                now,
                System.currentTimeMillis(),
                gen.totalLines(),
                collected,
                cw.eventCount(),
                job,
                collectorCpu,
                endpoint,
                generator,
                each);
        points.add(p);
        if (self != null) {
            harnessPeakRss = Math.max(harnessPeakRss, self.hwmMb());
        }
        return p;
    }

    synchronized Point first() {
        return points.get(0);
    }

    private synchronized void tick() {
        Point prev = points.get(points.size() - 1);
        Point p = point(readsCollectorsAt(ticks.size() + 1));
        double dt = (p.nanos() - prev.nanos()) / 1e9;
        List<Double> rss = new ArrayList<>();
        double[] row = new double[collectors.size() + 1];
        row[0] = (p.nanos() - t0) / 1e9;
        for (int i = 0; i < collectors.size(); i++) {
            Proc.Sample s = collectors.get(i).sample();
            double mb = s == null ? Double.NaN : s.rssMb();
            if (s != null) {
                peakHwm = Math.max(peakHwm, s.hwmMb());
            }
            rss.add(mb);
            row[i + 1] = mb;
        }
        rssByTime.add(row);
        Proc.Sample self = Proc.read(selfPid);
        double load = Proc.loadAverage()[0];
        loadSum += load;
        loadN++;
        ticks.add(new EndToEndResult.Tick(
                (p.nanos() - t0) / 1e9,
                p.written(),
                p.collected(),
                p.delivered(),
                (p.jobCpu() - prev.jobCpu()) / 1e9 / dt,
                (p.collectorCpu() - prev.collectorCpu()) / 1e9 / dt,
                (p.endpointCpu() - prev.endpointCpu()) / 1e9 / dt,
                (p.generatorCpu() - prev.generatorCpu()) / 1e9 / dt,
                self == null ? Double.NaN : self.rssMb(),
                rss,
                load));
    }

    void stop() throws InterruptedException {
        stop = true;
        if (thread != null) {
            thread.join(3000);
        }
    }

    synchronized List<EndToEndResult.Tick> ticks() {
        return new ArrayList<>(ticks);
    }

    synchronized double collectorPeakRssMb() {
        double peak = peakHwm;
        for (double[] row : rssByTime) {
            for (int i = 1; i < row.length; i++) {
                if (Double.isFinite(row[i])) {
                    peak = Math.max(peak, row[i]);
                }
            }
        }
        return peak;
    }

    synchronized double collectorMeanRssMb(long fromNanos, long toNanos) {
        double sum = 0;
        int n = 0;
        for (double[] row : rssByTime) {
            double t = t0 + row[0] * 1e9;
            if (t < fromNanos || t > toNanos) {
                continue;
            }
            for (int i = 1; i < row.length; i++) {
                if (Double.isFinite(row[i])) {
                    sum += row[i];
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    synchronized double harnessPeakRssMb() {
        return harnessPeakRss;
    }

    synchronized double meanLoad() {
        return loadN == 0 ? Double.NaN : loadSum / loadN;
    }
}
