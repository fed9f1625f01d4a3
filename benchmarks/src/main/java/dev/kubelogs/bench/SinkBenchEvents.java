package dev.kubelogs.bench;

import dev.kubelogs.job.model.CloudWatchEvent;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * The sink bench's events, made from the sequence's ids as the node processor would hand them to the sink: one of
 * {@link #STREAMS} streams per id, in the spec's {@link SinkBench.Shape}, paced when the spec has a rate; counts what
 * it made in {@link #GENERATED} (the MiniCluster runs in this JVM), which opens the steady-state window.
 */
final class SinkBenchEvents implements MapFunction<Long, CloudWatchEvent> {
    private static final long serialVersionUID = 1L;
    /** Events generated so far in this JVM (the MiniCluster runs here); opens the steady-state window. */
    static final AtomicLong GENERATED = new AtomicLong();

    static final int STREAMS = 8;
    private static final String GROUP = "/aws/containerinsights/bench/application";
    private static final String PAD = "x".repeat(160);
    private final double rate;
    private final SinkBench.Shape shape;
    private transient long startNanos;
    private transient long count;
    /** Per stream: its name and (container-insights) the end of its events; made once, as production's file contexts do. */
    private transient String[] streams;

    private transient String[] kubernetes;

    SinkBenchEvents(double rate, SinkBench.Shape shape) {
        this.rate = rate;
        this.shape = shape;
    }

    @Override
    public CloudWatchEvent map(Long i) {
        if (rate > 0) {
            // paced: event n leaves no earlier than n / rate after the first
            if (count++ == 0) {
                startNanos = System.nanoTime();
            }
            long due = startNanos + (long) (count / rate * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        }
        if (streams == null) {
            makeStreams();
        }
        GENERATED.incrementAndGet();
        long now = System.currentTimeMillis();
        int s = (int) (i % STREAMS);
        String msg = shape == SinkBench.Shape.SYNTHETIC
                ? "{\"log\":\"sink bench id=" + i + " " + PAD + "\",\"stream\":\"stdout\",\"created\":" + now + "}"
                : "{\"log\":\"2026-11-25T09:12:03.123Z INFO  [http-nio-8080-exec-7] c.e.orders.OrderController - order id="
                        + i
                        + " created for customer 4711 in 12 ms\\n\",\"stream\":\"stdout\",\"time\":\""
                        + java.time.Instant.ofEpochMilli(now)
                        + "\"" + kubernetes[s];
        return new CloudWatchEvent(GROUP, streams[s], now, msg, "bench", i);
    }

    private void makeStreams() {
        streams = new String[STREAMS];
        kubernetes = new String[STREAMS];
        for (int s = 0; s < STREAMS; s++) {
            String pod = "orders-7d9c6b7f9d-x2m4" + (char) ('a' + s);
            String dockerId = String.format(Locale.ROOT, "%064x", 0x3f1e9a00L + s);
            streams[s] = shape == SinkBench.Shape.SYNTHETIC
                    ? "node-" + s
                    : "ip-192-168-12-34.us-west-2.compute.internal-application.var.log.containers." + pod
                            + "_shop_orders-" + dockerId + ".log";
            kubernetes[s] = ",\"kubernetes\":{\"pod_name\":\"" + pod
                    + "\",\"namespace_name\":\"shop\",\"pod_id\":\"5b0c1e9e-2d5f-4c55-9d7c-2f1f3e4a5b6" + s
                    + "\",\"host\":\"ip-192-168-12-34.us-west-2.compute.internal\",\"pod_ip\":\"192.168.20."
                    + (7 + s)
                    + "\",\"container_name\":\"orders\",\"docker_id\":\"" + dockerId
                    + "\",\"container_hash\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders@sha256:"
                    + "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12"
                    + "\",\"container_image\":\"123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2\"}}";
        }
    }
}
