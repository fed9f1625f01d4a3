package dev.kubelogs.bench;

import dev.kubelogs.job.JobCommand;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code ./pipeline bench}'s options of the saturation search. */
final class SaturationOptions {
    @Option(
            names = "--saturation-start",
            defaultValue = "5000",
            description = "First total rate (lines/s, all nodes) of the search (default: ${DEFAULT-VALUE}).")
    double saturationStart;

    @Option(
            names = "--saturation-max",
            defaultValue = "400000",
            description = "Highest total rate tried (default: ${DEFAULT-VALUE}).")
    double saturationMax;

    @Option(
            names = "--saturation-duration",
            defaultValue = "30s",
            converter = JobCommand.DurationConverter.class,
            description = "Length of each search step (default: ${DEFAULT-VALUE}).")
    Duration saturationDuration;

    @Option(
            names = "--latency-bound",
            defaultValue = "5s",
            converter = JobCommand.DurationConverter.class,
            description = "p99 that counts as bounded in the search (default: ${DEFAULT-VALUE}, the issue's target).")
    Duration latencyBound;

    void applyQuick() {
        saturationStart = 500;
        saturationMax = 2000;
        saturationDuration = Duration.ofSeconds(6);
    }
}
