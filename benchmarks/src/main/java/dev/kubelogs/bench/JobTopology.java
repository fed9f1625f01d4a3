package dev.kubelogs.bench;

import java.util.Locale;
import picocli.CommandLine;

/** Where the e2e run's job runs: in production's process topology, or on a MiniCluster in the harness JVM. */
public enum JobTopology {
    /**
     * A standalone Flink cluster of its own processes (ZooKeeper, JobManager, TaskManagers) at the FlinkDeployment's
     * settings: the job's bill is its processes' CPU, JIT and GC included, and nothing of the harness.
     */
    CLUSTER,
    /**
     * A MiniCluster in the harness JVM: starts in seconds, but the JVM's JIT and GC are shared with the stand-ins
     * (generator, kubelets, metrics polling), so they are billed to the job.
     */
    MINICLUSTER;

    /** The option's value: {@code cluster} or {@code minicluster}, in any case. */
    static JobTopology parse(String value) {
        for (JobTopology t : values()) {
            if (t.name().equalsIgnoreCase(value.trim())) {
                return t;
            }
        }
        throw new CommandLine.TypeConversionException(
                "--job-topology must be cluster or minicluster, not '" + value + "'");
    }

    String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** picocli's converter for {@link #parse}. */
    static final class Converter implements CommandLine.ITypeConverter<JobTopology> {
        @Override
        public JobTopology convert(String value) {
            return parse(value);
        }
    }
}
