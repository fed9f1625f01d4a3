package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server throughput with a light client (JDK HttpClient sending pre-built PutLogEvents bodies, 4 threads, one
 * stream each). Opt-in, bounded, loopback only:
 * {@code mvn -B -q -pl cloudwatch-local install -Dtest=ThroughputBenchmarkTest -Dcwlocal.bench=true}.
 */
@EnabledIfSystemProperty(named = "cwlocal.bench", matches = "true")
class ThroughputBenchmarkTest {
    static final int THREADS = 4;

    @TempDir
    Path dir;

    @Test
    void putLogEventsThroughput() throws Exception {
        run(null, 10, 4_000, "warm-up");
        run(null, 10, 10_000, "memory, 10 events/call");
        run(dir.resolve("small"), 10, 10_000, "disk,   10 events/call");
        run(null, 5_000, 200, "memory, 5000 events/call");
        run(dir.resolve("large"), 5_000, 200, "disk,   5000 events/call");
    }

    private void run(Path data, int eventsPerCall, int calls, String label) throws Exception {
        try (LocalCloudWatchLogs cw = LocalCloudWatchLogs.start(0, data)) {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI root = cw.endpoint().resolve("/");
            send(http, root, "CreateLogGroup", "{\"logGroupName\":\"g\"}");
            for (int s = 0; s < THREADS; s++) {
                send(http, root, "CreateLogStream", "{\"logGroupName\":\"g\",\"logStreamName\":\"s" + s + "\"}");
            }
            long now = System.currentTimeMillis();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> futures = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int t = 0; t < THREADS; t++) {
                    StringBuilder b = new StringBuilder(
                            "{\"logGroupName\":\"g\",\"logStreamName\":\"s" + t + "\",\"logEvents\":[");
                    for (int i = 0; i < eventsPerCall; i++) {
                        b.append(i == 0 ? "" : ",")
                                .append("{\"timestamp\":")
                                .append(now)
                                .append(",\"message\":\"2026-03-10T12:00:00.000Z stdout F GET /api/v1/items 200 line ")
                                .append(i)
                                .append("\"}");
                    }
                    String body = b.append("]}").toString();
                    futures.add(pool.submit(() -> {
                        for (int c = 0; c < calls / THREADS; c++) {
                            send(http, root, "PutLogEvents", body);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(
                        "%-26s %6d calls in %5.2f s = %6.0f calls/s, %8.0f events/s%n",
                        label, calls, s, calls / s, (double) calls * eventsPerCall / s);
            } finally {
                pool.shutdown();
            }
            assertThat(cw.eventCount()).isEqualTo((long) calls / THREADS * THREADS * eventsPerCall);
        }
    }

    private static void send(HttpClient http, URI root, String op, String body) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(root)
                        .header("X-Amz-Target", "Logs_20140328." + op)
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(op + ": " + r.body());
        }
    }
}
