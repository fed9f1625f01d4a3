package dev.kubelogs.bench.jmh;

import dev.kubelogs.job.parse.ContainerLine;
import dev.kubelogs.job.parse.ContainerLineParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Docker json-file / CRI parsing of one container line (ContainerLineParser), ~250 B lines. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParseBench {
    @Param({"docker", "docker-json-log", "cri"})
    public String format;

    private byte[] line;

    @Setup
    public void setup() {
        line = Lines.utf8(
                format.equals("cri")
                        ? Lines.cri(12345)
                        : format.equals("docker") ? Lines.dockerText(12345) : Lines.dockerJsonApp(12345));
    }

    @Benchmark
    public ContainerLine parse() {
        return ContainerLineParser.parse(line);
    }
}
