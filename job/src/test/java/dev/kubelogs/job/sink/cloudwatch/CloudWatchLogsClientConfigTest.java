package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;

/** The client description travels in the job graph; the client it builds never retries on its own. */
class CloudWatchLogsClientConfigTest {
    @RegisterExtension
    static final LocalEndpointExtension LOCAL = new LocalEndpointExtension();

    private static CloudWatchLogsClientConfig local() {
        return new CloudWatchLogsClientConfig(
                "us-west-2",
                LOCAL.endpoint().endpoint().toString(),
                CloudWatchLogsClientConfig.Credentials.STATIC,
                "test",
                "secret-value",
                Duration.ofSeconds(30),
                8);
    }

    @Test
    void theSdkNeverRetriesACallItself() {
        // a retried PutLogEvents whose first attempt was stored would store the events twice
        LOCAL.endpoint().faults().unavailable("DescribeLogGroups", 1, 503);
        try (CloudWatchLogsClientConfig.Client client = local().createClient()) {
            assertThatThrownBy(() ->
                            client.api().describeLogGroups(b -> b.limit(1)).join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(CloudWatchLogsException.class);
            assertThat(LOCAL.endpoint().faults().calls("DescribeLogGroups")).isEqualTo(1);
            assertThat(client.api().describeLogGroups(b -> b.limit(1)).join().logGroups())
                    .isNotNull();
            assertThat(LOCAL.endpoint().faults().calls("DescribeLogGroups")).isEqualTo(2);
        }
    }

    @Test
    void survivesJavaSerializationAndKeepsTheSecretOutOfItsText() throws Exception {
        CloudWatchLogsClientConfig config = local();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        CloudWatchLogsClientConfig back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (CloudWatchLogsClientConfig) in.readObject();
        }
        assertThat(back.region()).isEqualTo("us-west-2");
        assertThat(back.endpointOverride()).isEqualTo(config.endpointOverride());
        assertThat(back.credentials()).isEqualTo(CloudWatchLogsClientConfig.Credentials.STATIC);
        assertThat(back.apiCallTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(back.maxConcurrency()).isEqualTo(8);
        try (CloudWatchLogsClientConfig.Client client = back.createClient()) {
            assertThat(client.api().describeLogGroups(b -> b.limit(1)).join().logGroups())
                    .isNotNull();
        }
        assertThat(config.toString()).contains("us-west-2", "STATIC").doesNotContain("secret-value");
        assertThat(new CloudWatchLogsClientConfig(
                                "eu-west-1",
                                null,
                                CloudWatchLogsClientConfig.Credentials.DEFAULT_CHAIN,
                                null,
                                null,
                                Duration.ofSeconds(1),
                                1)
                        .toString())
                .contains("endpoint=<aws>");
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> new CloudWatchLogsClientConfig(
                        "us-west-2",
                        null,
                        CloudWatchLogsClientConfig.Credentials.STATIC,
                        "key",
                        null,
                        Duration.ofSeconds(1),
                        1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("static credentials");
        assertThatThrownBy(() -> new CloudWatchLogsClientConfig(
                        "us-west-2",
                        "http://bad host:1",
                        CloudWatchLogsClientConfig.Credentials.DEFAULT_CHAIN,
                        null,
                        null,
                        Duration.ofSeconds(1),
                        1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CloudWatchLogsClientConfig(
                        null,
                        null,
                        CloudWatchLogsClientConfig.Credentials.DEFAULT_CHAIN,
                        null,
                        null,
                        Duration.ofSeconds(1),
                        1))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("region");
    }
}
