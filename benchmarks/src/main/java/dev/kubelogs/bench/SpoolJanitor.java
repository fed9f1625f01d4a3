package dev.kubelogs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Consumes the spool when no job runs (collectors measured alone): deletes published segments once a second, as the
 * job would, so the collectors see their spool drained.
 */
final class SpoolJanitor {
    private final Path spool;
    private Thread thread;

    SpoolJanitor(Path spool) {
        this.spool = spool;
    }

    void start() {
        thread = new Thread(this::run, "bench-janitor");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            sweep(spool);
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Deletes the published segments under {@code spool}: {@code *.seg}, not the hidden ones still being written. */
    static void sweep(Path spool) {
        try (Stream<Path> files = Files.walk(spool)) {
            files.filter(p -> p.getFileName().toString().endsWith(".seg")
                            && !p.getFileName().toString().startsWith("."))
                    .forEach(p -> {
                        try {
                            Files.deleteIfExists(p);
                        } catch (IOException ignored) {
                            // next round
                        }
                    });
        } catch (IOException | UncheckedIOException ignored) {
            // a directory changed while walking
        }
    }
}
