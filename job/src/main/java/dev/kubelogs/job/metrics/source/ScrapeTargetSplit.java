package dev.kubelogs.job.metrics.source;

import dev.kubelogs.job.metrics.model.ScrapeTarget;
import org.apache.flink.api.connector.source.SourceSplit;

/** One target to scrape, owned by one reader at a time; its id is the target's (job and labels). */
public record ScrapeTargetSplit(ScrapeTarget target) implements SourceSplit {

    @Override
    public String splitId() {
        return target.id();
    }
}
