package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.cwlocal.StoredEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;

/** The loop that composes put, read-back, resource creation and retry policy, against the local endpoint. */
class BatchDelivererTest {
    @RegisterExtension
    static final LocalEndpointExtension LOCAL = new LocalEndpointExtension();

    @TempDir
    Path tmp;

    private static final long T = System.currentTimeMillis() - 60_000;

    private BatchDeliverer deliverer(DeliveryParts p) throws Exception {
        return new BatchDeliverer(
                p.client.api(),
                p.config,
                DeadLetterWriter.open(
                        p.config.deadLetter(), "committer", 0, p.config, null, new UnregisteredMetricsGroup()),
                p.metrics,
                p.health);
    }

    /** An SDK client as built by default: no PutLogEventsBody.Interceptor. */
    private static CloudWatchLogsAsyncClient clientWithoutInterceptor() {
        return CloudWatchLogsAsyncClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(LOCAL.endpoint().endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    private static List<String> stored(String group) {
        return LOCAL.endpoint().events(group, "s").stream()
                .map(StoredEvent::message)
                .collect(Collectors.toList());
    }

    private static List<String> messages(List<SinkEvent> events) {
        return events.stream().map(SinkEvent::message).collect(Collectors.toList());
    }

    @Test
    void aMissingGroupAndStreamAreCreatedThenTheBatchIsPutOnce() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            String g = DeliveryParts.newGroup("deliverer");
            List<SinkEvent> events = DeliveryParts.events(50, T, "fresh");
            assertThat(deliverer(p).deliver(g, "s", events, false, 0)).isEqualTo(BatchDeliverer.Result.WRITTEN);
            assertThat(stored(g)).containsExactlyElementsOf(messages(events));
            assertThat(p.metrics.eventsWritten()).isEqualTo(50);
            assertThat(p.metrics.readBacks()).isZero();
        }
    }

    @Test
    void anAmbiguousFailureIsReadBackAndNothingIsStoredTwice() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            String g = DeliveryParts.newGroup("deliverer");
            BatchDeliverer deliverer = deliverer(p);
            deliverer.deliver(g, "s", DeliveryParts.events(1, T - 1, "first"), false, 0); // creates the stream
            List<SinkEvent> events = DeliveryParts.events(30, T, "dropped");
            LOCAL.endpoint().faults().dropResponses(1); // stored, but the answer is lost

            assertThat(deliverer.deliver(g, "s", events, false, 0)).isEqualTo(BatchDeliverer.Result.ALREADY_PRESENT);
            assertThat(stored(g)).hasSize(31).containsSubsequence(messages(events));
            assertThat(p.metrics.readBacks()).isEqualTo(1);
            assertThat(p.metrics.eventsAlreadyPresent()).isEqualTo(30);
        }
    }

    @Test
    void aRestoredBatchIsReadBackFirstAndOnlyTheMissingArePut() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            String g = DeliveryParts.newGroup("deliverer");
            List<SinkEvent> events = DeliveryParts.events(10, T, "restored");
            BatchDeliverer deliverer = deliverer(p);
            deliverer.deliver(g, "s", events.subList(0, 4), false, 0);

            assertThat(deliverer.deliver(g, "s", events, true, 0)).isEqualTo(BatchDeliverer.Result.WRITTEN);
            assertThat(stored(g)).containsExactlyElementsOf(messages(events));
            assertThat(p.metrics.eventsAlreadyPresent()).isEqualTo(4);
        }
    }

    @Test
    void aSpentBudgetFailsTheBatch() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 3)) {
            String g = DeliveryParts.newGroup("deliverer");
            LOCAL.endpoint().faults().throttle("PutLogEvents", 10);
            assertThatThrownBy(() -> deliverer(p).deliver(g, "s", DeliveryParts.events(3, T, "throttled"), false, 0))
                    .isInstanceOf(DeliveryException.class)
                    .hasMessageContaining("giving up after 3 failed calls");
            assertThat(p.metrics.throttles()).isEqualTo(3);
        }
    }

    @Test
    void theDelivererRefusesAClientWithoutTheInterceptor() {
        try (CloudWatchLogsAsyncClient plain = clientWithoutInterceptor()) {
            CloudWatchLogsSinkConfig config = SinkTestSupport.localBuilder(
                            LOCAL.endpoint().endpoint(), tmp)
                    .build()
                    .config();
            assertThatThrownBy(() -> new BatchDeliverer(plain, config, null, null, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PutLogEventsBody.Interceptor");
        }
    }

    @Test
    void withTheSdksMarshallerTheClientNeedsNoInterceptor() throws Exception {
        String g = DeliveryParts.newGroup("deliverer");
        CloudWatchLogsSinkConfig config = SinkTestSupport.localBuilder(
                        LOCAL.endpoint().endpoint(), tmp)
                .fastRequestBodies(false)
                .build()
                .config();
        try (DeliveryParts p = new DeliveryParts(config);
                CloudWatchLogsAsyncClient plain = clientWithoutInterceptor()) {
            List<SinkEvent> events = DeliveryParts.events(5, T, "plain");
            new BatchDeliverer(plain, config, null, p.metrics, p.health).deliver(g, "s", events, false, 0);
            assertThat(stored(g)).containsExactlyElementsOf(messages(events));
        }
    }
}
