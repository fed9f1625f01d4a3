package dev.kubelogs.job.sink.cloudwatch;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The events the sink holds between its writer and their commit, as a TaskManager holds them at 25,000 lines/s:
 * Container Insights-like messages of ~1 KB (a per-stream kubernetes block at the end) in 100 streams.
 *
 * <ul>
 *   <li>{@link #held}: bytes allocated per event to cut the writer's buffers into committables and write them for the
 *       first snapshot (the task thread), bytes allocated per event to build their put bodies (a committer thread),
 *       and the live heap per held committed-to-be event after a {@code System.gc()}.
 *   <li>{@link #steady}: {@code -Dsteady.seconds} (default 60) of 25,000 events/s paced in 100 ms ticks: buffered
 *       per stream, cut and snapshotted every 5 s (the checkpoint interval), put and dropped at the next checkpoint;
 *       prints GC time per second from the {@link GarbageCollectorMXBean}s and the process's CPU (run it with
 *       {@code -XX:+UseSerialGC -Xmx1128m}, as a TaskManager).
 * </ul>
 */
final class HeldEventsLoad {
    static final String GROUP = "/aws/containerinsights/prod/application";
    static final int STREAMS = 100;
    static final int HELD_EVENTS = 200_000;
    static final int RATE = 25_000;
    static final long CHECKPOINT_MILLIS = 5_000;
    private static final String TEXT =
            "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ".repeat(8);

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final CloudWatchLogsCommittableSerializer SERIALIZER = new CloudWatchLogsCommittableSerializer();

    private HeldEventsLoad() {}

    /** The message of event {@code i} of stream {@code s}: ~1 KB, the last ~520 bytes the stream's own. */
    static String message(int s, long i) {
        int from = (int) (i % 97);
        return "{\"log\":\"2026-12-04T10:00:00.123Z INFO  [orders] request " + (s * 7919L + i) + " served in "
                + (i % 97) + " ms " + TEXT.substring(from, from + 420) + "\",\"stream\":\"stdout\""
                + kubernetes(s);
    }

    private static String kubernetes(int s) {
        return ",\"kubernetes\":{\"pod_name\":\"orders-" + s + "-7d9f\",\"namespace_name\":\"shop\",\"pod_id\":\"4f1c"
                + "0b1e-1d2a-4c43-9a7e-2f8b6c1d0e5a\",\"host\":\"ip-10-0-1-10.ec2.internal\",\"container_name\":\"orders\","
                + "\"docker_id\":\"" + "ab".repeat(32) + "\",\"container_hash\":\"repo/orders@sha256:" + "cd".repeat(32)
                + "\",\"container_image\":\"repo/orders:1.4.2\",\"labels\":{\"app\":\"orders\",\"pod-template-hash\":"
                + "\"7d9f\"}}}";
    }

    /** {@code events} events spread over the streams' buffers, timestamps from {@code t0}. */
    static List<List<SinkEvent>> buffers(int events, long first, long t0) {
        List<List<SinkEvent>> buffers = new ArrayList<>();
        for (int s = 0; s < STREAMS; s++) {
            buffers.add(new ArrayList<>());
        }
        for (long i = first; i < first + events; i++) {
            int s = (int) (i % STREAMS);
            buffers.get(s)
                    .add(new SinkEvent(t0 + i / 25, message(s, i), "node/var/log/pods/shop_orders/" + s, i * 180));
        }
        return buffers;
    }

    /** What the writer does at a barrier and the committer's first snapshot of it. */
    static List<CloudWatchLogsCommittable> cutAndSnapshot(List<List<SinkEvent>> buffers, long sequence, long now)
            throws IOException {
        List<CloudWatchLogsCommittable> out = new ArrayList<>();
        for (int s = 0; s < buffers.size(); s++) {
            for (List<SinkEvent> batch : BatchCutter.cut(buffers.get(s))) {
                CloudWatchLogsCommittable c =
                        new CloudWatchLogsCommittable(GROUP, "stream-" + s, 41, 0, sequence++, now, batch);
                SERIALIZER.serialize(c);
                out.add(c);
            }
        }
        return out;
    }

    /** The put body of every committable, each written over the previous one's array; returns the bytes. */
    static long putBodies(List<CloudWatchLogsCommittable> committables) {
        byte[] spare = null;
        long bytes = 0;
        for (CloudWatchLogsCommittable c : committables) {
            List<Integer> pending = new ArrayList<>(c.eventCount());
            for (int i = 0; i < c.eventCount(); i++) {
                pending.add(i);
            }
            PutLogEventsBody body =
                    PutLogEventsBody.of(c.logGroup(), c.logStream(), c.arena().slices(), pending, spare);
            bytes += body.length();
            spare = body.buffer();
        }
        return bytes;
    }

    static void held(boolean print) throws IOException {
        long id = Thread.currentThread().getId();
        long before = usedAfterGc();
        List<List<SinkEvent>> buffers = buffers(HELD_EVENTS, 0, System.currentTimeMillis());
        long b0 = THREADS.getThreadAllocatedBytes(id);
        List<CloudWatchLogsCommittable> held = cutAndSnapshot(buffers, 0, System.currentTimeMillis());
        long b1 = THREADS.getThreadAllocatedBytes(id);
        buffers = null;
        long live = usedAfterGc() - before;
        long b2 = THREADS.getThreadAllocatedBytes(id);
        long bodyBytes = putBodies(held);
        long b3 = THREADS.getThreadAllocatedBytes(id);
        Reference.reachabilityFence(held);
        if (print) {
            double n = HELD_EVENTS;
            System.out.printf(
                    Locale.ROOT,
                    "held       per event: cut + first snapshot %7.1f bytes allocated; put body %7.1f bytes allocated"
                            + " (%.1f body bytes); live heap %7.1f bytes per held event (%d events, %d committables);"
                            + " load %s%n",
                    (b1 - b0) / n,
                    (b3 - b2) / n,
                    bodyBytes / n,
                    live / n,
                    HELD_EVENTS,
                    held.size(),
                    load());
        }
    }

    static void steady() throws IOException, InterruptedException {
        long seconds = Long.getLong("steady.seconds", 60);
        long warmupMillis = 10_000;
        int perTick = RATE / 10;
        long start = System.currentTimeMillis();
        long nextCheckpoint = start + CHECKPOINT_MILLIS;
        long measureFrom = start + warmupMillis;
        long end = measureFrom + seconds * 1000;
        List<List<SinkEvent>> buffers = buffers(0, 0, start);
        Deque<List<CloudWatchLogsCommittable>> pending = new ArrayDeque<>();
        long produced = 0;
        long sequence = 0;
        long bodyBytes = 0;
        long[] at = null;
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (long tick = start; tick < end; tick += 100) {
            if (at == null && tick >= measureFrom) {
                at = new long[] {gcMillis(), gcCount(), os.getProcessCpuTime(), System.nanoTime(), vmThreadTicks()};
            }
            List<List<SinkEvent>> more = buffers(perTick, produced, start);
            for (int s = 0; s < STREAMS; s++) {
                buffers.get(s).addAll(more.get(s));
            }
            produced += perTick;
            if (tick >= nextCheckpoint) {
                List<CloudWatchLogsCommittable> cut = cutAndSnapshot(buffers, sequence, tick);
                sequence += cut.size();
                buffers = buffers(0, 0, start);
                for (List<CloudWatchLogsCommittable> waiting : pending) {
                    for (CloudWatchLogsCommittable c : waiting) {
                        SERIALIZER.serialize(c); // snapshotted again until committed
                    }
                }
                pending.add(cut);
                if (pending.size() > 1) {
                    bodyBytes += putBodies(pending.removeFirst()); // committed once the next checkpoint completes
                }
                nextCheckpoint += CHECKPOINT_MILLIS;
            }
            long wait = tick + 100 - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
        }
        double wall = (System.nanoTime() - at[3]) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "steady     %d events/s for %.0f s: GC %.4f cores elapsed, VM thread %.4f cores CPU (%d collections, %.1f per s), process CPU %.3f cores"
                        + " (%d body bytes); heap after run %d MB; load %s%n",
                RATE,
                wall,
                (gcMillis() - at[0]) / 1000.0 / wall,
                (vmThreadTicks() - at[4]) / 100.0 / wall,
                gcCount() - at[1],
                (gcCount() - at[1]) / wall,
                (os.getProcessCpuTime() - at[2]) / 1e9 / wall,
                bodyBytes,
                usedAfterGc() >> 20,
                load());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            System.out.printf(
                    Locale.ROOT,
                    "           %s: %d collections, %d ms%n",
                    gc.getName(),
                    gc.getCollectionCount(),
                    gc.getCollectionTime());
        }
    }

    /**
     * CPU clock ticks (1/100 s) of the JVM's VM thread, which runs every collection of the serial collector: its GC CPU
     * (the beans' collection times are elapsed time, which a loaded machine stretches).
     */
    static long vmThreadTicks() throws IOException {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                if (Files.readString(task.resolve("comm")).trim().equals("VM Thread")) {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                }
            }
        }
        throw new IllegalStateException("no VM Thread in /proc/self/task");
    }

    static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += gc.getCollectionTime();
        }
        return ms;
    }

    static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += gc.getCollectionCount();
        }
        return n;
    }

    static long usedAfterGc() {
        System.gc();
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
