package dev.kubelogs.bench.chaos;

import dev.kubelogs.job.JobCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pipeline chaos}: the pipeline on a real multi-process Flink cluster under a seeded schedule of faults, then
 * every generated record counted by content. Exits 1 on any lost, duplicated, broken or unknown record.
 */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        description = "Chaos drill: collectors, the local endpoint and a local Flink cluster (ZooKeeper HA, 2 "
                + "TaskManagers), each its "
                + "own process, under kill -9, SIGTERM, endpoint faults and a savepoint upgrade; counts every line by "
                + "content.")
public final class ChaosMain implements Callable<Integer> {

    @Option(
            names = "--duration",
            defaultValue = "2m",
            converter = JobCommand.DurationConverter.class,
            description = "How long logs are written (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--nodes",
            defaultValue = "2",
            description = "Nodes, one collector process each (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--rate", defaultValue = "200", description = "Lines/s per node (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--faults",
            defaultValue = "all",
            description = "Fault kinds, comma-separated, or all: "
                    + "tm-kill, tm-lost, jm-kill, collector-kill, collector-term, throttle, 5xx, drop-answer, stall, "
                    + "savepoint-restore, spool-full (default: ${DEFAULT-VALUE}).")
    String faults;

    @Option(
            names = "--per-kind",
            defaultValue = "1",
            description = "Faults of each kind, each at a random moment (default: ${DEFAULT-VALUE}).")
    int perKind;

    @Option(
            names = "--tm-lost",
            defaultValue = "continue",
            converter = TmLostModeConverter.class,
            description = "When a TaskManager never comes back: continue (spare TaskManagers, the job goes on with the "
                    + "slots left) or wait (the job on all slots waits, its state reported, until a replacement joins "
                    + "30 s later) (default: ${DEFAULT-VALUE}).")
    TmLostMode tmLost;

    @Option(names = "--seed", description = "Seed of the schedule (default: random, printed).")
    Long seed;

    @Option(
            names = "--warmup",
            defaultValue = "20s",
            converter = JobCommand.DurationConverter.class,
            description = "No fault before this (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(
            names = "--quiet-tail",
            defaultValue = "15s",
            converter = JobCommand.DurationConverter.class,
            description = "No fault in this last part of the run (default: ${DEFAULT-VALUE}).")
    Duration quietTail;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "2s",
            converter = JobCommand.DurationConverter.class,
            description = "execution.checkpointing.interval of the cluster (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(
            names = "--taskmanager-memory",
            defaultValue = "768m",
            description = "taskmanager.memory.process.size (default: ${DEFAULT-VALUE}).")
    String taskManagerMemory;

    @Option(
            names = "--spool-max-bytes",
            defaultValue = "1048576",
            description = "Each collector's spool limit: a Flink outage fills it and the collector pauses (default: "
                    + "${DEFAULT-VALUE}).")
    long spoolMaxBytes;

    @Option(
            names = "--segment-max-bytes",
            defaultValue = "262144",
            description = "Each collector's segment size limit; at most half the spool limit (default: "
                    + "${DEFAULT-VALUE}).")
    long segmentMaxBytes;

    @Option(
            names = "--drain-timeout",
            defaultValue = "4m",
            converter = JobCommand.DurationConverter.class,
            description = "How long to wait for delivery after the last line (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(
            names = "--work-dir",
            defaultValue = ".pipeline/chaos",
            description = "Emptied first (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--report", description = "Also write the markdown report here (default: <work-dir>/report.md).")
    Path report;

    @Override
    public Integer call() throws Exception {
        if (segmentMaxBytes * 2 > spoolMaxBytes) {
            // the job keeps each node's newest segment; one at or above the spool limit pauses the collector for good
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "--segment-max-bytes " + segmentMaxBytes + " must be at most half of --spool-max-bytes "
                            + spoolMaxBytes);
        }
        Path repo = Path.of(System.getProperty("kubelogs.repo.root", "."))
                .toAbsolutePath()
                .normalize();
        Path work = workDir.isAbsolute() ? workDir : repo.resolve(workDir);
        long s = seed != null ? seed : new java.security.SecureRandom().nextLong();
        List<FaultKind> kinds = FaultKind.parse(faults);
        int lost = kinds.contains(FaultKind.TM_LOST) ? perKind : 0;
        Schedule schedule =
                Schedule.draw(s, kinds, perKind, warmup, duration.minus(quietTail), tmLost.taskManagers(lost), nodes);
        System.out.print(schedule.describe());
        System.out.println("replay: ./pipeline chaos "
                + String.join(
                        " ", replayArgs(spec.commandLine().getParseResult().originalArgs(), s)));
        ChaosRun.Options options = new ChaosRun.Options(
                repo,
                work,
                nodes,
                rate,
                duration,
                schedule,
                checkpointInterval,
                taskManagerMemory,
                spoolMaxBytes,
                segmentMaxBytes,
                drainTimeout,
                tmLost);
        ChaosRun run = new ChaosRun(options, System.out);
        // the cluster's processes live in sessions of their own: Ctrl-C must still take them down
        Thread cleanUp = new Thread(run::shutDown, "chaos-stop");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        ChaosRun.Result result = run.run();
        Runtime.getRuntime().removeShutdownHook(cleanUp);
        Path file = (report != null ? report : work.resolve("report.md")).toAbsolutePath();
        List<Path> plots = ChaosPlot.write(file.getParent(), options, result);
        String markdown = ChaosReport.markdown(
                options,
                result,
                plots.stream().map(p -> p.getFileName().toString()).toList());
        System.out.println();
        System.out.print(markdown);
        Files.createDirectories(file.getParent());
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
        return result.passed() ? 0 : 1;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The arguments of this run with its seed, so that the printed line replays the same schedule. */
    static List<String> replayArgs(List<String> original, long seed) {
        List<String> args = new java.util.ArrayList<>();
        for (int i = 0; i < original.size(); i++) {
            String a = original.get(i);
            if (a.equals("--seed")) {
                i++;
            } else if (!a.startsWith("--seed=")) {
                args.add(a);
            }
        }
        args.add("--seed");
        args.add(Long.toString(seed));
        return args;
    }

    /** {@code continue} or {@code wait}, in any case. */
    static final class TmLostModeConverter implements CommandLine.ITypeConverter<TmLostMode> {
        @Override
        public TmLostMode convert(String value) {
            try {
                return TmLostMode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not continue or wait");
            }
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ChaosMain()).execute(args));
    }

    static List<String> kinds() {
        return List.of(FaultKind.values()).stream().map(FaultKind::id).toList();
    }
}
