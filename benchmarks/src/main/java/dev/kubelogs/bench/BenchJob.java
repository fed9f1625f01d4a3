package dev.kubelogs.bench;

import dev.kubelogs.job.JobCommand;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.PluginConfig;
import org.apache.flink.core.plugin.PluginDescriptor;
import org.apache.flink.core.plugin.PluginManager;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;

/**
 * The job of an end-to-end run on an embedded MiniCluster in this JVM: parsed from the same arguments as
 * {@code ./pipeline job}, bounded ({@code --until-sealed}), with the spec's checkpointing and state backend.
 */
final class BenchJob {
    private BenchJob() {}

    /** Starts the job and waits (up to 2 minutes) until it runs. */
    static JobClient start(EndToEnd.Spec spec, String spoolUri, String cloudWatchEndpoint, Path work, int restPort)
            throws Exception {
        JobCommand jc = new JobCommand();
        new CommandLine(jc).parseArgs(args(spec, spoolUri, cloudWatchEndpoint).toArray(String[]::new));
        Configuration conf = configuration(spec, jc.flinkConfiguration(), work, restPort);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(spec.parallelism(), conf);
        // on S3 the job sees the file system's settings, as a cluster's configuration reaches it
        (spec.s3() != null ? jc.newJob(conf) : jc.newJob()).build(env);
        JobClient job = env.executeAsync("kubelogs-bench-" + spec.label());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("job did not reach RUNNING");
            }
            Thread.sleep(50);
        }
        return job;
    }

    /** The job's command line: on S3 the spec's job arguments, else the bench's discovery, checkpoint and wait. */
    static List<String> args(EndToEnd.Spec spec, String spoolUri, String cloudWatchEndpoint) {
        List<String> args = benchArgs(spoolUri, cloudWatchEndpoint, spec.parallelism());
        if (spec.s3() != null) {
            args.addAll(spec.s3().jobArgs());
        } else {
            args.addAll(List.of(
                    "--discovery-interval",
                    spec.discoveryInterval().toMillis() + "ms",
                    "--checkpoint-interval",
                    spec.checkpointInterval().toMillis() + "ms",
                    "--metadata-wait",
                    spec.metadataWait().toMillis() + "ms"));
        }
        return args;
    }

    /** The arguments every bench run of the job has: its spool and endpoint, bounded, at a parallelism. */
    static List<String> benchArgs(String spoolUri, String cloudWatchEndpoint, int parallelism) {
        return new ArrayList<>(List.of(
                "--spool",
                spoolUri,
                "--cloudwatch-endpoint",
                cloudWatchEndpoint,
                "--region",
                "us-west-2",
                "--until-sealed",
                "--parallelism",
                Integer.toString(parallelism)));
    }

    /**
     * The job's Flink configuration with the bench's REST port, checkpoint directory and state backend; on S3 the file
     * system is initialised with the S3 plugin and the spec's settings and checkpoint directory apply.
     */
    static Configuration configuration(EndToEnd.Spec spec, Configuration conf, Path work, int restPort)
            throws IOException {
        conf.set(RestOptions.PORT, restPort);
        conf.setString(
                "execution.checkpointing.dir",
                work.resolve("checkpoints").toUri().toString());
        conf.setString("state.backend.type", spec.stateBackend());
        if (spec.stateBackend().equals("rocksdb")) {
            conf.setString("execution.checkpointing.incremental", "true");
            conf.setString(
                    "state.backend.rocksdb.localdir", work.resolve("rocksdb").toString());
        }
        if (spec.s3() != null) {
            Configuration fs = spec.s3().fileSystemConfig();
            FileSystem.initialize(fs, s3FileSystemPlugin(spec.s3().fileSystemPlugin()));
            conf.addAll(fs);
            spec.s3().flinkConfig().forEach(conf::setString);
            conf.setString("execution.checkpointing.dir", spec.s3().checkpointUri());
        }
        return conf;
    }

    /** Flink's plugin manager holding one plugin: the S3 file system jar, in its own class loader. */
    private static PluginManager s3FileSystemPlugin(Path jar) throws IOException {
        return new DefaultPluginManager(
                List.of(new PluginDescriptor(
                        "s3-fs-presto", new URL[] {jar.toUri().toURL()}, new String[0])),
                PluginConfig.fromConfiguration(new Configuration()).getAlwaysParentFirstPatterns());
    }
}
