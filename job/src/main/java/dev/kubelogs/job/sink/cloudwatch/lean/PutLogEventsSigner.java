package dev.kubelogs.job.sink.cloudwatch.lean;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.endpoints.CloudWatchLogsEndpointProvider;

/**
 * The HTTP request of one PutLogEvents call with a pre-written body, signed by the SDK's public SigV4 signer with the
 * credentials, region and endpoint the SDK client of the same configuration uses.
 *
 * <p>Why: the SDK client's per-request pipeline (interceptors, auth scheme and endpoint resolution per call, a copy of
 * the body) costs about as much CPU per put as the body's bytes do; here the endpoint is resolved once and the body is
 * hashed in place. The signing properties are the ones the CloudWatch Logs client's auth scheme gives its signer.
 */
final class PutLogEventsSigner {
    static final String TARGET = "Logs_20140328.PutLogEvents";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String SIGNING_NAME = "logs";

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final URI endpoint;
    private final Clock clock;

    PutLogEventsSigner(AwsCredentialsProvider credentials, String region, URI endpoint, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.region = Objects.requireNonNull(region, "region");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Signs for {@code endpointOverride}, or for the SDK's endpoint of {@code region} when it is null. */
    static PutLogEventsSigner of(AwsCredentialsProvider credentials, String region, String endpointOverride) {
        return new PutLogEventsSigner(credentials, region, endpoint(region, endpointOverride), Clock.systemUTC());
    }

    /** The endpoint the SDK client resolves for this region and override (its rules: partitions, FIPS, overrides). */
    static URI endpoint(String region, String endpointOverride) {
        return CloudWatchLogsEndpointProvider.defaultProvider()
                .resolveEndpoint(p -> p.region(Region.of(region)).endpoint(endpointOverride))
                .join()
                .url();
    }

    URI endpoint() {
        return endpoint;
    }

    /** The signed request that puts the first {@code length} bytes of {@code body}. */
    SdkHttpRequest sign(byte[] body, int length) {
        return sign(unsigned(length), body, length);
    }

    /** Signs {@code request} (a PutLogEvents request without its body) for the first {@code length} bytes of body. */
    SdkHttpRequest sign(SdkHttpRequest request, byte[] body, int length) {
        ContentStreamProvider payload = () -> new ByteArrayInputStream(body, 0, length);
        return signer.sign(r -> r.identity(credentials.resolveCredentials())
                        .request(request)
                        .payload(payload)
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, true)
                        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, true)
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                        .putProperty(HttpSigner.SIGNING_CLOCK, clock))
                .request();
    }

    /** The request as the SDK's JSON protocol writes it, before signing. */
    SdkHttpRequest unsigned(int length) {
        String path = endpoint.getRawPath();
        return SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .protocol(endpoint.getScheme())
                .host(endpoint.getHost())
                .port(endpoint.getPort() < 0 ? null : endpoint.getPort())
                .encodedPath(path == null || path.isEmpty() ? "/" : path)
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("X-Amz-Target", TARGET)
                .putHeader("Content-Length", Integer.toString(length))
                .build();
    }
}
