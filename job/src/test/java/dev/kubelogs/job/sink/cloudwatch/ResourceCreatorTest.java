package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.Faults;
import dev.kubelogs.cwlocal.LogGroupInfo;
import dev.kubelogs.cwlocal.LogStreamInfo;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Group, retention and stream creation against the local endpoint. */
class ResourceCreatorTest {
    @RegisterExtension
    static final LocalEndpointExtension LOCAL = new LocalEndpointExtension();

    @TempDir
    Path tmp;

    private DeliveryParts parts() {
        return new DeliveryParts(SinkTestSupport.localBuilder(LOCAL.endpoint().endpoint(), tmp)
                .retentionInDays(14)
                .backoff(Duration.ZERO, Duration.ZERO, 5, Duration.ofMinutes(1))
                .build()
                .config());
    }

    private static ResourceCreator creator(DeliveryParts p) {
        return new ResourceCreator(p.client.api(), p.config, p.policy, p.metrics);
    }

    private static Faults faults() {
        return LOCAL.endpoint().faults();
    }

    private static boolean streamExists(String group, String stream) {
        return LOCAL.endpoint().logStreams(group).stream()
                .map(LogStreamInfo::name)
                .anyMatch(stream::equals);
    }

    @Test
    void createsTheGroupWithRetentionThenTheStream() throws Exception {
        try (DeliveryParts p = parts()) {
            String g = DeliveryParts.newGroup("resources");
            creator(p).createStream(g, "s", p.policy.budget("b"));
            assertThat(LOCAL.endpoint().logGroups())
                    .filteredOn(i -> i.name().equals(g))
                    .singleElement()
                    .extracting(LogGroupInfo::retentionInDays)
                    .isEqualTo(14);
            assertThat(streamExists(g, "s")).isTrue();
            assertThat(p.metrics.resourcesCreated()).isEqualTo(3);
        }
    }

    @Test
    void aGroupKnownToExistIsNotCreatedAgainAndExistingResourcesAreFine() throws Exception {
        try (DeliveryParts p = parts()) {
            String g = DeliveryParts.newGroup("resources");
            LOCAL.sdk().createLogGroup(b -> b.logGroupName(g));
            LOCAL.sdk().createLogStream(b -> b.logGroupName(g).logStreamName("old"));
            ResourceCreator creator = creator(p);
            creator.createStream(g, "old", p.policy.budget("b")); // both exist already: no error, no retention
            assertThat(LOCAL.endpoint().logGroups())
                    .filteredOn(i -> i.name().equals(g))
                    .singleElement()
                    .extracting(LogGroupInfo::retentionInDays)
                    .isNull();

            long groupCalls = faults().calls("CreateLogGroup");
            creator.createStream(g, "new", p.policy.budget("b"));
            assertThat(faults().calls("CreateLogGroup")).isEqualTo(groupCalls);
            assertThat(streamExists(g, "new")).isTrue();
        }
    }

    @Test
    void aGroupDeletedUnderUsIsCreatedAgain() throws Exception {
        try (DeliveryParts p = parts()) {
            String g = DeliveryParts.newGroup("resources");
            ResourceCreator creator = creator(p);
            creator.groupExists(g); // believed to exist, but it does not
            creator.createStream(g, "s", p.policy.budget("b"));
            assertThat(streamExists(g, "s")).isTrue();
        }
    }

    @Test
    void throttledCallsAreBackedOffWithinTheBudget() throws Exception {
        try (DeliveryParts p = parts()) {
            String g = DeliveryParts.newGroup("resources");
            faults().throttle("CreateLogStream", 2);
            RetryPolicy.Budget budget = p.policy.budget("b");
            creator(p).createStream(g, "s", budget);
            assertThat(streamExists(g, "s")).isTrue();
            assertThat(budget.failures()).isEqualTo(2);
            assertThat(p.metrics.throttles()).isEqualTo(2);
        }
    }
}
