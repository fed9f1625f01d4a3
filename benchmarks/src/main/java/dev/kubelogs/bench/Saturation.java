package dev.kubelogs.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The highest total rate at which the pipeline keeps up with bounded latency and loses nothing: short end-to-end
 * runs at doubling rates until one fails, then two bisection steps between the last pass and the first failure.
 * A step passes when: 0 lost, 0 duplicated, no broken trace; the generator kept its schedule; the collectors read
 * everything; delivered ≥ 95 % of offered in the measuring window; p99 ≤ bound overall and in the last third (not
 * growing).
 */
public final class Saturation {
    private Saturation() {}

    public record Step(double totalRate, EndToEndResult result, boolean pass, String why) {}

    public static final class Result {
        public final List<Step> steps = new ArrayList<>();
        public double maxPassingRate = Double.NaN;
    }

    public static Result run(
            EndToEnd.Spec base,
            double start,
            double max,
            Duration stepDuration,
            Duration bound,
            Path repo,
            Path work,
            PrintStream out)
            throws Exception {
        return search(start, max, rate -> step(base, rate, stepDuration, bound, repo, work, out));
    }

    /** One step of the search: a run at a total rate and its verdict. */
    @FunctionalInterface
    interface StepRunner {
        Step run(double totalRate) throws Exception;
    }

    /** Doubling from {@code start} until a step fails (or {@code max} is passed), then two bisection steps. */
    static Result search(double start, double max, StepRunner steps) throws Exception {
        Result res = new Result();
        double lastPass = Double.NaN;
        double firstFail = Double.NaN;
        double rate = start;
        while (rate <= max) {
            Step s = steps.run(rate);
            res.steps.add(s);
            if (!s.pass()) {
                firstFail = rate;
                break;
            }
            lastPass = rate;
            rate *= 2;
        }
        for (int i = 0; i < 2 && Double.isFinite(lastPass) && Double.isFinite(firstFail); i++) {
            double mid = Math.round(Math.sqrt(lastPass * firstFail) / 100.0) * 100.0;
            if (mid <= lastPass || mid >= firstFail) {
                break;
            }
            Step s = steps.run(mid);
            res.steps.add(s);
            if (s.pass()) {
                lastPass = mid;
            } else {
                firstFail = mid;
            }
        }
        res.maxPassingRate = lastPass;
        res.steps.sort((a, b) -> Double.compare(a.totalRate(), b.totalRate()));
        return res;
    }

    private static Step step(
            EndToEnd.Spec base, double total, Duration d, Duration bound, Path repo, Path work, PrintStream out)
            throws Exception {
        EndToEnd.Spec spec = base.withRun(
                "sat-" + (long) total,
                total / base.nodes(),
                d,
                Duration.ofSeconds(Math.min(10, d.toSeconds() / 3)),
                base.sizes(),
                work);
        EndToEndResult r;
        try {
            r = EndToEnd.run(spec, repo, out);
        } catch (Exception e) {
            r = new EndToEndResult();
            r.spec = spec;
            r.error = e.toString();
        }
        String why = verdict(r, total, bound.toMillis());
        boolean pass = why.isEmpty();
        out.printf(
                Locale.ROOT,
                "  %,9.0f lines/s offered: delivered %,9.0f, p99 %,6.0f ms (last third %,6.0f), lost %d, dup %d, "
                        + "cores %.2f → %s (load %s)%n",
                total,
                r.deliveredLinesPerSec,
                r.p99,
                r.p99LastThird,
                r.lost,
                r.duplicated,
                r.jobCores + r.collectorCores,
                pass ? "PASS" : "FAIL: " + why,
                r.loadAfter);
        return new Step(total, r, pass, why);
    }

    static String verdict(EndToEndResult r, double total, long boundMillis) {
        List<String> why = new ArrayList<>();
        if (r.error != null) {
            why.add(r.error);
        }
        if (r.lost > 0 || r.duplicated > 0 || r.unknown > 0 || r.brokenTraces > 0 || r.deadLetters > 0) {
            why.add("lost " + r.lost + " / dup " + r.duplicated + " / broken " + r.brokenTraces);
        }
        if (r.generatorMaxBacklog > total / 2) {
            why.add("generator fell behind by " + r.generatorMaxBacklog + " lines");
        }
        if (!r.collectorsCaughtUp) {
            why.add("collectors did not catch up");
        }
        if (!(r.deliveredLinesPerSec >= 0.95 * r.offeredLinesPerSec)) {
            why.add(String.format(
                    Locale.ROOT,
                    "delivered %.0f < 95%% of offered %.0f",
                    r.deliveredLinesPerSec,
                    r.offeredLinesPerSec));
        }
        if (!(r.p99 <= boundMillis)) {
            why.add(String.format(Locale.ROOT, "p99 %.0f ms > %d ms", r.p99, boundMillis));
        } else if (!(r.p99LastThird <= boundMillis)) {
            why.add(String.format(
                    Locale.ROOT, "p99 of the last third %.0f ms > %d ms (growing)", r.p99LastThird, boundMillis));
        }
        return String.join("; ", why);
    }
}
