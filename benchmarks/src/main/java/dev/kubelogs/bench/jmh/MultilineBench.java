package dev.kubelogs.bench.jmh;

import dev.kubelogs.job.merge.StreamBuffer;
import dev.kubelogs.job.multiline.BuiltInRuleSets;
import dev.kubelogs.job.multiline.MultilineJoiner;
import dev.kubelogs.job.parse.ContainerLine;
import dev.kubelogs.job.parse.ContainerLineParser;
import dev.kubelogs.job.parse.LineRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The multiline state machine (MultilineJoiner with the java/python/go rule sets) on parsed Docker lines: a mix
 * where {@code traceShare} of the lines belong to Java stack traces. Parsing is done in setup: this is the joiner alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MultilineBench {
    static final int LINES = 10_000;

    @Param({"0.0", "0.05", "0.3"})
    public double traceShare;

    private ContainerLine[] parsed;
    private final MultilineJoiner joiner = new MultilineJoiner(BuiltInRuleSets.DEFAULT_APPLICATION, 2 << 20);
    private long emitted;
    private final MultilineJoiner.Output out = (LineRecord record, long t, long o, boolean truncated) -> emitted++;

    @Setup
    public void setup() {
        List<String> lines = Lines.mixedDocker(LINES, traceShare, 3);
        parsed = new ContainerLine[lines.size()];
        for (int i = 0; i < parsed.length; i++) {
            parsed[i] = ContainerLineParser.parse(Lines.utf8(lines.get(i)));
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long join() throws Exception {
        StreamBuffer b = new StreamBuffer();
        long offset = 0;
        for (ContainerLine l : parsed) {
            joiner.finalPiece(b, l.format(), l.record(), l.log(), l.timeMillis(), offset, out);
            offset += 250;
        }
        joiner.flushAll(b, out);
        return emitted;
    }
}
