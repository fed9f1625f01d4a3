package dev.kubelogs.job.sink.cloudwatch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte-array scans eight bytes at a time (word-at-a-time bit tricks), for the sink's per-byte hot loops. */
final class Words {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final long ONES = 0x0101010101010101L;
    static final long HIGH_BITS = 0x8080808080808080L;

    private Words() {}

    /** The eight bytes at {@code i}, the first in the lowest bits. */
    static long at(byte[] b, int i) {
        return (long) LONGS.get(b, i);
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

    /** How many bytes {@code a} and {@code b} share at their ends. */
    static int commonSuffixLength(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        int k = 0;
        while (k + 8 <= n && at(a, a.length - k - 8) == at(b, b.length - k - 8)) {
            k += 8;
        }
        while (k < n && a[a.length - 1 - k] == b[b.length - 1 - k]) {
            k++;
        }
        return k;
    }
}
