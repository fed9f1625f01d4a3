package dev.kubelogs.launcher;

import dev.kubelogs.collector.CollectorCommand;
import dev.kubelogs.cwlocal.EndpointCommand;
import dev.kubelogs.job.JobCommand;
import dev.kubelogs.job.OneLineParameterErrors;
import dev.kubelogs.launcher.cluster.ClusterCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./pipeline}: one launcher whose subcommands run the whole demo or each part alone. */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = "kubelogs: the Container Insights log pipeline on Flink, on this machine.",
        subcommands = {
            DemoCommand.class,
            CollectorCommand.class,
            JobCommand.class,
            EndpointCommand.class,
            BenchCommand.class,
            ClusterCommand.class,
            ChaosCommand.class
        })
public final class PipelineCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(OneLineParameterErrors.install(new CommandLine(new PipelineCommand()))
                .execute(args));
    }
}
