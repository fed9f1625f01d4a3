package dev.kubelogs.collector.tail;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Waits at most a second for what normally follows within milliseconds: the watcher's open of a new file at a watched
 * path, the new file of a rotation whose link dangles meanwhile. Remembers since when each key has been waiting.
 */
final class Grace<K> {
    static final long NANOS = 1_000_000_000L;

    private final Map<K, Long> since = new HashMap<>();

    /** Whether {@code key} was first seen less than a second ago (and notes it if new). */
    boolean within(K key) {
        long now = System.nanoTime();
        return now - since.computeIfAbsent(key, k -> now) < NANOS;
    }

    /** Forgets every key but {@code stillWaiting}: one that waits again later starts afresh. */
    void retainOnly(Set<K> stillWaiting) {
        since.keySet().retainAll(stillWaiting);
    }
}
