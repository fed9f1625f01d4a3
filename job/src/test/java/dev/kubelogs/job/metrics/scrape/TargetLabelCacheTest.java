package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import org.junit.jupiter.api.Test;

class TargetLabelCacheTest {
    private static final Labels TARGET = Labels.of("job", "app", "instance", "10.0.0.1:8080");
    private static final Labels EXPOSED = Labels.of("code", "200", "job", "exporter");

    @Test
    void aLabelSetExposedAgainGetsTheSameMergedInstance() {
        TargetLabelCache cache = new TargetLabelCache();

        Labels first = cache.merge(EXPOSED, TARGET, false);
        cache.endScrape();
        Labels again = cache.merge(Labels.of("code", "200", "job", "exporter"), TARGET, false);

        assertThat(first).isEqualTo(TargetLabelMerge.merge(EXPOSED, TARGET, false));
        assertThat(again).isSameAs(first);
    }

    @Test
    void newTargetLabelsAreMergedAfresh() {
        TargetLabelCache cache = new TargetLabelCache();
        cache.merge(EXPOSED, TARGET, false);
        cache.endScrape();
        Labels relabeled = Labels.of("job", "app", "instance", "10.0.0.2:8080");

        assertThat(cache.merge(EXPOSED, relabeled, false))
                .isEqualTo(Labels.of(
                        "code", "200", "job", "app", "exported_job", "exporter", "instance", "10.0.0.2:8080"));
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void equalTargetLabelsInAnotherInstanceKeepTheEntries() {
        TargetLabelCache cache = new TargetLabelCache();
        Labels first = cache.merge(EXPOSED, TARGET, false);

        assertThat(cache.merge(EXPOSED, Labels.of("job", "app", "instance", "10.0.0.1:8080"), false))
                .isSameAs(first);
    }

    @Test
    void anotherHonorLabelsSettingIsMergedAfresh() {
        TargetLabelCache cache = new TargetLabelCache();
        cache.merge(EXPOSED, TARGET, false);

        assertThat(cache.merge(EXPOSED, TARGET, true))
                .isEqualTo(Labels.of("code", "200", "job", "exporter", "instance", "10.0.0.1:8080"));
    }

    @Test
    void labelSetsNoLongerExposedAreDroppedOnceTheyOutnumberAScrapesTwice() {
        TargetLabelCache cache = new TargetLabelCache();
        for (int i = 0; i < 10; i++) {
            cache.merge(Labels.of("churning_id", "id-" + i), TARGET, false);
        }
        cache.endScrape();
        assertThat(cache.size()).isEqualTo(10);

        for (int scrape = 0; scrape < 3; scrape++) {
            for (int i = 0; i < 2; i++) {
                cache.merge(Labels.of("code", String.valueOf(i)), TARGET, false);
            }
            cache.endScrape();
        }

        assertThat(cache.size()).isLessThanOrEqualTo(4);
    }
}
