package dev.kubelogs.bench;

import dev.kubelogs.collector.local.LocalKinesisProcess;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stream of an e2e run over the Kinesis transport, on the local Kinesis-compatible server.
 *
 * @param endpoint the server's URL (the collectors' {@code SPOOL_KINESIS_ENDPOINT}, the job's {@code --kinesis-endpoint})
 * @param name the stream's name
 * @param shards its shard count ({@link #shardsFor})
 */
record KinesisStream(String endpoint, String name, int shards) {
    static final String NAME = "kubelogs-bench";
    static final String REGION = LocalKinesisProcess.REGION;

    /**
     * One shard per node: a node's segments all go to one shard (partition key {@code cluster/node}), so more shards
     * would not spread a node's puts, and each node keeps a shard's write capacity to itself unless two nodes' keys
     * hash into the same shard.
     */
    static int shardsFor(int nodes) {
        return Math.max(1, nodes);
    }

    /** Creates the stream for {@code nodes} on the server and waits until it is active. */
    static KinesisStream create(LocalKinesisProcess server, int nodes) throws InterruptedException {
        KinesisStream stream = new KinesisStream(server.endpoint().toString(), NAME, shardsFor(nodes));
        server.createStream(stream.name(), stream.shards());
        return stream;
    }

    /** The collectors' settings for this stream (the server ignores the keys, but the SDK's chain needs some). */
    Map<String, String> collectorEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPOOL_KINESIS_STREAM", name);
        env.put("SPOOL_KINESIS_ENDPOINT", endpoint);
        env.put("AWS_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        return env;
    }

    /** The job's arguments that select this stream. */
    java.util.List<String> jobArgs() {
        return java.util.List.of(
                "--transport",
                "KINESIS",
                "--kinesis-stream",
                name,
                "--kinesis-endpoint",
                endpoint,
                "--kinesis-region",
                REGION);
    }

    /** The settings line of the report. */
    String describe() {
        return "transport kinesis: stream " + name + " of " + shards + " shard(s) (one per node) on a local "
                + "Kinesis-compatible server (kinesis-mock, tools/kinesis-local; its CPU reported apart, not billed)";
    }
}
