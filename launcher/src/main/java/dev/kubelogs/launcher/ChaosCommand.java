package dev.kubelogs.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./pipeline chaos}: the chaos drill of the {@code benchmarks/} module
 * ({@code dev.kubelogs.bench.chaos.ChaosMain}), started like {@code ./pipeline bench} in a child JVM, with every
 * argument passed through.
 */
@Command(
        name = "chaos",
        description = "Chaos drill on a local multi-process Flink cluster: kill -9 of TaskManagers, the JobManager and "
                + "collectors, "
                + "collector SIGTERM, endpoint throttling/5xx/lost answers/stalls, spools filled to their limit, a "
                + "savepoint upgrade; every line counted by content. "
                + "Run ./pipeline chaos --help for the options.")
public final class ChaosCommand implements Callable<Integer> {
    static final String MAIN_CLASS = "dev.kubelogs.bench.chaos.ChaosMain";

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return BenchCommand.runHarness(MAIN_CLASS, args, "-Xmx2g");
    }
}
