package dev.kubelogs.cwlocal;

import picocli.CommandLine;

/** Runs {@link EndpointCommand} on its own: {@code java -cp ... dev.kubelogs.cwlocal.Main [--port N] [--data DIR]}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new EndpointCommand()).execute(args));
    }
}
