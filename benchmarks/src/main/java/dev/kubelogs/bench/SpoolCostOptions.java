package dev.kubelogs.bench;

import dev.kubelogs.job.JobCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code ./pipeline bench}'s options of the S3 spool's cost run, and the run. */
final class SpoolCostOptions {
    @Option(
            names = "--spool-cost-rate",
            defaultValue = "100",
            description =
                    "spool-cost: lines/s per generated node (default: ${DEFAULT-VALUE}, the issue's 100 lines/s of "
                            + "~300 B).")
    double spoolCostRate;

    @Option(
            names = "--spool-cost-line-size",
            defaultValue = "fixed:300",
            description = "spool-cost: line sizes, as --line-size (default: ${DEFAULT-VALUE}).")
    String spoolCostLineSize;

    @Option(
            names = "--spool-cost-duration",
            defaultValue = "4m",
            converter = JobCommand.DurationConverter.class,
            description = "spool-cost: generation time (default: ${DEFAULT-VALUE}).")
    Duration spoolCostDuration;

    @Option(
            names = "--spool-cost-warmup",
            defaultValue = "60s",
            converter = JobCommand.DurationConverter.class,
            description = "spool-cost: left out of the request count and the latency (default: ${DEFAULT-VALUE}).")
    Duration spoolCostWarmup;

    @Option(
            names = "--spool-cost-nodes",
            defaultValue = "10",
            description =
                    "spool-cost: generated busy nodes, one collector process each (default: ${DEFAULT-VALUE}: the "
                            + "cluster whose per-node share the report gives as measured; the checkpoints' requests depend on "
                            + "the whole spool's rate, since they come less often while it is quiet).")
    int spoolCostNodes;

    @Option(
            names = "--spool-cost-idle-nodes",
            defaultValue = "1",
            description =
                    "spool-cost: collectors of nodes that write nothing, beside --nodes (default: ${DEFAULT-VALUE}).")
    int spoolCostIdleNodes;

    @Option(
            names = "--spool-cost-set",
            paramLabel = "KEY=VALUE",
            description = "spool-cost: run with a setting other than the shipped one: job-flag=V (a job argument, "
                    + "e.g. discovery-interval=2s), a Flink key as flinkConfiguration names it (e.g. "
                    + "execution.checkpointing.interval=3s) or COLLECTOR_ENV=V; repeatable. The report names them.")
    Map<String, String> spoolCostSet = new java.util.LinkedHashMap<>();

    /** The run at the deployment's settings (or the ones {@code --spool-cost-set} names); false when it lost lines. */
    boolean run(EndToEnd.Spec base, Path repo, Path resultsDir, Path work, PrintStream out) throws Exception {
        EndToEnd.say(
                out,
                "== spool cost: %d node(s) × %,.0f lines/s + %d idle, spool and checkpoints on a counting S3 "
                        + "endpoint, the deployment's settings",
                spoolCostNodes,
                spoolCostRate,
                spoolCostIdleNodes);
        EndToEndResult r = SpoolCost.run(
                base.withRun(
                                "spool-cost",
                                spoolCostRate,
                                spoolCostDuration,
                                spoolCostWarmup,
                                LineSizes.parse(spoolCostLineSize),
                                work.resolve("spool-cost"))
                        .withNodes(spoolCostNodes),
                spoolCostSet,
                spoolCostIdleNodes,
                repo,
                resultsDir,
                out);
        return r.clean();
    }
}
