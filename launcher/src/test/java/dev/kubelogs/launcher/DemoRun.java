package dev.kubelogs.launcher;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new DemoCommand()).execute(argv.toArray(String[]::new));
            return new DemoRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            stdout.print(out.toString(StandardCharsets.UTF_8));
            stderr.print(err.toString(StandardCharsets.UTF_8));
        }
    }
}
