package dev.kubelogs.job.sink.cloudwatch;

import com.sun.management.ThreadMXBean;
import dev.kubelogs.job.model.CloudWatchEvent;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The writer's buffer between barriers, old against new, in one JVM: {@code list} (each stream's events as
 * {@link SinkEvent}s from {@link BatchCutter#prepare}, cut at the barrier with {@link BatchCutter#cut} and encoded into
 * committables, as the writer did) and {@code arena} (each event appended to its stream's {@link StreamBuffer} as it
 * arrives, cut at the barrier). {@value #EVENTS} Container Insights-like events of ~1 KB ({@link HeldEventsLoad#message})
 * in {@value HeldEventsLoad#STREAMS} streams, carried as UTF-8 as the keyed stage sends them, are buffered and cut twice
 * per run (the first interval warms the arena's pool, the second is measured). Prints per event: bytes allocated and
 * thread CPU to buffer, the same to cut, and the live heap the buffers hold just before the cut (after a
 * {@code System.gc()}, the inputs no longer referenced by the test; the arena's pool counted as held). The arms alternate for {@value #RUNS} runs after
 * one JIT-warming run. Not a test: run it by hand ({@code java -Xmx1g -cp <test classpath>
 * dev.kubelogs.job.sink.cloudwatch.WriterBufferLoad}); with the argument {@code steady} it runs each arm
 * paced as a TaskManager instead ({@link #steady}).
 */
public final class WriterBufferLoad {
    static final int EVENTS = 100_000;
    static final int RUNS = 5;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private WriterBufferLoad() {}

    /** One way of buffering a stream's events and cutting them at the barrier. */
    private interface Arm {
        void write(CloudWatchEvent e, String sourceId);

        List<CloudWatchLogsCommittable> cut(long now);

        /** Bytes kept for reuse by the next interval. */
        long pooled();
    }

    /** The writer before: a SinkEvent per event in a list per stream. */
    private static final class ListArm implements Arm {
        private final BatchCutter cutter = BatchCutter.defaults();
        private final Map<String, List<SinkEvent>> buffers = new LinkedHashMap<>();
        private long sequence;

        @Override
        public void write(CloudWatchEvent e, String sourceId) {
            BatchCutter.Prepared p = cutter.prepare(e, null, sourceId);
            buffers.computeIfAbsent(e.logStream, s -> new ArrayList<>()).add(p.event);
        }

        @Override
        public List<CloudWatchLogsCommittable> cut(long now) {
            List<CloudWatchLogsCommittable> out = new ArrayList<>();
            for (Map.Entry<String, List<SinkEvent>> b : buffers.entrySet()) {
                for (List<SinkEvent> batch : BatchCutter.cut(b.getValue())) {
                    out.add(new CloudWatchLogsCommittable(
                            HeldEventsLoad.GROUP, b.getKey(), 41, 0, sequence++, now, batch));
                }
            }
            buffers.clear();
            return out;
        }

        @Override
        public long pooled() {
            return 0;
        }
    }

    /** The writer now: each event appended to its stream's arenas. */
    private static final class ArenaArm implements Arm {
        private final BatchCutter cutter = BatchCutter.defaults();
        private final ChunkPool pool = new ChunkPool();
        private final Map<String, StreamBuffer> buffers = new LinkedHashMap<>();
        private long sequence;

        @Override
        public void write(CloudWatchEvent e, String sourceId) {
            if (!cutter.takesAsWritten(e, null)) {
                throw new IllegalStateException("the load's events are all taken as written");
            }
            StreamBuffer b = buffers.get(e.logStream);
            if (b == null) {
                b = new StreamBuffer(e.logGroup, e.logStream, pool);
                buffers.put(e.logStream, b);
            }
            b.add(e.timestamp, e.messageUtf8, sourceId, e.sourceOffset);
        }

        @Override
        public List<CloudWatchLogsCommittable> cut(long now) {
            List<CloudWatchLogsCommittable> out = new ArrayList<>();
            pool.dropUnused();
            for (StreamBuffer b : buffers.values()) {
                List<CloudWatchLogsCommittable> cut = b.cut(41, 0, sequence, now);
                sequence += cut.size();
                out.addAll(cut);
            }
            buffers.clear();
            return out;
        }

        @Override
        public long pooled() {
            return pool.pooledBytes();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("steady")) {
            for (int run = 0; run < 2; run++) {
                steady("list", new ListArm());
                steady("arena", new ArenaArm());
            }
            return;
        }
        for (int run = 0; run <= RUNS; run++) { // run 0 warms the JIT
            for (String arm : new String[] {"list", "arena"}) {
                measure(arm, arm.equals("list") ? new ListArm() : new ArenaArm(), run > 0);
            }
        }
    }

    /** Inputs as the keyed stage sends them: the message as its own UTF-8 array, one source id instance per stream. */
    private static List<CloudWatchEvent> inputs(long first, long t0, String[] sources) {
        List<CloudWatchEvent> in = new ArrayList<>(EVENTS);
        for (long i = first; i < first + EVENTS; i++) {
            int s = (int) (i % HeldEventsLoad.STREAMS);
            byte[] utf8 = HeldEventsLoad.message(s, i).getBytes(StandardCharsets.UTF_8);
            in.add(CloudWatchEvent.ofUtf8(
                    HeldEventsLoad.GROUP, "stream-" + s, t0 + i / 25, utf8, sources[s], i * 180, null));
        }
        return in;
    }

    private static void measure(String name, Arm arm, boolean print) throws Exception {
        String[] sources = new String[HeldEventsLoad.STREAMS];
        for (int s = 0; s < sources.length; s++) {
            sources[s] = "node/var/log/pods/shop_orders/" + s;
        }
        long t0 = System.currentTimeMillis();
        long id = Thread.currentThread().getId();
        long[] m = new long[6];
        List<CloudWatchLogsCommittable> held = null;
        for (int interval = 0; interval < 2; interval++) {
            // the arena's pool counts as held: the buffers take their arrays from it
            long before = usedAfterGc() - arm.pooled();
            List<CloudWatchEvent> in = inputs((long) interval * EVENTS, t0, sources);
            long a0 = THREADS.getThreadAllocatedBytes(id);
            long c0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < in.size(); i++) {
                CloudWatchEvent e = in.get(i);
                arm.write(e, e.sourceId);
                in.set(i, null); // the writer's input is not held once written
            }
            long a1 = THREADS.getThreadAllocatedBytes(id);
            long c1 = THREADS.getCurrentThreadCpuTime();
            in = null;
            long live = usedAfterGc() - before;
            long a2 = THREADS.getThreadAllocatedBytes(id);
            long c2 = THREADS.getCurrentThreadCpuTime();
            held = arm.cut(t0 + interval);
            long a3 = THREADS.getThreadAllocatedBytes(id);
            long c3 = THREADS.getCurrentThreadCpuTime();
            m = new long[] {a1 - a0, c1 - c0, a3 - a2, c3 - c2, live, held.size()};
        }
        Reference.reachabilityFence(held);
        if (print) {
            double n = EVENTS;
            System.out.printf(
                    Locale.ROOT,
                    "%-6s per event: buffer %7.1f B allocated %6.0f ns CPU; cut %7.1f B allocated %6.0f ns CPU;"
                            + " live heap before the cut %7.1f B (%d events, %d committables); load %s%n",
                    name,
                    m[0] / n,
                    m[1] / n,
                    m[2] / n,
                    m[3] / n,
                    m[4] / n,
                    EVENTS,
                    m[5],
                    load());
        }
    }

    /**
     * {@code -Dsteady.seconds} (default 40) of {@link HeldEventsLoad#RATE} events/s in 100 ms ticks into the arm,
     * cut every {@link HeldEventsLoad#CHECKPOINT_MILLIS} and the committables held until the next cut (committed then),
     * after 10 s of warm-up; prints GC elapsed time, the VM thread's CPU (the serial collector's) and the process CPU.
     */
    private static void steady(String name, Arm arm) throws Exception {
        long seconds = Long.getLong("steady.seconds", 40);
        String[] sources = new String[HeldEventsLoad.STREAMS];
        for (int s = 0; s < sources.length; s++) {
            sources[s] = "node/var/log/pods/shop_orders/" + s;
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int perTick = HeldEventsLoad.RATE / 10;
        long start = System.currentTimeMillis();
        long measureFrom = start + 10_000;
        long end = measureFrom + seconds * 1000;
        long nextCheckpoint = start + HeldEventsLoad.CHECKPOINT_MILLIS;
        long produced = 0;
        List<CloudWatchLogsCommittable> pending = List.of();
        long[] at = null;
        for (long tick = start; tick < end; tick += 100) {
            if (at == null && tick >= measureFrom) {
                at = new long[] {
                    HeldEventsLoad.gcMillis(),
                    HeldEventsLoad.gcCount(),
                    os.getProcessCpuTime(),
                    System.nanoTime(),
                    HeldEventsLoad.vmThreadTicks()
                };
            }
            for (long i = produced; i < produced + perTick; i++) {
                int s = (int) (i % HeldEventsLoad.STREAMS);
                byte[] utf8 = HeldEventsLoad.message(s, i).getBytes(StandardCharsets.UTF_8);
                arm.write(
                        CloudWatchEvent.ofUtf8(
                                HeldEventsLoad.GROUP, "stream-" + s, start + i / 25, utf8, sources[s], i * 180, null),
                        sources[s]);
            }
            produced += perTick;
            if (tick >= nextCheckpoint) {
                pending = arm.cut(tick); // the previous interval's committables are committed and dropped
                nextCheckpoint += HeldEventsLoad.CHECKPOINT_MILLIS;
            }
            long wait = tick + 100 - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
        }
        Reference.reachabilityFence(pending);
        double wall = (System.nanoTime() - at[3]) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "steady %-6s %d events/s for %.0f s: GC %.4f cores elapsed, VM thread %.4f cores CPU (%d collections),"
                        + " process CPU %.3f cores; load %s%n",
                name,
                HeldEventsLoad.RATE,
                wall,
                (HeldEventsLoad.gcMillis() - at[0]) / 1000.0 / wall,
                (HeldEventsLoad.vmThreadTicks() - at[4]) / 100.0 / wall,
                HeldEventsLoad.gcCount() - at[1],
                (os.getProcessCpuTime() - at[2]) / 1e9 / wall,
                load());
    }

    private static long usedAfterGc() {
        System.gc();
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
