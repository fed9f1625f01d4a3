package dev.kubelogs.bench;

import dev.kubelogs.job.JobCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code ./pipeline bench}'s options of the collector-alone runs at fixed rates and of the tail throughput. */
final class CollectorOptions {
    @Option(
            names = "--collector-rates",
            split = ",",
            defaultValue = "1000,10000,50000",
            description = "Lines/s for the collector-alone runs (default: ${DEFAULT-VALUE}).")
    List<Double> collectorRates;

    @Option(
            names = "--collector-duration",
            defaultValue = "45s",
            converter = JobCommand.DurationConverter.class,
            description = "Length of each collector-alone run (default: ${DEFAULT-VALUE}).")
    Duration collectorDuration;

    @Option(
            names = "--tail-lines",
            defaultValue = "1000000",
            description = "Lines of the tail-throughput file (default: ${DEFAULT-VALUE}).")
    int tailLines;

    void applyQuick() {
        collectorRates = List.of(500.0, 2000.0);
        collectorDuration = Duration.ofSeconds(6);
        tailLines = 50_000;
    }

    /** One collector process alone at each rate (no job: the spool is emptied as the job would), into the report. */
    void runRates(EndToEnd.Spec base, Path repo, Path work, Report report, PrintStream out) throws Exception {
        List<EndToEndResult> rs = new ArrayList<>();
        for (double r : collectorRates) {
            EndToEnd.Spec s = base.collectorAlone(
                    "collector-" + (long) r,
                    r,
                    collectorDuration,
                    Duration.ofSeconds(Math.min(10, collectorDuration.toSeconds() / 3)),
                    work.resolve("collector"));
            EndToEndResult res = EndToEnd.run(s, repo, out);
            rs.add(res);
            EndToEnd.say(
                    out,
                    "  %,8.0f lines/s: %.3f vCPU, RSS peak %.1f MB, steady %.1f MB (load %s)",
                    r,
                    res.collectorCores,
                    res.collectorPeakRssMb,
                    res.collectorSteadyRssMb,
                    res.loadAfter);
        }
        report.collectorRates(rs);
    }
}
