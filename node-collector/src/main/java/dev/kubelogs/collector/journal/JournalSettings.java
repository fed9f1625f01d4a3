package dev.kubelogs.collector.journal;

import java.nio.file.Path;

/**
 * How the journal is read; off when {@code dir} is null.
 *
 * @param dir the journal directory, always read for the dataplane units
 * @param journalctl the journalctl binary
 * @param readFromTail the journal is read from its tail at the first start
 * @param hostLogs the host logs come from the journal too (HOST_LOGS=journald)
 */
public record JournalSettings(Path dir, String journalctl, boolean readFromTail, boolean hostLogs) {

    public JournalSettings {
        if (hostLogs && dir == null) {
            throw new IllegalArgumentException("HOST_LOGS=journald needs a journal directory (JOURNAL_DIR)");
        }
    }

    public boolean enabled() {
        return dir != null;
    }
}
