package dev.kubelogs.collector.spool;

/**
 * The Kinesis data stream closed segments are put into, one record each, instead of S3; off when {@code stream} is
 * null.
 *
 * @param stream the stream's name or ARN
 * @param endpoint a Kinesis-compatible endpoint URL (tests), or null for AWS
 * @param region the AWS region, or null for the SDK's default
 */
public record KinesisSettings(String stream, String endpoint, String region) {
    /** Kinesis's limit on one record's data (the partition key counts too, and is far below the margin we keep). */
    public static final long MAX_RECORD_BYTES = 1L << 20;

    public boolean enabled() {
        return stream != null;
    }
}
