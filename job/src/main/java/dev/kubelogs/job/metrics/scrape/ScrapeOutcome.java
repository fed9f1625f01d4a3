package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.model.LayoutGroups;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one scrape of one target: the reason it ended with ({@link ScrapeReason#OK} or why it failed, the
 * HTTP status for {@link ScrapeReason#HTTP_STATUS}, a message for failures), the groups to emit (empty unless OK) and
 * how many samples of an OK scrape were dropped, per reason.
 */
public record ScrapeOutcome(
        ScrapeTarget target,
        long scrapeTimeMs,
        ScrapeReason reason,
        int httpStatus,
        String detail,
        List<SeriesGroup> groups,
        Map<SampleDropReason, Integer> droppedSamples) {

    public ScrapeOutcome {
        // a layout's groups are unmodifiable already, and name the layout the router keeps their split with
        groups = groups instanceof LayoutGroups ? groups : List.copyOf(groups);
        droppedSamples =
                droppedSamples.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(droppedSamples));
    }

    public static ScrapeOutcome ok(
            ScrapeTarget target,
            long scrapeTimeMs,
            List<SeriesGroup> groups,
            Map<SampleDropReason, Integer> droppedSamples) {
        return new ScrapeOutcome(target, scrapeTimeMs, ScrapeReason.OK, 0, null, groups, droppedSamples);
    }

    public static ScrapeOutcome failed(ScrapeTarget target, long scrapeTimeMs, ScrapeFailure failure) {
        return new ScrapeOutcome(
                target,
                scrapeTimeMs,
                failure.reason(),
                failure.httpStatus(),
                failure.getMessage(),
                List.of(),
                Map.of());
    }

    public boolean isOk() {
        return reason == ScrapeReason.OK;
    }

    public int dropped(SampleDropReason why) {
        return droppedSamples.getOrDefault(why, 0);
    }
}
