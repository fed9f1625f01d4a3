package dev.kubelogs.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Realistic raw lines for the microbenchmarks: Docker json-file and CRI container lines, ~250 B. */
final class Lines {
    private Lines() {}

    static String dockerJsonApp(long i) {
        return "{\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"msg\\\":\\\"order created\\\",\\\"orderId\\\":" + i
                + ",\\\"items\\\":3,\\\"totalCents\\\":12995,\\\"trace\\\":\\\"4bf92f3577b34da6a3ce929d0e0e4736\\\"}\\n\","
                + "\"stream\":\"stdout\",\"time\":\"2024-05-01T10:00:00." + String.format("%09d", i % 1_000_000_000L)
                + "Z\"}";
    }

    static String dockerText(long i) {
        return "{\"log\":\"INFO  [http-nio-8080-exec-7] c.e.orders.OrderController - order accepted id=" + i
                + " customer=42 items=3 total=129.95 currency=USD latency_ms=12 trace=4bf92f3577b34da6a3ce929d0e0e4736\\n\","
                + "\"stream\":\"stdout\",\"time\":\"2024-05-01T10:00:00." + String.format("%09d", i % 1_000_000_000L)
                + "Z\"}";
    }

    static String cri(long i) {
        return "2024-05-01T10:00:00." + String.format("%09d", i % 1_000_000_000L) + "Z stdout F 10.0.1." + (i % 250)
                + " - - [01/May/2024:10:00:00 +0000] \"GET /api/orders/" + i
                + " HTTP/1.1\" 200 5120 \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\" rt=0.012";
    }

    /** A mix: mostly single lines, {@code traceShare} of the lines in Java stack traces of 10–20 frames. */
    static List<String> mixedDocker(int n, double traceShare, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(n);
        long i = 0;
        double startP = traceShare / 16;
        while (out.size() < n) {
            if (r.nextDouble() < startP) {
                out.add(dockerLog("java.lang.IllegalStateException: order " + i + " failed", i));
                int frames = 10 + r.nextInt(11);
                for (int f = 0; f < frames && out.size() < n; f++) {
                    out.add(dockerLog(
                            "\\tat com.example.orders.Service" + f + ".call(Service.java:" + (40 + f) + ")", i));
                }
            } else {
                out.add(r.nextBoolean() ? dockerJsonApp(i) : dockerText(i));
            }
            i++;
        }
        return out;
    }

    static String dockerLog(String escapedText, long i) {
        return "{\"log\":\"" + escapedText + "\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-01T10:00:00."
                + String.format("%09d", i % 1_000_000_000L) + "Z\"}";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
