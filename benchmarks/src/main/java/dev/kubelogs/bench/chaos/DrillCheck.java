package dev.kubelogs.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongBinaryOperator;
import java.util.stream.Stream;

/**
 * What a drill is checked on after the fact, beside the ledger's counts: the latency peak around each fault, and how
 * often the collectors paused tailing at their spool limit (their logs say so each time).
 */
final class DrillCheck {
    private DrillCheck() {}

    /**
     * Each outcome with the highest latency of the events ingested from its injection until 5 s after it recovered
     * (until the end when it never did), from {@code maxLatencyIngestedBetween(fromMillis, toMillis)}.
     */
    static List<Outcome> withLatencyPeaks(List<Outcome> outcomes, LongBinaryOperator maxLatencyIngestedBetween) {
        List<Outcome> measured = new ArrayList<>();
        for (Outcome o : outcomes) {
            long until = o.recoveredMillis() < 0 ? Long.MAX_VALUE : o.injectedMillis() + o.recoveredMillis() + 5_000;
            measured.add(o.withLatencyPeak(maxLatencyIngestedBetween.applyAsLong(o.injectedMillis(), until)));
        }
        return measured;
    }

    /** Pauses logged by every collector ({@code collector-*} logs) in {@code logs}; -1 when the folder cannot be read. */
    static long spoolFullPauses(Path logs) {
        long pauses = 0;
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("collector-"))
                    .toList()) {
                pauses += CollectorLog.pauses(f);
            }
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
        return pauses;
    }
}
