package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * Many writers and readers at once on a persistent endpoint: nothing lost or duplicated, order kept per stream,
 * one line on disk per stored event, and the same after a restart. Prints the throughput it saw.
 */
class ConcurrencyTest {
    static final int THREADS = 8;
    static final int PUTS_PER_THREAD = 40;
    static final int EVENTS_PER_PUT = 250;
    static final int STREAMS = 4;

    @TempDir
    Path dir;

    @Test
    void parallelWritersAndReaders() throws Exception {
        SettableClock clock = new SettableClock(EndpointTestBase.NOW);
        long now = EndpointTestBase.NOW_MS;
        long stored;
        try (LocalCloudWatchLogs cw =
                        LocalCloudWatchLogs.builder().dataDir(dir).clock(clock).start();
                CloudWatchLogsClient logs = EndpointTestBase.client(cw.endpoint(), c -> {})) {
            logs.createLogGroup(b -> b.logGroupName("g"));
            for (int s = 0; s < STREAMS; s++) {
                String stream = "s" + s;
                logs.createLogStream(b -> b.logGroupName("g").logStreamName(stream));
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
            try {
                List<Future<?>> writers = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    writers.add(pool.submit(() -> {
                        Random random = new Random(thread);
                        for (int p = 0; p < PUTS_PER_THREAD; p++) {
                            String stream = "s" + ((thread + p) % STREAMS);
                            List<InputLogEvent> events = new ArrayList<>(EVENTS_PER_PUT);
                            long ts = now - random.nextInt(3_600_000);
                            for (int i = 0; i < EVENTS_PER_PUT; i++) {
                                ts += random.nextInt(5);
                                events.add(EndpointTestBase.ev(ts, thread + "/" + p + "/" + i + " " + "x".repeat(100)));
                            }
                            logs.putLogEvents(b ->
                                    b.logGroupName("g").logStreamName(stream).logEvents(events));
                        }
                    }));
                }
                Future<Integer> reader =
                        pool.submit(() -> {
                            int reads = 0;
                            while (!writers.stream().allMatch(Future::isDone)) {
                                List<Long> ts = logs
                                        .getLogEvents(b -> b.logGroupName("g")
                                                .logStreamName("s0")
                                                .limit(500))
                                        .events()
                                        .stream()
                                        .map(e -> e.timestamp())
                                        .toList();
                                assertThat(ts).isSorted();
                                reads++;
                            }
                            return reads;
                        });
                for (Future<?> w : writers) {
                    w.get();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                int total = THREADS * PUTS_PER_THREAD * EVENTS_PER_PUT;
                System.out.printf(
                        "ConcurrencyTest: %d PutLogEvents (%d events of ~110 B) from %d threads in %.2f s:"
                                + " %.0f calls/s, %.0f events/s, persistent store, %d concurrent reads%n",
                        THREADS * PUTS_PER_THREAD,
                        total,
                        THREADS,
                        seconds,
                        THREADS * PUTS_PER_THREAD / seconds,
                        total / seconds,
                        reader.get());
            } finally {
                pool.shutdown();
            }
            stored = cw.eventCount();
            assertThat(stored).isEqualTo((long) THREADS * PUTS_PER_THREAD * EVENTS_PER_PUT);
            for (int s = 0; s < STREAMS; s++) {
                List<StoredEvent> events = cw.events("g", "s" + s);
                assertThat(events).extracting(StoredEvent::timestamp).isSorted();
                assertThat(events).extracting(StoredEvent::message).doesNotHaveDuplicates();
                assertThat(lines(dir.resolve("g").resolve("s" + s + ".jsonl"))).isEqualTo(events.size());
            }
        }
        try (LocalCloudWatchLogs again =
                LocalCloudWatchLogs.builder().dataDir(dir).clock(clock).start()) {
            assertThat(again.eventCount()).isEqualTo(stored);
            List<StoredEvent> s1 = again.events("g", "s1");
            assertThat(s1).isSortedAccordingTo(Comparator.comparingLong(StoredEvent::timestamp));
        }
    }

    private static long lines(Path file) throws IOException {
        try (var l = Files.lines(file)) {
            return l.count();
        }
    }
}
