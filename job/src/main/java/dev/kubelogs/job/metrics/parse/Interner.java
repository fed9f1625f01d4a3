package dev.kubelogs.job.metrics.parse;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Makes equal values built by different parsers one instance, so that the same label set or name scraped from one
 * target by one thread now and another next time is the same object, and a comparison of this scrape's series with
 * the last one's ({@code SeriesLayout}) is mostly an identity check. Consulted only when a parser builds a value its own
 * cache does not have. Direct-mapped by hash code: a collision replaces the slot, so memory stays bounded; an unequal
 * value in the slot is never returned. Thread-safe.
 */
final class Interner<T> {
    private final AtomicReferenceArray<T> slots;
    private final int mask;

    Interner(int slotsPowerOfTwo) {
        if (Integer.bitCount(slotsPowerOfTwo) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slotsPowerOfTwo);
        }
        slots = new AtomicReferenceArray<>(slotsPowerOfTwo);
        mask = slotsPowerOfTwo - 1;
    }

    /** The instance equal to {@code value} that this interner holds, else {@code value}, which it then holds. */
    T intern(T value) {
        int h = value.hashCode();
        int slot = (h ^ (h >>> 16)) & mask;
        T held = slots.get(slot);
        if (held != null && held.equals(value)) {
            return held;
        }
        slots.set(slot, value);
        return value;
    }
}
