package dev.kubelogs.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.bench.EndpointProcess;
import dev.kubelogs.bench.Proc;
import dev.kubelogs.launcher.cluster.FlinkRest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Samples the pipeline twice a second while faults run: the job's state and its newest completed checkpoint (Flink
 * REST), the failed-checkpoint counter, the events stored and the armed fault switches (the endpoint's admin API), and
 * the machine's 1-minute load average.
 * Recovery times are read from these samples afterwards.
 */
final class Monitor implements AutoCloseable {

    /** One sample; {@code jobState} is null and the checkpoint fields -1 while the REST API does not answer. */
    record Sample(
            long millis,
            String jobState,
            long lastCheckpointTriggerMillis,
            long checkpointsFailed,
            long storedEvents,
            int armedFaults,
            double load1) {}

    private final FlinkRest rest;
    private final Supplier<String> jobId;
    private final EndpointProcess endpoint;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    Monitor(FlinkRest rest, Supplier<String> jobId, EndpointProcess endpoint) {
        this.rest = rest;
        this.jobId = jobId;
        this.endpoint = endpoint;
        this.thread = new Thread(this::loop, "chaos-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stop) {
            Sample s = sample();
            synchronized (samples) {
                samples.add(s);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Sample sample() {
        String id = jobId.get();
        String state = id == null ? null : rest.jobStateOrNull(id);
        long lastTrigger = -1;
        long failed = -1;
        if (state != null) {
            try {
                JsonNode c = rest.checkpoints(id);
                lastTrigger = c.path("latest")
                        .path("completed")
                        .path("trigger_timestamp")
                        .asLong(-1);
                failed = c.path("counts").path("failed").asLong(-1);
            } catch (java.io.IOException e) {
                // the JobManager went away between the two calls
            }
        }
        return new Sample(
                System.currentTimeMillis(),
                state,
                lastTrigger,
                failed,
                endpoint.storedEvents(),
                endpoint.armedFaults(),
                Proc.loadAverage()[0]);
    }

    /** The newest sample, taken now. */
    Sample now() {
        return sample();
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.interrupt();
        thread.join(5_000);
    }
}
