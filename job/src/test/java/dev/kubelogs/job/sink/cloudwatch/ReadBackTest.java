package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/** What of a batch is stored, read from the local endpoint. */
class ReadBackTest {
    @RegisterExtension
    static final LocalEndpointExtension LOCAL = new LocalEndpointExtension();

    @TempDir
    Path tmp;

    private static final long T = System.currentTimeMillis() - 60_000;

    private static String stream(String group, List<SinkEvent> stored) {
        CloudWatchLogsClient sdk = LOCAL.sdk();
        sdk.createLogGroup(b -> b.logGroupName(group));
        sdk.createLogStream(b -> b.logGroupName(group).logStreamName("s"));
        if (!stored.isEmpty()) {
            List<InputLogEvent> in = new ArrayList<>();
            for (SinkEvent e : stored) {
                in.add(InputLogEvent.builder()
                        .timestamp(e.timestamp())
                        .message(e.message())
                        .build());
            }
            sdk.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(in));
        }
        return "s";
    }

    private static List<Integer> missing(
            DeliveryParts p, String group, List<SinkEvent> batch, boolean[] settled, Ledger ledger) throws Exception {
        return new ReadBack(p.client.api(), p.policy, p.metrics)
                .missing(group, "s", batch, settled, ledger, p.policy.budget("test batch"));
    }

    @Test
    void everythingIsMissingWhenTheStreamDoesNotExist() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            List<SinkEvent> batch = DeliveryParts.events(5, T, "none");
            assertThat(missing(p, DeliveryParts.newGroup("readback"), batch, new boolean[5], null))
                    .containsExactly(0, 1, 2, 3, 4);
            assertThat(p.metrics.readBacks()).isEqualTo(1);
        }
    }

    @Test
    void missingIsTheBatchMinusTheStoredMultiset() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            String g = DeliveryParts.newGroup("readback");
            List<SinkEvent> batch = new ArrayList<>(DeliveryParts.events(6, T, "half"));
            batch.add(3, batch.get(2)); // the same (timestamp, message) twice in the batch, stored once
            stream(g, List.of(batch.get(0), batch.get(2), batch.get(4)));
            assertThat(missing(p, g, batch, new boolean[batch.size()], null)).containsExactly(1, 3, 5, 6);
        }
    }

    @Test
    void deadLetteredEventsAreNeitherMissingNorPresent() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            String g = DeliveryParts.newGroup("readback");
            List<SinkEvent> batch = DeliveryParts.events(4, T, "settled");
            stream(g, List.of(batch.get(0)));
            assertThat(missing(p, g, batch, new boolean[] {false, true, false, false}, null))
                    .containsExactly(2, 3);
        }
    }

    @Test
    void copiesAnEarlierBatchOfTheLedgerStoredAreNotThisBatchs() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            String g = DeliveryParts.newGroup("readback");
            SinkEvent line = new SinkEvent(T, "{\"log\":\"same line\"}", "src", 0);
            stream(g, List.of(line)); // stored by the earlier batch, not by this one
            Ledger ledger = new Ledger();
            ledger.add(EventArena.of(List.of(line)), new boolean[1]);
            assertThat(missing(p, g, List.of(line), new boolean[1], ledger)).containsExactly(0);
            assertThat(missing(p, g, List.of(line), new boolean[1], null)).isEmpty();
        }
    }

    @Test
    void aTransientFailureChargesTheBudgetAndAsksForAnotherRead() throws Exception {
        try (DeliveryParts p = new DeliveryParts(LOCAL.endpoint(), tmp, 5)) {
            String g = DeliveryParts.newGroup("readback");
            stream(g, List.of());
            LOCAL.endpoint().faults().unavailable("GetLogEvents", 1, 503);
            RetryPolicy.Budget budget = p.policy.budget("b");
            ReadBack readBack = new ReadBack(p.client.api(), p.policy, p.metrics);
            List<SinkEvent> batch = DeliveryParts.events(2, T, "retry");
            assertThat(readBack.missing(g, "s", batch, new boolean[2], null, budget))
                    .isNull();
            assertThat(budget.failures()).isEqualTo(1);
            assertThat(readBack.missing(g, "s", batch, new boolean[2], null, budget))
                    .containsExactly(0, 1);
        }
    }
}
