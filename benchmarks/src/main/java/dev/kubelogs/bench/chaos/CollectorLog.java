package dev.kubelogs.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a collector's log (all its processes' lines, appended) says about back-pressure at its spool limit. */
final class CollectorLog {
    private static final String PAUSED = "tailing paused";
    private static final String RESUMED = "tailing resumed";

    private CollectorLog() {}

    /**
     * How many times tailing paused at the spool limit, and whether it is paused now (the last pause or resume the log
     * names is a pause).
     */
    record Pauses(long count, boolean pausedNow) {}

    /** The log's pauses, read in one pass; none for a log not written yet. */
    static Pauses read(Path log) {
        long count = 0;
        boolean pausedNow = false;
        try (Stream<String> lines = Files.lines(log)) {
            for (String l : (Iterable<String>) lines::iterator) {
                if (l.contains(PAUSED)) {
                    count++;
                    pausedNow = true;
                } else if (l.contains(RESUMED)) {
                    pausedNow = false;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return new Pauses(0, false);
        }
        return new Pauses(count, pausedNow);
    }

    /** How many times tailing paused at the spool limit; 0 for a log not written yet. */
    static long pauses(Path log) {
        return read(log).count();
    }
}
