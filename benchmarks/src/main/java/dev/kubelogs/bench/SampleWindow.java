package dev.kubelogs.bench;

/**
 * The measured window of a run between two sampler points (after warm-up until the generator stopped): the rates and
 * the cores each process group used in it.
 */
record SampleWindow(Sampler.Point start, Sampler.Point end) {

    double seconds() {
        return (end.nanos() - start.nanos()) / 1e9;
    }

    /** Writes the window's rates and cores into the result. */
    void recordInto(EndToEndResult r) {
        double window = seconds();
        r.windowSeconds = window;
        r.offeredLinesPerSec = (end.written() - start.written()) / window;
        r.collectedLinesPerSec = (end.collected() - start.collected()) / window;
        r.jobCores = cores(start.jobCpu(), end.jobCpu());
        r.collectorCores = cores(start.collectorCpu(), end.collectorCpu());
        for (int i = 0; i < end.collectorCpuEach().length; i++) {
            r.collectorCoresEach.add(cores(start.collectorCpuEach()[i], end.collectorCpuEach()[i]));
        }
        r.endpointCores = cores(start.endpointCpu(), end.endpointCpu());
        r.generatorCores = cores(start.generatorCpu(), end.generatorCpu());
    }

    private double cores(long startCpuNanos, long endCpuNanos) {
        return (endCpuNanos - startCpuNanos) / 1e9 / seconds();
    }
}
