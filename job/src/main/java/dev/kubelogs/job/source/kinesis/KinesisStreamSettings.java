package dev.kubelogs.job.source.kinesis;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;

/**
 * Which stream the source reads and how it reaches it; the SDK client is built where it is used (enumerator,
 * fetcher), since clients are not serializable.
 *
 * @param stream a stream name, or a stream ARN ({@code arn:aws:kinesis:…:stream/NAME})
 * @param endpoint a Kinesis-compatible endpoint instead of AWS's regional one; null for AWS
 * @param localCredentials sign with a dummy key (a local endpoint checks none) instead of the default chain
 */
public record KinesisStreamSettings(
        String stream,
        String region,
        String endpoint,
        boolean localCredentials,
        InitialPosition initialPosition,
        Duration shardDiscoveryInterval,
        Duration idlePollInterval)
        implements Serializable {

    public KinesisStreamSettings {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(initialPosition, "initialPosition");
        Objects.requireNonNull(shardDiscoveryInterval, "shardDiscoveryInterval");
        Objects.requireNonNull(idlePollInterval, "idlePollInterval");
        if (endpoint != null) {
            URI.create(endpoint); // fail fast on a malformed endpoint
        }
    }

    boolean isArn() {
        return stream.startsWith("arn:");
    }

    /** The stream named in a ListShards request, by ARN or by name. */
    ListShardsRequest.Builder naming(ListShardsRequest.Builder request) {
        return isArn() ? request.streamARN(stream) : request.streamName(stream);
    }

    /** The stream named in a GetShardIterator request, by ARN or by name. */
    GetShardIteratorRequest.Builder naming(GetShardIteratorRequest.Builder request) {
        return isArn() ? request.streamARN(stream) : request.streamName(stream);
    }

    /** A client for this stream's endpoint; the caller closes it. */
    KinesisAsyncClient client() {
        AwsCredentialsProvider credentials = localCredentials
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : DefaultCredentialsProvider.builder().build();
        KinesisAsyncClientBuilder b = KinesisAsyncClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)));
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "KinesisStreamSettings[stream=" + stream + ", region=" + region + ", endpoint="
                + (endpoint == null ? "<aws>" : endpoint) + ", initialPosition=" + initialPosition + "]";
    }
}
