package dev.kubelogs.bench.loop;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The MiniCluster the loops that run a Flink job start in their own JVM, and their jobs' environments. The cluster
 * stays up across rounds, so its start-up is not billed to any arm.
 */
public final class LoopCluster {
    private LoopCluster() {}

    /** A started MiniCluster of {@code taskManagers} TaskManagers of {@code slots} slots each. */
    public static MiniCluster start(int taskManagers, int slots) throws Exception {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(taskManagers)
                .setNumSlotsPerTaskManager(slots)
                .build());
        try {
            cluster.start();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** A job's environment on {@code backend}'s keyed state ({@code heap} is Flink's {@code hashmap}). */
    public static StreamExecutionEnvironment environment(String backend, int parallelism) {
        Configuration jobConf = new Configuration();
        jobConf.set(StateBackendOptions.STATE_BACKEND, stateBackend(backend));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConf);
        env.setParallelism(parallelism);
        return env;
    }

    /** Runs the job {@code env} describes on {@code cluster} and waits for it to finish. */
    public static void run(MiniCluster cluster, StreamExecutionEnvironment env) throws Exception {
        cluster.executeJobBlocking(env.getStreamGraph().getJobGraph());
    }

    /** Flink's name of the state backend a loop's argument names. */
    static String stateBackend(String backend) {
        return backend.equals("heap") ? "hashmap" : backend;
    }
}
