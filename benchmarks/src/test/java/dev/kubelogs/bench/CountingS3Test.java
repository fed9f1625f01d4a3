package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class CountingS3Test {

    @Test
    void requestsAreClassifiedAsS3BillsThem() {
        assertThat(CountingS3.classify(1, "PUT", "/b/spool/c/n/00000000000000000001.seg", null))
                .isEqualTo(new CountingS3.Served(1, CountingS3.Kind.PUT, "spool/c/n/00000000000000000001.seg", 0));
        assertThat(CountingS3.classify(1, "GET", "/b/spool/c/n/x.seg", null).kind())
                .isEqualTo(CountingS3.Kind.GET);
        assertThat(CountingS3.classify(1, "GET", "/b", "list-type=2&prefix=spool%2Fc%2F&delimiter=%2F"))
                .isEqualTo(new CountingS3.Served(1, CountingS3.Kind.LIST, "spool/c/", 0));
        assertThat(CountingS3.classify(1, "GET", "/b/", "prefix=spool&max-keys=1")
                        .kind())
                .isEqualTo(CountingS3.Kind.LIST);
        assertThat(CountingS3.classify(1, "HEAD", "/b/spool", null).kind()).isEqualTo(CountingS3.Kind.HEAD);
        assertThat(CountingS3.classify(1, "DELETE", "/b/spool/x", null).kind()).isEqualTo(CountingS3.Kind.DELETE);
        assertThat(CountingS3.classify(1, "POST", "/b", "delete").kind()).isEqualTo(CountingS3.Kind.DELETE);
        assertThat(CountingS3.classify(1, "POST", "/b/big", "uploads").kind()).isEqualTo(CountingS3.Kind.POST);
    }

    @Test
    void theEndpointCountsWhatAClientSends() throws Exception {
        try (CountingS3 s3 = new CountingS3("bucket");
                S3Client client = S3Client.builder()
                        .httpClient(UrlConnectionHttpClient.create())
                        .region(Region.US_WEST_2)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(CountingS3.ACCESS_KEY, CountingS3.SECRET_KEY)))
                        .endpointOverride(URI.create(s3.endpoint()))
                        .forcePathStyle(true)
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                        .build()) {
            long from = System.currentTimeMillis();
            client.putObject(b -> b.bucket("bucket").key("a/b"), RequestBody.fromString("xyz"));
            client.listObjectsV2(b -> b.bucket("bucket").prefix("a/"));
            client.getObjectAsBytes(b -> b.bucket("bucket").key("a/b"));
            client.deleteObject(b -> b.bucket("bucket").key("a/b"));
            assertThat(s3.served(
                            from,
                            System.currentTimeMillis() + Duration.ofSeconds(1).toMillis()))
                    .extracting(
                            CountingS3.Served::kind,
                            CountingS3.Served::key,
                            CountingS3.Served::status,
                            CountingS3.Served::bytes)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(CountingS3.Kind.PUT, "a/b", 200, 3L),
                            org.assertj.core.groups.Tuple.tuple(CountingS3.Kind.LIST, "a/", 200, -1L),
                            org.assertj.core.groups.Tuple.tuple(CountingS3.Kind.GET, "a/b", 200, -1L),
                            org.assertj.core.groups.Tuple.tuple(CountingS3.Kind.DELETE, "a/b", 204, -1L));
        }
    }
}
