package dev.kubelogs.bench.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * When each fault hits, drawn from a seed: the same seed and options give the same schedule, so a failed drill can be
 * replayed. Faults land uniformly between the warm-up and the quiet tail of the run, so several may overlap.
 */
public record Schedule(long seed, List<Fault> faults) {

    /** One planned fault: what, which process (index of the TaskManager or collector, else 0), when after the start. */
    public record Fault(int id, FaultKind kind, int target, Duration at) {
        String targetName() {
            return switch (kind.target()) {
                case TASK_MANAGER -> "taskmanager-" + (target + 1);
                case COLLECTOR -> "collector-" + (target + 1);
                case NONE ->
                    switch (kind) {
                        case JM_KILL -> "jobmanager";
                        case SPOOL_FULL -> "taskmanagers";
                        default -> kind.hitsEndpoint() ? "endpoint" : "job";
                    };
            };
        }
    }

    public static Schedule draw(
            long seed,
            List<FaultKind> kinds,
            int perKind,
            Duration from,
            Duration to,
            int taskManagers,
            int collectors) {
        if (to.compareTo(from) <= 0) {
            throw new IllegalArgumentException(
                    "no room for faults between " + from + " and " + to + ": make --duration longer");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Fault> planned = new ArrayList<>();
        for (FaultKind kind : kinds) {
            for (int i = 0; i < perKind; i++) {
                int target = switch (kind.target()) {
                    case TASK_MANAGER -> random.nextInt(taskManagers);
                    case COLLECTOR -> random.nextInt(collectors);
                    case NONE -> 0;
                };
                long at = from.toMillis() + random.nextLong(to.toMillis() - from.toMillis());
                planned.add(new Fault(0, kind, target, Duration.ofMillis(at)));
            }
        }
        planned.sort(Comparator.comparing(Fault::at));
        List<Fault> numbered = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            Fault f = planned.get(i);
            numbered.add(new Fault(i + 1, f.kind(), f.target(), f.at()));
        }
        return new Schedule(seed, List.copyOf(numbered));
    }

    public String describe() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "seed %d, %d faults:%n", seed, faults.size()));
        for (Fault f : faults) {
            b.append(String.format(
                    Locale.ROOT,
                    "  #%-2d +%6.1f s  %-17s %s%n",
                    f.id(),
                    f.at().toMillis() / 1000.0,
                    f.kind().id(),
                    f.targetName()));
        }
        return b.toString();
    }
}
