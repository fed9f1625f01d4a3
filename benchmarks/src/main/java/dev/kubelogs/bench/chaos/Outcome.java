package dev.kubelogs.bench.chaos;

import java.util.List;

/**
 * What one fault did. {@code recoveredMillis} is measured from the injection: for Flink faults until the job runs and a
 * checkpoint triggered after the fault has completed; for collectors until the restarted collector serves its metrics;
 * for the endpoint until its switches are used up and stored events grow again. -1: not seen before the run ended.
 */
record Outcome(
        Schedule.Fault fault,
        long injectedMillis,
        long healedMillis,
        long recoveredMillis,
        long latencyPeakMillis,
        long checkpointsFailed,
        String note) {

    /** Reads recovery and failed checkpoints from the monitor's samples. */
    static Outcome of(Schedule.Fault fault, long injectedAt, long healedAt, String note, List<Monitor.Sample> samples) {
        long recoveredAt = -1;
        if (fault.kind().hitsFlink()) {
            for (Monitor.Sample s : samples) {
                if (s.millis() >= healedAt
                        && "RUNNING".equals(s.jobState())
                        && s.lastCheckpointTriggerMillis() > injectedAt) {
                    recoveredAt = s.millis();
                    break;
                }
            }
        } else if (fault.kind().hitsEndpoint()) {
            long drainedStored = -1;
            for (Monitor.Sample s : samples) {
                if (s.millis() < injectedAt) {
                    continue;
                }
                if (drainedStored < 0 && s.armedFaults() == 0) {
                    drainedStored = s.storedEvents();
                } else if (drainedStored >= 0 && s.storedEvents() > drainedStored) {
                    recoveredAt = s.millis();
                    break;
                }
            }
        } else {
            recoveredAt = healedAt;
        }
        long failed = 0;
        long previous = -1;
        long until = recoveredAt < 0 ? Long.MAX_VALUE : recoveredAt;
        for (Monitor.Sample s : samples) {
            if (s.checkpointsFailed() < 0) {
                continue;
            }
            if (s.millis() >= injectedAt && s.millis() <= until && previous >= 0) {
                // a JobManager that recovered the job starts its counters again
                failed += s.checkpointsFailed() >= previous ? s.checkpointsFailed() - previous : s.checkpointsFailed();
            }
            previous = s.checkpointsFailed();
        }
        return new Outcome(
                fault, injectedAt, healedAt, recoveredAt < 0 ? -1 : recoveredAt - injectedAt, -1, failed, note);
    }

    Outcome withLatencyPeak(long millis) {
        return new Outcome(fault, injectedMillis, healedMillis, recoveredMillis, millis, checkpointsFailed, note);
    }
}
