package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;

/**
 * Serializable description of a {@link CloudWatchLogsClient}; the client itself is built in the
 * writer and the committer ({@link #createClient()}), because SDK clients are not serializable.
 *
 * <p>The client is always built with SDK retries <b>off</b> ({@link AwsRetryStrategy#doNotRetry()}): an SDK
 * retry of a PutLogEvents whose first attempt was stored would duplicate events. All retries, backoff and
 * read-back are done by {@link BatchDeliverer}. It also carries the {@link PutLogEventsBody.Interceptor}, which puts
 * the sink's own PutLogEvents body on the wire.
 *
 * <p>Credentials: {@link Credentials#DEFAULT_CHAIN} (IRSA / pod identity / env / profile) for AWS, or
 * {@link Credentials#STATIC} with an access key and secret (meant for local CloudWatch-Logs-compatible
 * endpoints, where any dummy key works; the key is part of the job graph, so do not put real secrets here).
 */
public final class CloudWatchLogsClientConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How the client gets its credentials. */
    public enum Credentials {
        DEFAULT_CHAIN,
        STATIC
    }

    /**
     * How long an idle connection is kept. The committer calls CloudWatch once per checkpoint: connections closed
     * sooner (the SDK's Netty client closed them after 5 s) would be opened again every round, a TLS handshake each.
     */
    static final Duration CONNECTION_MAX_IDLE = Duration.ofSeconds(60);

    private final String region;
    private final String endpointOverride;
    private final Credentials credentials;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final Duration apiCallTimeout;
    private final int maxConcurrency;

    CloudWatchLogsClientConfig(
            String region,
            String endpointOverride,
            Credentials credentials,
            String accessKeyId,
            String secretAccessKey,
            Duration apiCallTimeout,
            int maxConcurrency) {
        this.region = Objects.requireNonNull(region, "region");
        this.endpointOverride = endpointOverride;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.apiCallTimeout = Objects.requireNonNull(apiCallTimeout, "apiCallTimeout");
        this.maxConcurrency = maxConcurrency;
        if (credentials == Credentials.STATIC && (accessKeyId == null || secretAccessKey == null)) {
            throw new IllegalArgumentException("static credentials need an access key id and a secret");
        }
        if (endpointOverride != null) {
            URI.create(endpointOverride); // fail fast on a malformed endpoint
        }
    }

    public String region() {
        return region;
    }

    /** The endpoint override, or null for the regional AWS endpoint. */
    public String endpointOverride() {
        return endpointOverride;
    }

    public Credentials credentials() {
        return credentials;
    }

    public Duration apiCallTimeout() {
        return apiCallTimeout;
    }

    public int maxConcurrency() {
        return maxConcurrency;
    }

    /** The client, closed with its HTTP client and connections. */
    public static final class Client implements AutoCloseable {
        private final CloudWatchLogsClient api;

        Client(CloudWatchLogsClient api) {
            this.api = api;
        }

        public CloudWatchLogsClient api() {
            return api;
        }

        /** Closes the client; a call blocked on one of its connections fails then, before its timeout. */
        @Override
        public void close() {
            api.close();
        }
    }

    /**
     * Builds a synchronous client on the SDK's Apache HttpClient 5, SDK retries off, the configured call timeout.
     *
     * <p>Synchronous: every caller (the committer's stream workers, the writer's resource creation) waits for its
     * call on its own thread anyway ({@link Calls#call}), so the call runs on that thread, with no event loop thread
     * and no hand-offs between the two. No {@code Expect: 100-continue}: a put would wait a round trip for the
     * service's go-ahead before sending its body. No attempt timeout beside the call timeout: with retries off the
     * call is its one attempt; the socket timeout matches it.
     */
    public Client createClient() {
        AwsCredentialsProvider provider = credentials == Credentials.STATIC
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey))
                : DefaultCredentialsProvider.builder().build();
        CloudWatchLogsClientBuilder b = CloudWatchLogsClient.builder()
                .region(Region.of(region))
                .credentialsProvider(provider)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(maxConcurrency)
                        .connectionTimeout(Duration.ofSeconds(10))
                        .connectionMaxIdleTime(CONNECTION_MAX_IDLE)
                        .socketTimeout(apiCallTimeout)
                        .expectContinueEnabled(false))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(apiCallTimeout)
                        .addExecutionInterceptor(new PutLogEventsBody.Interceptor())
                        .build());
        if (endpointOverride != null) {
            b.endpointOverride(URI.create(endpointOverride));
        }
        return new Client(b.build());
    }

    @Override
    public String toString() {
        return "CloudWatchLogsClientConfig{region="
                + region
                + ", endpoint="
                + (endpointOverride == null ? "<aws>" : endpointOverride)
                + ", credentials="
                + credentials
                + ", apiCallTimeout="
                + apiCallTimeout
                + '}';
    }
}
