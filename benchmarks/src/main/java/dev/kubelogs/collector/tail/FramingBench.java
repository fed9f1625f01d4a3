package dev.kubelogs.collector.tail;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The collector's line framing: TailReader's SWAR newline scan over a 64 KiB read buffer of ~300 B Docker lines (in
 * this package because the scan is package-private). Per line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FramingBench {
    private byte[] buf;
    private int lines;
    static final int EXPECTED_LINES = 226;

    @Setup
    public void setup() {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (true) {
            String l = "{\"log\":\"INFO  [http-nio-8080-exec-7] c.e.orders.OrderController - order accepted id=" + i
                    + " customer=42 items=3 total=129.95 currency=USD latency_ms=12 trace=4bf92f3577b34da6a3ce929d0e0e4736 "
                    + "x".repeat(40) + "\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-01T10:00:00.123456789Z\"}\n";
            if (b.length() + l.length() > 64 * 1024) {
                break;
            }
            b.append(l);
            i++;
        }
        buf = b.toString().getBytes(StandardCharsets.UTF_8);
        lines = i;
        if (lines != EXPECTED_LINES) {
            throw new IllegalStateException("adjust EXPECTED_LINES to " + lines);
        }
    }

    @Benchmark
    @OperationsPerInvocation(EXPECTED_LINES)
    public int frame() {
        int s = 0;
        int n = 0;
        while (true) {
            int nl = TailReader.indexOfNewline(buf, s, buf.length);
            if (nl < 0) {
                return n;
            }
            n++;
            s = nl + 1;
        }
    }
}
