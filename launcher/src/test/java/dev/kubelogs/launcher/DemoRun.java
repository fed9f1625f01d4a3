package dev.kubelogs.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** One small {@code ./pipeline demo} run in this JVM: its exit code and what it printed (also passed through). */
record DemoRun(int exit, String out, String err) {

    /** One node, 200 lines/s for 2 s, parallelism 1, in {@code work}; {@code args} added. */
    static DemoRun run(Path work, String... args) {
        List<String> argv = new ArrayList<>(List.of(
                "--nodes",
                "1",
                "--rate",
                "200",
                "--duration",
                "2s",
                "--parallelism",
                "1",
                "--work-dir",
                work.toString()));
        argv.addAll(List.of(args));
        ConsoleCapture run =
                ConsoleCapture.of(() -> new CommandLine(new DemoCommand()).execute(argv.toArray(String[]::new)));
        return new DemoRun(run.exit(), run.out(), run.err());
    }
}
