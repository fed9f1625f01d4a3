package dev.kubelogs.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code ./pipeline bench}'s options of the sink-alone runs, and the runs. */
final class SinkOptions {
    @Option(
            names = "--sink-events",
            defaultValue = "2000000",
            description = "Events through the sink-alone run (default: ${DEFAULT-VALUE}).")
    long sinkEvents;

    @Option(
            names = "--sink-rate",
            defaultValue = "20000",
            description = "Paced events/s of the sink's latency run (40 s of events) (default: ${DEFAULT-VALUE}).")
    double sinkRate;

    @Option(
            names = "--sink-topology",
            defaultValue = "chained",
            description =
                    "chained: generator and sink in one chain, as production chains each sink to the node processor; keyed: "
                            + "keyBy(stream) before the sink, as a library user would (default: ${DEFAULT-VALUE}).")
    String sinkTopology;

    @Option(
            names = "--sink-event-shape",
            defaultValue = "container-insights",
            description =
                    "container-insights: ~725 B application events with the container's kubernetes block, as production "
                            + "sends; synthetic: the ~250 B events of earlier runs (default: ${DEFAULT-VALUE}).")
    String sinkEventShape;

    @Option(
            names = "--sink-warmup-events",
            defaultValue = "1000000",
            description =
                    "Events of an unreported run before the sink's measured runs, so they run JIT-warm like a long-running "
                            + "job; 0 = none (default: ${DEFAULT-VALUE}).")
    long sinkWarmupEvents;

    void applyQuick() {
        sinkEvents = 20_000;
        sinkWarmupEvents = Math.min(sinkWarmupEvents, 5_000);
        sinkRate = 1000;
    }

    /** Warm-up (one line), then the unpaced and the paced run of the sink alone, into the report. */
    void run(Duration checkpointInterval, String stateBackend, Path work, Report report, PrintStream out)
            throws Exception {
        SinkBench.Spec unpaced = new SinkBench.Spec(
                sinkEvents,
                0,
                checkpointInterval,
                stateBackend,
                SinkBench.Topology.parse(sinkTopology),
                SinkBench.Shape.parse(sinkEventShape),
                work);
        EndToEnd.say(
                out,
                "== sink alone: %,d events through CloudWatchLogsSink (exactly-once, checkpoints every %s, %s topology, endpoint in its own JVM)",
                sinkEvents,
                checkpointInterval,
                unpaced.topology());
        String warmUp = sinkWarmupEvents > 0 ? SinkBench.warmUp(unpaced.withEvents(sinkWarmupEvents), out) : null;
        SinkBench.Result fast = SinkBench.run(unpaced, out);
        SinkBench.Result paced =
                SinkBench.run(unpaced.withEvents((long) (sinkRate * 40)).withRate(sinkRate), out);
        fast.warmUp = warmUp;
        paced.warmUp = warmUp;
        report.sink(fast, paced);
    }
}
