package dev.kubelogs.job.sink.cloudwatch.wire;

/**
 * Events whose messages are slices of one array: event {@code i} is {@code timestamps[i]} and the well-formed UTF-8
 * {@code bytes[starts[i], starts[i] + lengths[i])} followed by {@code bytes[tailStarts[i], tailStarts[i] +
 * tailLengths[i])} (a tail several events share, the same slice for each: a stream's kubernetes block; it starts at a
 * character). The arrays are shared, not copied.
 */
public record MessageSlices(
        byte[] bytes, long[] timestamps, int[] starts, int[] lengths, int[] tailStarts, int[] tailLengths) {
    public MessageSlices {
        int n = timestamps.length;
        if (starts.length != n || lengths.length != n || tailStarts.length != n || tailLengths.length != n) {
            throw new IllegalArgumentException("timestamps, starts, lengths and tails differ in length");
        }
    }

    /** Without shared tails. */
    public MessageSlices(byte[] bytes, long[] timestamps, int[] starts, int[] lengths) {
        this(bytes, timestamps, starts, lengths, new int[starts.length], new int[starts.length]);
    }

    public int size() {
        return starts.length;
    }

    /** UTF-8 bytes of message {@code i}. */
    public int messageLength(int i) {
        return lengths[i] + tailLengths[i];
    }
}
