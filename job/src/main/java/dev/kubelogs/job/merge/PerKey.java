package dev.kubelogs.job.merge;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one stage of this instance knows about each node key's state, so the hot path skips state reads (each one
 * a RocksDB lookup in production). Only this instance writes a key's state, so a view stays exact; views start
 * empty after open() and are filled from state on first use. Bounded: past {@value #MAX_KEYS} keys all are
 * forgotten and read again.
 */
public final class PerKey<V> {
    private static final int MAX_KEYS = 100_000;

    private final Map<String, V> views = new HashMap<>();
    private final Supplier<V> create;

    public PerKey(Supplier<V> create) {
        this.create = create;
    }

    public V of(String key) {
        V view = views.get(key);
        if (view == null) {
            if (views.size() > MAX_KEYS) {
                views.clear();
            }
            view = create.get();
            views.put(key, view);
        }
        return view;
    }
}
