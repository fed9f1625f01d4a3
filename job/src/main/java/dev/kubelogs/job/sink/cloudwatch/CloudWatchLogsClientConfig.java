package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.lean.LeanPutLogEvents;
import dev.kubelogs.job.sink.cloudwatch.wire.PutLogEventsBody;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClientBuilder;

/**
 * Serializable description of a {@link CloudWatchLogsAsyncClient}; the client itself is built in the
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
     * How long an idle connection is kept. The committer calls CloudWatch once per checkpoint, and the SDK's Netty
     * client closes connections idle for 5 s by default: every round would open new ones, a TLS handshake each. 60 s
     * is the SDK's default for its other HTTP clients.
     */
    static final Duration CONNECTION_MAX_IDLE = Duration.ofSeconds(60);

    /** Completes a call's future on the thread that has its answer (see {@link #createClient()}). */
    static final Executor DIRECT = Runnable::run;

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

    /**
     * A client plus the event loop it runs on. The event loop belongs to this handle (not to the SDK), so
     * {@link #close()} can shut it down without the SDK's two-second quiet period.
     */
    public static final class Client implements AutoCloseable {
        private final CloudWatchLogsAsyncClient api;
        private final SdkAsyncHttpClient http;
        private final LeanPutLogEvents leanPuts;
        private final SdkEventLoopGroup eventLoop;

        Client(
                CloudWatchLogsAsyncClient api,
                SdkAsyncHttpClient http,
                LeanPutLogEvents leanPuts,
                SdkEventLoopGroup eventLoop) {
            this.api = api;
            this.http = http;
            this.leanPuts = leanPuts;
            this.eventLoop = eventLoop;
        }

        public CloudWatchLogsAsyncClient api() {
            return api;
        }

        /** PutLogEvents on {@link #api()}'s HTTP client without its request pipeline. */
        public LeanPutLogEvents leanPuts() {
            return leanPuts;
        }

        @Override
        public void close() {
            try {
                leanPuts.close(); // a put waiting for its answer ends now, not when the connection goes
                api.close();
                http.close(); // given to the SDK client, so not closed by it
            } finally {
                eventLoop
                        .eventLoopGroup()
                        .shutdownGracefully(0, 5, TimeUnit.SECONDS)
                        .awaitUninterruptibly(5_000);
            }
        }
    }

    /**
     * Builds a netty-based async client with SDK retries off and the configured call timeout.
     *
     * <p>One event loop thread: with two, the SDK's channel pool and a connection may sit on different threads, and
     * every put then hands tasks and selector wake-ups from one to the other; one thread carries a subtask's puts
     * (a few dozen a second, each mostly a copy into the socket) with room to spare. Futures complete on that thread
     * ({@link SdkAdvancedAsyncClientOption#FUTURE_COMPLETION_EXECUTOR} runs them directly) instead of being handed to
     * the SDK's response pool: every caller waits for its call on its own thread ({@link Calls#join}) and chains no
     * blocking stage, so one thread hand-off per call is saved and nothing blocks the event loop. No attempt timeout
     * beside the call timeout: with retries off the call is its one attempt.
     */
    public Client createClient() {
        AtomicInteger threads = new AtomicInteger();
        SdkEventLoopGroup eventLoop = SdkEventLoopGroup.builder()
                .numberOfThreads(1)
                .threadFactory(r -> {
                    Thread t = new Thread(r, "cwlogs-netty-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                })
                .build();
        AwsCredentialsProvider provider = credentials == Credentials.STATIC
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey))
                : DefaultCredentialsProvider.builder().build();
        SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder()
                .eventLoopGroup(eventLoop)
                .maxConcurrency(maxConcurrency)
                .connectionTimeout(Duration.ofSeconds(10))
                .connectionMaxIdleTime(CONNECTION_MAX_IDLE)
                .readTimeout(apiCallTimeout)
                .writeTimeout(apiCallTimeout)
                .build();
        CloudWatchLogsAsyncClientBuilder b = CloudWatchLogsAsyncClient.builder()
                .region(Region.of(region))
                .credentialsProvider(provider)
                .httpClient(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(apiCallTimeout)
                        .addExecutionInterceptor(new PutLogEventsBody.Interceptor())
                        .build())
                .asyncConfiguration(
                        c -> c.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, DIRECT));
        if (endpointOverride != null) {
            b.endpointOverride(URI.create(endpointOverride));
        }
        LeanPutLogEvents leanPuts = LeanPutLogEvents.create(http, provider, region, endpointOverride, apiCallTimeout);
        return new Client(b.build(), http, leanPuts, eventLoop);
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
