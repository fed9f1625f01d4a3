package dev.kubelogs.job.metrics.source;

import java.util.List;
import org.apache.flink.api.connector.source.SourceEvent;

/** Enumerator → reader: stop scraping these targets (gone, or moved to another reader). */
public record ReleaseTargetsEvent(List<String> targetIds) implements SourceEvent {
    private static final long serialVersionUID = 1L;
}
