package dev.kubelogs.job.source;

import java.io.Serializable;
import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ReadableConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/**
 * How the spool's S3 listing reaches the bucket: the settings Flink's S3 file system plugins read ({@code s3.endpoint},
 * {@code s3.path.style.access}, {@code s3.access-key}, {@code s3.secret-key}), so that discovery lists the bucket the
 * file system reads from, with the same credentials (none given: the SDK's default chain, IRSA on EKS).
 */
record S3ListingSettings(String endpoint, boolean pathStyle, String accessKey, String secretKey)
        implements Serializable {
    private static final Pattern AWS_ENDPOINT = Pattern.compile("(?:^|\\.)s3[.-]([a-z0-9-]+)\\.amazonaws\\.com");

    static S3ListingSettings from(ReadableConfig config) {
        return new S3ListingSettings(
                first(config, "s3.endpoint", "presto.s3.endpoint"),
                Boolean.parseBoolean(
                        first(config, "s3.path.style.access", "s3.path-style-access", "presto.s3.path-style-access")),
                first(config, "s3.access-key", "s3.access.key", "presto.s3.access-key"),
                first(config, "s3.secret-key", "s3.secret.key", "presto.s3.secret-key"));
    }

    private static String first(ReadableConfig config, String... keys) {
        for (String key : List.of(keys)) {
            String v = config.toMap().get(key);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "S3ListingSettings[endpoint=" + endpoint + ", pathStyle=" + pathStyle + ", credentials="
                + (accessKey != null ? "s3.access-key" : "the SDK's default chain") + "]";
    }

    S3AsyncClient client() {
        AwsCredentialsProvider credentials = accessKey != null && secretKey != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey))
                : DefaultCredentialsProvider.builder().build();
        S3AsyncClientBuilder b = S3AsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .credentialsProvider(credentials)
                .forcePathStyle(pathStyle)
                .region(region());
        if (endpoint != null) {
            // S3-compatible servers: checksums only where the API requires them, as the collector's client does
            b.endpointOverride(URI.create(endpoint.contains("://") ? endpoint : "https://" + endpoint))
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b.build();
    }

    /** The region of an AWS endpoint's host name, else the SDK's chain; us-east-1 for another S3-compatible server. */
    Region region() {
        if (endpoint != null) {
            Matcher m = AWS_ENDPOINT.matcher(URI.create(endpoint.contains("://") ? endpoint : "https://" + endpoint)
                    .getHost());
            if (m.find()) {
                return Region.of(m.group(1));
            }
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            if (endpoint != null) {
                return Region.US_EAST_1; // an S3-compatible server signs with whatever region the request names
            }
            throw new IllegalArgumentException(
                    "the spool is on S3 but no region is known for listing it: set s3.endpoint (e.g. "
                            + "s3.<region>.amazonaws.com) or AWS_REGION",
                    e);
        }
    }
}
