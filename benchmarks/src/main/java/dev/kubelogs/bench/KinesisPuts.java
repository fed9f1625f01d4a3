package dev.kubelogs.bench;

import java.util.List;
import java.util.Map;

/**
 * The collectors' Kinesis puts so far, from their {@code /metrics}: what the stream's bill counts (PutRecord calls and
 * their payload). A collector that does not answer counts as nothing put, and makes the reading {@link #complete()}
 * false.
 *
 * @param records segments put (one PutRecord each), summed over the collectors
 * @param bytes their payload
 * @param complete whether every collector answered
 */
record KinesisPuts(long records, long bytes, boolean complete) {

    static final String RECORDS = "kubelogs_collector_kinesis_puts_total";
    static final String BYTES = "kubelogs_collector_kinesis_put_bytes_total";

    static KinesisPuts read(List<CollectorProcess> collectors) {
        long records = 0;
        long bytes = 0;
        boolean complete = true;
        for (CollectorProcess c : collectors) {
            Map<String, Double> m = c.metrics();
            if (m == null) {
                complete = false;
                continue;
            }
            records += m.getOrDefault(RECORDS, 0.0).longValue();
            bytes += m.getOrDefault(BYTES, 0.0).longValue();
        }
        return new KinesisPuts(records, bytes, complete);
    }

    /** The puts between {@code start} and this reading. */
    KinesisPuts since(KinesisPuts start) {
        return new KinesisPuts(records - start.records, bytes - start.bytes, complete && start.complete);
    }
}
