package dev.kubelogs.job.metrics.discovery;

import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.util.List;

/**
 * Receives the kept targets of one scrape job, one source object at a time (like a Prometheus target group). Calls
 * come from discovery threads; one source's calls arrive in order.
 */
public interface TargetListener {

    /**
     * The targets that {@code sourceKey} now yields for {@code jobName}, replacing what it yielded before.
     *
     * @param sourceKey the object, as Prometheus names target group sources: {@code pod/ns/name}, {@code svc/ns/name},
     *     {@code endpoints/ns/name}, {@code endpointslice/ns/name}, {@code node/name}, {@code static/i}
     * @param targets the targets the target builder kept, without duplicates; empty when the object is gone or
     *     yields no kept target any more
     */
    void targetsChanged(String jobName, String sourceKey, List<ScrapeTarget> targets);
}
