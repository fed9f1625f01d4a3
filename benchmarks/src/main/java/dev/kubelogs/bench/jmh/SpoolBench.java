package dev.kubelogs.bench.jmh;

import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.Segment;
import dev.kubelogs.spool.SegmentHeader;
import dev.kubelogs.spool.SegmentReader;
import dev.kubelogs.spool.SegmentWriter;
import dev.kubelogs.spool.SourceKind;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Spool segment encode (SegmentWriter) and validating decode (SegmentReader), per line of ~250 B. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpoolBench {
    static final int LINES = 10_000;
    private byte[][] lines;
    private byte[] segment;
    private final FileRef file =
            new FileRef("/var/log/containers/orders_shop_orders-0123.log", 2049, 1234, 0, SourceKind.CONTAINER);
    private final SegmentHeader header = new SegmentHeader(
            "prod", "ip-10-0-1-10", 7, 1_700_000_000_000L, Map.of("az", "us-west-2a", "ec2_instance_id", "i-0abc"));

    @Setup
    public void setup() throws Exception {
        lines = new byte[LINES][];
        for (int i = 0; i < LINES; i++) {
            lines[i] = Lines.utf8(i % 2 == 0 ? Lines.dockerText(i) : Lines.cri(i));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 << 20);
        encode(out);
        segment = out.toByteArray();
    }

    private void encode(OutputStream out) throws Exception {
        SegmentWriter w = new SegmentWriter(out, header);
        int id = w.declareFile(file, 0);
        w.readTime(1_700_000_000_100L);
        for (byte[] l : lines) {
            w.line(id, l, 0, l.length, 0);
        }
        w.finish();
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long write() throws Exception {
        Counting out = new Counting();
        encode(out);
        return out.n;
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public int read() throws Exception {
        Segment s = SegmentReader.parse(segment);
        return s.entries().size();
    }

    /** A sink that only counts (the write benchmark measures encoding + CRC, not a disk). */
    static final class Counting extends OutputStream {
        long n;

        @Override
        public void write(int b) {
            n++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            n += len;
        }
    }
}
