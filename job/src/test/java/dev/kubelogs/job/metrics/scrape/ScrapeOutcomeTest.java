package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.LayoutGroups;
import dev.kubelogs.job.metrics.model.LayoutRoutes;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrapeOutcomeTest {
    private static final ScrapeTarget TARGET = new ScrapeTarget(
            "app", "http://10.0.0.1:9100/metrics", Labels.of("instance", "10.0.0.1:9100"), 60_000, 10_000);

    private static SeriesGroup gauge(double value) {
        return new SeriesGroup(
                "app", Labels.EMPTY, MetricType.GAUGE, 5L, new String[] {"up"}, new double[] {value}, null);
    }

    @Test
    void anOkScrapeKeepsItsGroupsAndDropCountsAsTheyWereWhenItEnded() {
        List<SeriesGroup> groups = new ArrayList<>(List.of(gauge(1)));
        Map<SampleDropReason, Integer> dropped = new EnumMap<>(SampleDropReason.class);
        dropped.put(SampleDropReason.UNTYPED, 3);

        ScrapeOutcome outcome = ScrapeOutcome.ok(TARGET, 5L, groups, dropped);
        groups.add(gauge(2));
        dropped.put(SampleDropReason.INFO, 1);

        assertThat(outcome.isOk()).isTrue();
        assertThat(outcome.reason()).isEqualTo(ScrapeReason.OK);
        assertThat(outcome.detail()).isNull();
        assertThat(outcome.groups()).containsExactly(gauge(1));
        assertThat(outcome.dropped(SampleDropReason.UNTYPED)).isEqualTo(3);
        assertThat(outcome.dropped(SampleDropReason.INFO))
                .as("added after the outcome was made")
                .isZero();
        assertThat(outcome.dropped(SampleDropReason.DUPLICATE_SERIES)).isZero();
        assertThatThrownBy(() -> outcome.groups().add(gauge(3))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> outcome.droppedSamples().put(SampleDropReason.INFO, 1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aLayoutsGroupsAreKeptAsTheyAreSoTheRouterFindsTheLayout() {
        LayoutGroups groups = new LayoutGroups(new SeriesGroup[] {gauge(1)}, new LayoutRoutes());

        assertThat(ScrapeOutcome.ok(TARGET, 5L, groups, Map.of()).groups()).isSameAs(groups);
    }

    @Test
    void aFailedScrapeHasItsReasonStatusAndMessageAndNoGroups() {
        ScrapeOutcome outcome = ScrapeOutcome.failed(
                TARGET, 7L, new ScrapeFailure(ScrapeReason.HTTP_STATUS, 503, "server returned HTTP status 503", null));

        assertThat(outcome.isOk()).isFalse();
        assertThat(outcome.target()).isEqualTo(TARGET);
        assertThat(outcome.scrapeTimeMs()).isEqualTo(7L);
        assertThat(outcome.reason()).isEqualTo(ScrapeReason.HTTP_STATUS);
        assertThat(outcome.httpStatus()).isEqualTo(503);
        assertThat(outcome.detail()).isEqualTo("server returned HTTP status 503");
        assertThat(outcome.groups()).isEmpty();
        assertThat(outcome.dropped(SampleDropReason.UNTYPED)).isZero();
    }

    @Test
    void aTimeoutHasNoHttpStatus() {
        ScrapeOutcome outcome =
                ScrapeOutcome.failed(TARGET, 7L, new ScrapeFailure(ScrapeReason.TIMEOUT, "no answer within 10s"));

        assertThat(outcome.reason()).isEqualTo(ScrapeReason.TIMEOUT);
        assertThat(outcome.httpStatus()).isZero();
        assertThat(outcome.detail()).isEqualTo("no answer within 10s");
    }
}
