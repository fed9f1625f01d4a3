package dev.kubelogs.bench.chaos;

import dev.kubelogs.bench.CollectorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A drill's collector processes, one per node, and their faults: collector-kill (kill -9) and collector-term (SIGTERM,
 * a drain), each started again 2 s later with the same environment and log, as a DaemonSet restarts its pod.
 */
final class DrillCollectors {
    private final Path repoRoot;
    private final CollectorProcess.JvmFlags flags;
    private final Duration startTimeout;
    private final List<Slot> slots = new ArrayList<>();

    /** A collector process that faults replace; the lock keeps two faults from restarting it at once. */
    private static final class Slot {
        final Map<String, String> env;
        final Path log;
        CollectorProcess process;

        Slot(Map<String, String> env, Path log) {
            this.env = env;
            this.log = log;
        }
    }

    DrillCollectors(Path repoRoot, CollectorProcess.JvmFlags flags, Duration startTimeout) {
        this.repoRoot = repoRoot;
        this.flags = flags;
        this.startTimeout = startTimeout;
    }

    /** Starts one collector per environment, each writing its own log, and waits until every one serves. */
    void start(List<Map<String, String>> envs, List<Path> logs) throws Exception {
        for (int i = 0; i < envs.size(); i++) {
            Slot slot = new Slot(envs.get(i), logs.get(i));
            slot.process = CollectorProcess.start(repoRoot, flags, slot.env, slot.log, false);
            slots.add(slot);
        }
        for (Slot s : slots) {
            s.process.awaitUp(startTimeout);
        }
    }

    /** Each collector's log (every process of it appends there), in node order. */
    List<Path> logs() {
        return slots.stream().map(s -> s.log).toList();
    }

    /** Whether collector {@code index} (in node order) runs now. */
    boolean alive(int index) {
        Slot slot = slots.get(index);
        synchronized (slot) {
            return slot.process != null && slot.process.alive();
        }
    }

    /**
     * collector-kill or collector-term on collector {@code f.target()}; then the same collector again. Returns a note
     * when a SIGTERM did not end it as it should.
     */
    String restart(Schedule.Fault f) throws Exception {
        Slot slot = slots.get(f.target());
        String note = "";
        synchronized (slot) {
            if (f.kind() == FaultKind.COLLECTOR_KILL) {
                slot.process.close();
                slot.process.stopAndSeal(Duration.ofSeconds(30));
            } else {
                // without --seal-on-exit the collector's shutdown hook closes its segment and commits; the JVM then
                // exits with 143, as every JVM ended by SIGTERM does
                int code = slot.process.stopAndSeal(Duration.ofSeconds(60));
                if (code != 0 && code != 143) {
                    note = "SIGTERM: the collector "
                            + (code < 0 ? "did not stop within 60 s and was killed" : "exited with " + code);
                }
            }
            Thread.sleep(2_000);
            slot.process = CollectorProcess.start(repoRoot, flags, slot.env, slot.log, false);
            slot.process.awaitUp(startTimeout);
        }
        return note;
    }

    /** Stops every collector still running (SIGTERM, then kill after 30 s). */
    void stopAll() throws InterruptedException {
        for (Slot s : slots) {
            synchronized (s) {
                if (s.process != null && s.process.alive()) {
                    s.process.stopAndSeal(Duration.ofSeconds(30));
                }
            }
        }
    }
}
