package dev.kubelogs.job.sink.cloudwatch.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Byte-array scans eight bytes at a time (word-at-a-time bit tricks), for the sink's per-byte hot loops. */
public final class Words {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final long ONES = 0x0101010101010101L;
    static final long HIGH_BITS = 0x8080808080808080L;

    private Words() {}

    /** The eight bytes at {@code i}, the first in the lowest bits. */
    static long at(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** Stores the eight bytes of {@code v} at {@code i}, the lowest first. */
    static void put(byte[] b, int i, long v) {
        LONGS.set(b, i, v);
    }

    /**
     * The high bit set in every byte of {@code v} that is zero — and possibly in bytes above a zero one (a borrow),
     * never below: the lowest flagged byte is always a true zero.
     */
    static long zeroBytes(long v) {
        return (v - ONES) & ~v & HIGH_BITS;
    }

    /** The same byte eight times. */
    static long repeated(int b) {
        return (b & 0xFF) * ONES;
    }

    /**
     * As {@link #commonSuffixLength(byte[], byte[])}, cheaper when {@code hint} (the length found for the previous pair,
     * say) is at most the answer: those bytes are compared at once by the JDK's vectorized range compare, and only
     * the few bytes beyond them one by one.
     */
    public static int commonSuffixLength(byte[] a, byte[] b, int hint) {
        int n = Math.min(a.length, b.length);
        if (hint <= 0 || hint > n || !endsEqual(a, b, hint)) {
            return commonSuffixLength(a, b);
        }
        int k = hint;
        while (k < n && a[a.length - 1 - k] == b[b.length - 1 - k]) {
            k++;
        }
        return k;
    }

    /** Whether the last {@code length} bytes of {@code a} and {@code b} are equal (both at least that long). */
    static boolean endsEqual(byte[] a, byte[] b, int length) {
        return endsEqual(a, a.length, b, b.length, length);
    }

    /** As {@link #endsEqual(byte[], byte[], int)} for the {@code length} bytes before {@code aEnd} and {@code bEnd}. */
    static boolean endsEqual(byte[] a, int aEnd, byte[] b, int bEnd, int length) {
        return Arrays.equals(a, aEnd - length, aEnd, b, bEnd - length, bEnd);
    }

    /** How many bytes {@code a} and {@code b} share at their ends. */
    public static int commonSuffixLength(byte[] a, byte[] b) {
        return commonSuffixLength(a, 0, a.length, b, 0, b.length);
    }

    /** How many bytes {@code a[aFrom, aEnd)} and {@code b[bFrom, bEnd)} share at their ends. */
    public static int commonSuffixLength(byte[] a, int aFrom, int aEnd, byte[] b, int bFrom, int bEnd) {
        int n = Math.min(aEnd - aFrom, bEnd - bFrom);
        int k = 0;
        while (k + 8 <= n && at(a, aEnd - k - 8) == at(b, bEnd - k - 8)) {
            k += 8;
        }
        while (k < n && a[aEnd - 1 - k] == b[bEnd - 1 - k]) {
            k++;
        }
        return k;
    }
}
