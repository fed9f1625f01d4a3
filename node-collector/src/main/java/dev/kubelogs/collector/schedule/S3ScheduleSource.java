package dev.kubelogs.collector.schedule;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The schedule of an S3 spool: {@code s3://bucket/<prefix>/discovery-schedule.json}, read with the uploader's client
 * (its credentials and endpoint). A missing object is no schedule; any other failure is thrown to the poller.
 */
public final class S3ScheduleSource implements ScheduleSource {
    private static final int NOT_FOUND = 404;
    private static final String NO_SUCH_BUCKET = "NoSuchBucket";

    private final S3Client s3;
    private final String bucket;
    private final String key;

    /** {@code key}: the schedule's key at the spool's prefix root ({@code S3Uploader.Target#key(String)}). */
    public S3ScheduleSource(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
    }

    @Override
    public byte[] read() {
        try {
            return s3.getObjectAsBytes(
                            GetObjectRequest.builder().bucket(bucket).key(key).build())
                    .asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_FOUND && !NO_SUCH_BUCKET.equals(errorCode(e))) {
                return null; // an S3-compatible server's 404 without the NoSuchKey code; a missing bucket is an error
            }
            throw e;
        }
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    @Override
    public String where() {
        return "s3://" + bucket + "/" + key;
    }
}
