package dev.kubelogs.job.sink.cloudwatch.wire;

/**
 * Events whose messages are slices of one array: event {@code i} is {@code timestamps[i]} and the well-formed UTF-8
 * {@code bytes[starts[i], starts[i] + lengths[i])}. The arrays are shared, not copied.
 */
public record MessageSlices(byte[] bytes, long[] timestamps, int[] starts, int[] lengths) {
    public MessageSlices {
        if (timestamps.length != starts.length || starts.length != lengths.length) {
            throw new IllegalArgumentException("timestamps, starts and lengths differ in length");
        }
    }

    public int size() {
        return starts.length;
    }
}
