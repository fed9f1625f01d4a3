package dev.kubelogs.launcher;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/** Runs a command with System.out and System.err captured (and passed through afterwards): its exit code and output. */
public record ConsoleCapture(int exit, String out, String err) {

    public static ConsoleCapture of(IntSupplier command) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = command.getAsInt();
            return new ConsoleCapture(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            stdout.print(out.toString(StandardCharsets.UTF_8));
            stderr.print(err.toString(StandardCharsets.UTF_8));
        }
    }
}
