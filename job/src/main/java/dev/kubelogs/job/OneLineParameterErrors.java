package dev.kubelogs.job;

import dev.kubelogs.job.config.ConfigChecks;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Reports a bad option as one line naming it ({@code pipeline demo: --nodes must be at least 1 (got 0)}) and
 * exits 2, instead of picocli's message followed by the whole usage text.
 */
public final class OneLineParameterErrors implements CommandLine.IParameterExceptionHandler {
    public static final int EXIT_CODE = 2;

    /** {@code commandLine} with this handler, for every subcommand too. */
    public static CommandLine install(CommandLine commandLine) {
        return commandLine.setParameterExceptionHandler(new OneLineParameterErrors());
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage() + "  (see --help)");
        err.flush();
        return EXIT_CODE;
    }

    /** The error for an option value out of range, naming the option. */
    public static CommandLine.ParameterException invalid(CommandLine cmd, String option, String rule, Object value) {
        return new CommandLine.ParameterException(cmd, ConfigChecks.outOfRange(option, rule, value));
    }
}
