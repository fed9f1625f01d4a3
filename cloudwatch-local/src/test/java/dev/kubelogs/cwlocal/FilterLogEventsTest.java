package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** FilterLogEvents across streams: order, stream selection, time range, term patterns and paging. */
class FilterLogEventsTest extends EndpointTestBase {

    @BeforeEach
    void data() {
        createGroupAndStream("g", "pod-a");
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("pod-b"));
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("node"));
        put(
                "g",
                "pod-a",
                ev(NOW_MS + 1, "INFO start a"),
                ev(NOW_MS + 4, "ERROR boom a"),
                ev(NOW_MS + 6, "WARN slow a"));
        put(
                "g",
                "pod-b",
                ev(NOW_MS + 2, "INFO start b"),
                ev(NOW_MS + 4, "ERROR Retrying b"),
                ev(NOW_MS + 5, "DEBUG b"));
        put("g", "node", ev(NOW_MS + 3, "kernel: ERROR disk full"));
    }

    private List<String> filter(
            java.util.function.Consumer<
                            software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest.Builder>
                    c) {
        List<String> out = new ArrayList<>();
        logs.filterLogEventsPaginator(b -> {
                    b.logGroupName("g");
                    c.accept(b);
                })
                .events()
                .forEach(e -> out.add(e.message()));
        return out;
    }

    @Test
    void mergesStreamsByTimestampThenIngestionOrder() {
        FilterLogEventsResponse r = logs.filterLogEvents(b -> b.logGroupName("g"));
        assertThat(r.events())
                .extracting(FilteredLogEvent::message)
                .containsExactly(
                        "INFO start a",
                        "INFO start b",
                        "kernel: ERROR disk full",
                        "ERROR boom a",
                        "ERROR Retrying b",
                        "DEBUG b",
                        "WARN slow a");
        assertThat(r.nextToken()).isNull();
        FilteredLogEvent e = r.events().get(0);
        assertThat(e.logStreamName()).isEqualTo("pod-a");
        assertThat(e.timestamp()).isEqualTo(NOW_MS + 1);
        assertThat(e.ingestionTime()).isEqualTo(NOW_MS);
        assertThat(r.events())
                .extracting(FilteredLogEvent::eventId)
                .doesNotHaveDuplicates()
                .allMatch(id -> id.matches("\\d{56}"));
    }

    @Test
    void selectsStreamsByNameOrPrefix() {
        assertThat(filter(b -> b.logStreamNames("node", "pod-b")))
                .containsExactly("INFO start b", "kernel: ERROR disk full", "ERROR Retrying b", "DEBUG b");
        assertThat(filter(b -> b.logStreamNamePrefix("pod-"))).hasSize(6).doesNotContain("kernel: ERROR disk full");
        assertThatThrownBy(() -> logs.filterLogEvents(
                        b -> b.logGroupName("g").logStreamNames("node").logStreamNamePrefix("p")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.filterLogEvents(b -> b.logGroupName("g").logStreamNames("missing")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("The specified log stream does not exist.");
        assertThatThrownBy(() -> logs.filterLogEvents(b -> b.logGroupName("missing")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void timeRangeIncludesBothEnds() {
        assertThat(filter(b -> b.startTime(NOW_MS + 3).endTime(NOW_MS + 4)))
                .containsExactly("kernel: ERROR disk full", "ERROR boom a", "ERROR Retrying b");
    }

    @Test
    void termPatterns() {
        assertThat(filter(b -> b.filterPattern("ERROR")))
                .containsExactly("kernel: ERROR disk full", "ERROR boom a", "ERROR Retrying b");
        assertThat(filter(b -> b.filterPattern("ERROR a"))).containsExactly("ERROR boom a");
        assertThat(filter(b -> b.filterPattern("ERROR -Retrying")))
                .containsExactly("kernel: ERROR disk full", "ERROR boom a");
        assertThat(filter(b -> b.filterPattern("?WARN ?DEBUG"))).containsExactly("DEBUG b", "WARN slow a");
        assertThat(filter(b -> b.filterPattern("\"disk full\""))).containsExactly("kernel: ERROR disk full");
        assertThat(filter(b -> b.filterPattern("error")))
                .as("terms are case-sensitive")
                .isEmpty();
        assertThatThrownBy(
                        () -> logs.filterLogEvents(b -> b.logGroupName("g").filterPattern("{ $.level = \"ERROR\" }")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("supports only term");
        assertThatThrownBy(() -> logs.filterLogEvents(b -> b.logGroupName("g").filterPattern("[ip, user]")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void pagesWithNextTokenUntilItIsAbsent() {
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("bulk"));
        List<software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent> bulk = new ArrayList<>();
        String kb = "k".repeat(1000);
        for (int i = 0; i < 2500; i++) {
            bulk.add(ev(NOW_MS + 10 + i / 10, String.format("%05d %s", i, kb)));
        }
        put("g", "bulk", bulk.subList(0, 1000));
        put("g", "bulk", bulk.subList(1000, 2000));
        put("g", "bulk", bulk.subList(2000, 2500));
        List<Integer> sizes = new ArrayList<>();
        List<String> got = new ArrayList<>();
        logs.filterLogEventsPaginator(b -> b.logGroupName("g").logStreamNames("bulk"))
                .forEach(p -> {
                    sizes.add(p.events().size());
                    p.events().forEach(e -> got.add(e.message()));
                });
        assertThat(sizes).allMatch(n -> n * 1032L <= 1_048_576).hasSizeGreaterThan(2);
        assertThat(got).isEqualTo(bulk.stream().map(e -> e.message()).toList());

        List<String> small = new ArrayList<>();
        logs.filterLogEventsPaginator(b -> b.logGroupName("g").limit(3).logStreamNamePrefix("pod"))
                .forEach(p -> {
                    assertThat(p.events().size()).isLessThanOrEqualTo(3);
                    p.events().forEach(e -> small.add(e.message()));
                });
        assertThat(small)
                .containsExactly(
                        "INFO start a", "INFO start b", "ERROR boom a", "ERROR Retrying b", "DEBUG b", "WARN slow a");
        assertThatThrownBy(() -> logs.filterLogEvents(b -> b.logGroupName("g").limit(10_001)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.filterLogEvents(b -> b.logGroupName("g").nextToken("nope")))
                .isInstanceOf(InvalidParameterException.class);
    }
}
