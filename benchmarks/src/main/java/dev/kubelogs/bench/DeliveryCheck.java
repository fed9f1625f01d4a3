package dev.kubelogs.bench;

/**
 * Checks what a run delivered against what it generated, by content ({@link DeliveryLedger}): lost, duplicated and unknown
 * events, broken stack traces, dead letters; then the latency percentiles and the delivered rate of the window.
 */
final class DeliveryCheck {
    private DeliveryCheck() {}

    /**
     * Ends the ledger that took the run's events with the generator's counts and records its findings, latency and the
     * rates derived from the delivered lines into the result.
     */
    static void verify(EndToEndResult r, LoadGenerator gen, DeliveryLedger ledger, SampleWindow window) {
        ledger.tally(DeliveryLedger.expectedRecords(gen));
        record(r, ledger, window.start().wallMillis(), window.end().wallMillis());
    }

    /** The ledger's findings, latency and the rates derived from the delivered lines. */
    static void record(EndToEndResult r, DeliveryLedger ledger, long windowStartMillis, long windowEndMillis) {
        synchronized (ledger) {
            r.recordsExpected = ledger.expectedRecords();
            r.events = ledger.events;
            r.lost = ledger.lost;
            r.duplicated = ledger.duplicated;
            r.unknown = ledger.unknown;
            r.brokenTraces = ledger.brokenTraces;
            r.deadLetters = ledger.deadLetters;
            r.tracesChecked = ledger.tracesChecked;
            r.eventsByGroup = ledger.eventsByGroup;
            r.sampleEvents = ledger.sampleByGroup;
            r.unknownSamples = ledger.samplesOfUnknown;
            r.lostBySource = ledger.lostBySource;
            r.lostSamples = ledger.samplesOfLost;
            ledger.latency().recordInto(r, windowStartMillis, windowEndMillis);
        }
        double bytesPerLine = r.linesWritten == 0 ? 0 : (double) r.bytesWritten / r.linesWritten;
        r.mbPerSec = r.deliveredLinesPerSec * bytesPerLine / 1e6;
        double cores = r.jobCores + r.collectorCores;
        r.linesPerSecPerCore = cores > 0 ? r.deliveredLinesPerSec / cores : Double.NaN;
        r.jobLinesPerSecPerCore = r.jobCores > 0 ? r.deliveredLinesPerSec / r.jobCores : Double.NaN;
    }
}
