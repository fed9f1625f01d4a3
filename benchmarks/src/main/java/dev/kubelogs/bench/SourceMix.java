package dev.kubelogs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The sources of every node and how often each writes: a table of 1,000 slots filled by weight, drawn from once per
 * record, and the chance that a line of a source that throws is a stack trace, chosen so that the asked share of all
 * lines are in traces.
 */
final class SourceMix {
    final List<LoadGenerator.SourceSpec> specs = new ArrayList<>();
    final double traceProbability;
    private final int[] pick = new int[1000];

    SourceMix(LoadGenerator.Config config) {
        specs.addAll(LoadGenerator.CONTAINERS);
        if (config.hostMode() == LoadGenerator.HostMode.FILES) {
            specs.addAll(LoadGenerator.HOST_FILES);
        } else if (config.hostMode() == LoadGenerator.HostMode.JOURNALD) {
            specs.add(LoadGenerator.JOURNAL);
        }
        int total = specs.stream().mapToInt(LoadGenerator.SourceSpec::weight).sum();
        int k = 0;
        for (int s = 0; s < specs.size(); s++) {
            int n = (int) Math.round(specs.get(s).weight() * 1000.0 / total);
            for (int i = 0; i < n && k < pick.length; i++) {
                pick[k++] = s;
            }
        }
        while (k < pick.length) {
            pick[k++] = 0;
        }
        double appShare = specs.stream()
                        .filter(LoadGenerator.SourceSpec::traces)
                        .mapToInt(LoadGenerator.SourceSpec::weight)
                        .sum()
                / (double) total;
        double meanFrames = (config.minFrames() + config.maxFrames()) / 2.0;
        double s = config.multilineShare();
        this.traceProbability = s <= 0 ? 0 : Math.min(1.0, s / (appShare * (1 + meanFrames * (1 - s))));
    }

    /** The index of the source that writes the next record. */
    int pick(SplittableRandom random) {
        return pick[random.nextInt(pick.length)];
    }
}
