package dev.kubelogs.collector.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** One counter time series: only goes up. Thread-safe. */
public final class Counter {
    private final LongAdder longs = new LongAdder();
    private final DoubleAdder doubles = new DoubleAdder();

    public void inc() {
        longs.increment();
    }

    public void inc(long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("a counter cannot decrease: " + amount);
        }
        longs.add(amount);
    }

    public void inc(double amount) {
        if (!(amount >= 0)) {
            throw new IllegalArgumentException("a counter cannot decrease: " + amount);
        }
        doubles.add(amount);
    }

    public double get() {
        return longs.sum() + doubles.sum();
    }

    public long getLongValue() {
        return (long) get();
    }
}
