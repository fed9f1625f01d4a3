package dev.kubelogs.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs the JMH benchmarks of {@code dev.kubelogs.bench.jmh} (and the framing one) in this JVM's classpath. */
public final class Jmh {
    private Jmh() {}

    public record Row(String benchmark, String params, String mode, double score, double error, String unit) {}

    public static List<Row> run(String args, Path resultsDir, PrintStream out) throws Exception {
        String[] a = args.trim().isEmpty() ? new String[0] : args.trim().split("\\s+");
        CommandLineOptions cli = new CommandLineOptions(a);
        OptionsBuilder b = new OptionsBuilder();
        b.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            b.include("dev\\.kubelogs\\..*");
        }
        Options opts = b.resultFormat(ResultFormatType.JSON)
                .result(resultsDir.resolve("jmh.json").toString())
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        List<Row> rows = new ArrayList<>();
        for (RunResult rr : results) {
            Result<?> pr = rr.getPrimaryResult();
            StringBuilder params = new StringBuilder();
            for (String k : rr.getParams().getParamsKeys()) {
                params.append(params.length() == 0 ? "" : ", ")
                        .append(k)
                        .append('=')
                        .append(rr.getParams().getParam(k));
            }
            String name = rr.getParams()
                    .getBenchmark()
                    .replace("dev.kubelogs.bench.jmh.", "")
                    .replace("dev.kubelogs.", "");
            rows.add(new Row(
                    name,
                    params.toString(),
                    rr.getParams().getMode().shortLabel(),
                    pr.getScore(),
                    pr.getScoreError(),
                    pr.getScoreUnit()));
        }
        return rows;
    }

    /** For the report: an ops/s score where one op is one line/event, as lines per second per core (one thread). */
    static Map<String, String> notes() {
        return Map.of();
    }
}
