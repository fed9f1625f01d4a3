package dev.kubelogs.collector.spool;

/**
 * Where closed segments are uploaded to; off when {@code uri} is null.
 *
 * @param uri {@code s3://bucket/prefix}: segments go to {@code <prefix>/<cluster>/<node>/<seq>.seg}
 * @param endpoint an S3-compatible endpoint URL (path-style; tests, MinIO), or null for AWS
 * @param region the AWS region, or null for the SDK's default
 */
public record S3Settings(String uri, String endpoint, String region) {

    public S3Settings {
        if (uri != null) {
            S3Uploader.Target.parse(uri); // validates early
        }
    }

    public boolean enabled() {
        return uri != null;
    }
}
