package dev.kubelogs.job.metrics.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scrape source's checkpointed state as a release wrote it: the enumerator's targets and owners, and a split.
 * Files under {@code harness-state/<release>/}, named with their serializer version; each must still read as the state
 * it was written from. Write the current release's with {@code -Dkubelogs.writeHarnessState=<release>}.
 */
class ScrapeSourceStateCompatibilityTest {
    private static final Path HARNESS_STATE = Path.of("src/test/resources/harness-state");
    private static final ScrapeTarget APP = new ScrapeTarget(
            "kubernetes-pod-jmx",
            "http://10.0.1.7:9404/metrics",
            Labels.of(
                    "job",
                    "kubernetes-pod-jmx",
                    "instance",
                    "10.0.1.7:9404",
                    "Namespace",
                    "shop",
                    "cwagent_saved_scrape_job",
                    "kubernetes-pod-jmx",
                    "cwagent_saved_scrape_instance",
                    "10.0.1.7:9404"),
            60_000,
            10_000,
            "10.0.1.7:9404");
    private static final ScrapeTarget NGINX = new ScrapeTarget(
            "kubernetes-service-endpoints",
            "http://10.0.2.9:10254/metrics?format=text",
            Labels.of(
                    "job",
                    "kubernetes-service-endpoints",
                    "instance",
                    "10.0.2.9:10254",
                    "Service",
                    "ingress-nginx",
                    "cwagent_saved_scrape_job",
                    "kubernetes-service-endpoints",
                    "cwagent_saved_scrape_instance",
                    "10.0.2.9:80"),
            30_000,
            5_000,
            "10.0.2.9:80");
    private static final ScrapeEnumeratorState STATE = state(APP, NGINX);

    /**
     * The targets as version 1 wrote them, before the agent's saved labels and the discovered address were kept:
     * the files of that version were written from these.
     */
    private static final ScrapeTarget APP_V1 = asVersion1(APP);

    private static final ScrapeTarget NGINX_V1 = asVersion1(NGINX);

    private static ScrapeEnumeratorState state(ScrapeTarget app, ScrapeTarget nginx) {
        return new ScrapeEnumeratorState(
                List.of(
                        new ScrapeEnumeratorState.SourceTargets("kubernetes-pod-jmx", "pod/shop/app-0", List.of(app)),
                        new ScrapeEnumeratorState.SourceTargets(
                                "kubernetes-service-endpoints", "endpoints/ingress/ingress-nginx", List.of(nginx))),
                Map.of(app.id(), 1, nginx.id(), 0));
    }

    private static ScrapeTarget asVersion1(ScrapeTarget t) {
        Labels labels = t.labels().without("cwagent_saved_scrape_job").without("cwagent_saved_scrape_instance");
        return new ScrapeTarget(t.jobName(), t.url(), labels, t.intervalMs(), t.timeoutMs());
    }

    @Test
    void everyReleasesEnumeratorStateAndSplitStillRead() throws IOException {
        String write = System.getProperty("kubelogs.writeHarnessState");
        if (write != null) {
            Path dir = Files.createDirectories(HARNESS_STATE.resolve(write));
            ScrapeEnumeratorStateSerializer states = new ScrapeEnumeratorStateSerializer();
            Files.write(
                    dir.resolve("metrics-scrape-enumerator.v" + states.getVersion() + ".bin"), states.serialize(STATE));
            Files.write(
                    dir.resolve("metrics-scrape-split.v" + ScrapeTargetSplitSerializer.INSTANCE.getVersion() + ".bin"),
                    ScrapeTargetSplitSerializer.INSTANCE.serialize(new ScrapeTargetSplit(NGINX)));
        }
        int read = 0;
        try (var releases = Files.list(HARNESS_STATE)) {
            for (Path release : releases.toList()) {
                try (var files = Files.list(release)) {
                    for (Path file : files.toList()) {
                        String name = file.getFileName().toString();
                        if (name.startsWith("metrics-scrape-enumerator.v")) {
                            assertThat(new ScrapeEnumeratorStateSerializer()
                                            .deserialize(version(name), Files.readAllBytes(file)))
                                    .as(file.toString())
                                    .isEqualTo(version(name) == 1 ? state(APP_V1, NGINX_V1) : STATE);
                            read++;
                        } else if (name.startsWith("metrics-scrape-split.v")) {
                            assertThat(ScrapeTargetSplitSerializer.INSTANCE
                                            .deserialize(version(name), Files.readAllBytes(file))
                                            .target())
                                    .as(file.toString())
                                    .isEqualTo(version(name) == 1 ? NGINX_V1 : NGINX);
                            read++;
                        }
                    }
                }
            }
        }
        assertThat(read).as("state files under " + HARNESS_STATE).isGreaterThanOrEqualTo(4);
    }

    private static int version(String fileName) {
        return Integer.parseInt(fileName.substring(fileName.lastIndexOf(".v") + 2, fileName.lastIndexOf(".bin")));
    }
}
