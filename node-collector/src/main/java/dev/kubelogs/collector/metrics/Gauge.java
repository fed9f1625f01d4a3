package dev.kubelogs.collector.metrics;

/** One gauge time series. Thread-safe. */
public final class Gauge {
    private volatile double value;

    public void set(double value) {
        this.value = value;
    }

    public double get() {
        return value;
    }
}
