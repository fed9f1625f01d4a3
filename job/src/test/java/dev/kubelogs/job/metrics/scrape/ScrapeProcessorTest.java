package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.config.RelabelAction;
import dev.kubelogs.job.metrics.config.RelabelConfig;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.ScrapeOptions;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.TargetMetadata;
import dev.kubelogs.job.metrics.relabel.Relabeler;
import dev.kubelogs.job.metrics.target.TargetBuilder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scraped body through parsing, target labels, metric relabeling and the limits, as Prometheus' scrape loop. */
class ScrapeProcessorTest {
    private static final long SCRAPE_TIME = 1_700_000_000_000L;
    private static final String ADDRESS = "10.0.0.1:8080";
    private static final ScrapeTarget TARGET =
            target(ScrapeConfigs.job("test-job").build());
    /** What every sample of {@link #TARGET} has from the target: the agent's saved labels are taken out. */
    private static final Labels TARGET_LABELS = Labels.of("job", "test-job", "instance", ADDRESS);
    /** A counter with a label and a summary's sum and count: two label sets. */
    private static final String BODY =
            "# TYPE req counter\nreq_total{a=\"1\"} 5\n# TYPE lat summary\nlat_sum 1\nlat_count 2\n";

    private final Map<SampleDropReason, Integer> drops = new EnumMap<>(SampleDropReason.class);
    private final TargetMetadata kept = new TargetMetadata();

    /** The job's target for the discovered address {@link #ADDRESS}, built as discovery builds it. */
    private static ScrapeTarget target(ScrapeConfig job) {
        return new TargetBuilder(job).build(Labels.of("__address__", ADDRESS));
    }

    private List<SeriesGroup> process(ScrapeConfig job, String body) throws ScrapeFailure {
        return process(job, TARGET, body);
    }

    private List<SeriesGroup> process(ScrapeConfig job, ScrapeTarget target, String body) throws ScrapeFailure {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new ScrapeProcessor(job)
                .process(
                        new RawBody(bytes, bytes.length, "text/plain; version=0.0.4"),
                        target,
                        kept,
                        SCRAPE_TIME,
                        drops);
    }

    /** A job with these relabel_configs and metric_relabel_configs, processed for its own target. */
    private List<SeriesGroup> processWithRules(
            List<RelabelConfig> targetRules, List<RelabelConfig> metricRules, String body) throws ScrapeFailure {
        ScrapeConfig job = ScrapeConfigs.job("test-job")
                .relabelConfigs(targetRules.toArray(new RelabelConfig[0]))
                .metricRelabelConfigs(metricRules.toArray(new RelabelConfig[0]))
                .build();
        return process(job, target(job), body);
    }

    private static RelabelConfig byName(RelabelAction action, String regex) {
        return new RelabelConfig(List.of(), ";", regex, 0, "", "$1", action);
    }

    private static RelabelConfig labelmap(String regex) {
        return new RelabelConfig(List.of(), ";", regex, 0, "", "$1", RelabelAction.LABELMAP);
    }

    private static RelabelConfig replace(String source, String regex, String target, String replacement) {
        return new RelabelConfig(List.of(source), ";", regex, 0, target, replacement, RelabelAction.REPLACE);
    }

    @Test
    void aTargetsSamplesKeepTheTypeItsEarlierScrapesNamedForTenScrapesWithout() throws Exception {
        ScrapeConfig job = ScrapeConfigs.job("test-job").sampleLimit(1).build();
        assertThat(process(job, "# TYPE req counter\nreq_total 5\n"))
                .extracting(g -> g.type)
                .containsExactly(MetricType.COUNTER);
        kept.scrapeEnded(true);
        for (int scrape = 1; scrape <= 5; scrape++) {
            assertThat(process(job, "req_total 6\n")).extracting(g -> g.type).containsExactly(MetricType.COUNTER);
            kept.scrapeEnded(true);
            // a failed scrape is an iteration of Prometheus' scrape cache too
            assertThatThrownBy(() -> process(job, "req_total 6\nother 1\n")).isInstanceOf(ScrapeFailure.class);
            kept.scrapeEnded(false);
        }
        assertThat(process(job, "req_total 7\n")).isEmpty();
        assertThat(drops).containsEntry(SampleDropReason.UNTYPED, 1);
    }

    @Test
    void openMetricsCreatedSamplesAreDroppedAndCounted() throws Exception {
        // _created is the series' start time: the agent emits no field for it (#221)
        String body = "# TYPE req counter\nreq_total{a=\"1\"} 5\nreq_created{a=\"1\"} 1.7e9\n"
                + "# TYPE lat summary\nlat_sum 1\nlat_count 2\nlat_created 1.7e9\n# EOF\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        List<SeriesGroup> groups = new ScrapeProcessor(
                        ScrapeConfigs.job("test-job").build())
                .process(
                        new RawBody(bytes, bytes.length, "application/openmetrics-text; version=1.0.0"),
                        TARGET,
                        kept,
                        SCRAPE_TIME,
                        drops);

        assertThat(groups)
                .flatMap(g -> List.of(g.names))
                .containsExactlyInAnyOrder("req_total", "lat_sum", "lat_count");
        assertThat(drops).containsEntry(SampleDropReason.CREATED_TIMESTAMP, 2);
    }

    @Test
    void inTheTextFormatACreatedSampleIsANameOfItsOwnAndUntyped() throws Exception {
        List<SeriesGroup> groups =
                process(ScrapeConfigs.job("test-job").build(), "# TYPE req counter\nreq_total 5\nreq_created 1.7e9\n");

        assertThat(groups).flatMap(g -> List.of(g.names)).containsExactly("req_total");
        assertThat(drops)
                .containsEntry(SampleDropReason.UNTYPED, 1)
                .doesNotContainKey(SampleDropReason.CREATED_TIMESTAMP);
    }

    @Test
    void aMetricRelabelRuleThatRemovesTheNameFailsTheScrape() {
        // scrape.go: a series without __name__ after relabeling is errNameLabelMandatory, which ends the scrape
        RelabelConfig dropName = new RelabelConfig(List.of(), ";", "__name__", 0, "", "$1", RelabelAction.LABELDROP);
        ScrapeConfig job =
                ScrapeConfigs.job("test-job").metricRelabelConfigs(dropName).build();

        assertThatThrownBy(() -> process(job, "# TYPE g gauge\ng 1\n"))
                .isInstanceOfSatisfying(
                        ScrapeFailure.class, f -> assertThat(f.reason()).isEqualTo(ScrapeReason.MISSING_METRIC_NAME))
                .hasMessageContaining("__name__");
    }

    @Test
    void aSeriesRepeatedInTheScrapeCountsAgainstTheSampleLimitEachTime() throws Exception {
        // the agent's metricAppender.Append returns ref 0, so scrape.go scrapeCache.addRef caches no series and
        // never finds the repeat: limitAppender counts it like any other sample
        ScrapeConfig two = ScrapeConfigs.job("test-job").sampleLimit(2).build();
        ScrapeConfig three = ScrapeConfigs.job("test-job").sampleLimit(3).build();
        String body = "# TYPE g gauge\ng{a=\"1\"} 1\ng{a=\"1\"} 2\ng{a=\"2\"} 3\n";

        assertThatThrownBy(() -> process(two, body))
                .isInstanceOfSatisfying(
                        ScrapeFailure.class, f -> assertThat(f.reason()).isEqualTo(ScrapeReason.SAMPLE_LIMIT_EXCEEDED));
        assertThat(process(three, body)).hasSize(2);
        assertThat(drops).containsEntry(SampleDropReason.DUPLICATE_SERIES, 1);
    }

    @Test
    void aSampleStampedMoreThanTenMinutesAheadIsDroppedButCountsAgainstTheLimit() throws Exception {
        long ahead = SCRAPE_TIME + 10 * 60_000L + 1;
        String body = "# TYPE g gauge\ng{a=\"1\"} 1 " + ahead + "\ng{a=\"2\"} 2 " + (SCRAPE_TIME + 10 * 60_000L) + "\n";

        List<SeriesGroup> groups = process(ScrapeConfigs.job("test-job").build(), body);

        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).labels.get("a")).isEqualTo("2");
        assertThat(drops).containsEntry(SampleDropReason.OUT_OF_BOUNDS, 1);
        // timeLimitAppender sits under limitAppender: the refused sample was counted first
        assertThatThrownBy(() ->
                        process(ScrapeConfigs.job("test-job").sampleLimit(1).build(), body))
                .isInstanceOfSatisfying(
                        ScrapeFailure.class, f -> assertThat(f.reason()).isEqualTo(ScrapeReason.SAMPLE_LIMIT_EXCEEDED));
        // without honor_timestamps the exposed timestamp is ignored, so nothing is out of bounds
        assertThat(process(ScrapeConfigs.job("test-job").honorTimestamps(false).build(), body))
                .hasSize(2);
    }

    @Test
    void withHonorLabelsAnExposedEmptyLabelRemovesTheTargetsLabel() throws Exception {
        List<SeriesGroup> honored =
                process(ScrapeConfigs.job("test-job").honorLabels(true).build(), "# TYPE g gauge\ng{job=\"\"} 1\n");
        assertThat(honored.get(0).labels).isEqualTo(Labels.of("instance", "10.0.0.1:8080"));

        List<SeriesGroup> notHonored =
                process(ScrapeConfigs.job("test-job").build(), "# TYPE g gauge\ng{job=\"\"} 1\n");
        assertThat(notHonored.get(0).labels).isEqualTo(TARGET_LABELS);
    }

    // The agent's saved labels (start.go relabelScrapeConfigs) under the user's rules, as its appender
    // (metrics_receiver.go Append) and type handler (metrics_type_handler.go Handle) then treat them.

    @Test
    void theSavedLabelsNeverReachTheOutput() throws Exception {
        assertThat(TARGET.labels().get("cwagent_saved_scrape_instance")).isEqualTo(ADDRESS);

        List<SeriesGroup> groups = process(ScrapeConfigs.job("test-job").build(), BODY);

        assertThat(groups).extracting(g -> g.labels).containsExactly(TARGET_LABELS.with("a", "1"), TARGET_LABELS);
        assertThat(drops).isEmpty();
    }

    @Test
    void aLabelkeepThatDropsTheSavedNameLeavesNoSampleTheAgentCanType() throws Exception {
        // keeping a few labels to cut cardinality also removes cwagent_saved_scrape_name: the agent looks up the
        // type of "" and drops every sample with "E! metric_type ERROR"; we drop them counted
        List<SeriesGroup> groups =
                processWithRules(List.of(), List.of(byName(RelabelAction.LABELKEEP, "__name__|job|instance")), BODY);

        assertThat(groups).isEmpty();
        assertThat(drops).containsExactly(Map.entry(SampleDropReason.SAVED_NAME_REMOVED, 3));
    }

    @Test
    void aLabelkeepThatKeepsTheSavedLabelsOnlyRemovesTheOthers() throws Exception {
        List<SeriesGroup> groups = processWithRules(
                List.of(), List.of(byName(RelabelAction.LABELKEEP, "__name__|job|instance|cwagent_.*")), BODY);

        assertThat(groups).extracting(g -> g.labels).containsExactly(TARGET_LABELS, TARGET_LABELS);
        assertThat(groups).extracting(g -> g.type).containsExactly(MetricType.COUNTER, MetricType.SUMMARY);
        assertThat(drops).isEmpty();
    }

    @Test
    void aMetricLabeldropOfTheSavedJobAndInstanceChangesNothing() throws Exception {
        // the up and scrape_* samples the agent's batch ends with carry the target's labels, not relabeled by
        // metric_relabel_configs: the type handler finds the target by them
        List<SeriesGroup> groups = processWithRules(
                List.of(), List.of(byName(RelabelAction.LABELDROP, "cwagent_saved_scrape_(job|instance)")), BODY);

        assertThat(groups).extracting(g -> g.labels).containsExactly(TARGET_LABELS.with("a", "1"), TARGET_LABELS);
        assertThat(drops).isEmpty();
    }

    @Test
    void aMetricLabeldropOfEverySavedLabelDropsEverySample() throws Exception {
        assertThat(processWithRules(List.of(), List.of(byName(RelabelAction.LABELDROP, "cwagent_.*")), BODY))
                .isEmpty();
        assertThat(drops).containsExactly(Map.entry(SampleDropReason.SAVED_NAME_REMOVED, 3));
    }

    @Test
    void aTargetLabeldropOfTheSavedLabelsDropsEveryScrapeOfTheTarget() throws Exception {
        // no sample, not even up, has a saved job and instance: "Failed to get Job Name and Instance ID", the batch
        // is dropped
        assertThat(processWithRules(List.of(byName(RelabelAction.LABELDROP, "cwagent_.*")), List.of(), BODY))
                .isEmpty();
        assertThat(drops).containsExactly(Map.entry(SampleDropReason.SAVED_TARGET_NOT_FOUND, 3));
    }

    @Test
    void aTargetRuleThatChangesTheSavedInstanceDropsEveryScrapeOfTheTarget() throws Exception {
        // the agent looks for a target whose discovered __address__ is the saved instance, finds none and drops
        RelabelConfig hostOnly = replace("__address__", "(.*):\\d+", "cwagent_saved_scrape_instance", "$1");

        assertThat(processWithRules(List.of(hostOnly), List.of(), BODY)).isEmpty();
        assertThat(drops).containsExactly(Map.entry(SampleDropReason.SAVED_TARGET_NOT_FOUND, 3));
    }

    @Test
    void onlyTheFirstSampleWithASavedJobAndInstanceNamesTheTarget() throws Exception {
        RelabelConfig moveReq = replace("__name__", "req_total", "cwagent_saved_scrape_instance", "elsewhere:1");
        RelabelConfig moveLat = replace("__name__", "lat_count", "cwagent_saved_scrape_instance", "elsewhere:1");

        assertThat(processWithRules(List.of(), List.of(moveReq), BODY)).isEmpty();
        assertThat(drops).containsExactly(Map.entry(SampleDropReason.SAVED_TARGET_NOT_FOUND, 3));

        drops.clear();
        assertThat(processWithRules(List.of(), List.of(moveLat), BODY)).hasSize(2);
        assertThat(drops).isEmpty();
    }

    @Test
    void aMetricLabelmapOfTheSavedLabelsCopiesThemIntoEveryEvent() throws Exception {
        // only the three names themselves are deleted before output; the copies are labels like any other, and the
        // saved name, different for lat_sum and lat_count, splits the summary into two label sets
        List<SeriesGroup> groups = processWithRules(List.of(), List.of(labelmap("cwagent_(.*)")), BODY);

        Labels copies = TARGET_LABELS.with("saved_scrape_job", "test-job").with("saved_scrape_instance", ADDRESS);
        assertThat(groups)
                .extracting(g -> g.labels)
                .containsExactly(
                        copies.with("a", "1").with("saved_scrape_name", "req_total"),
                        copies.with("saved_scrape_name", "lat_sum"),
                        copies.with("saved_scrape_name", "lat_count"));
        assertThat(groups).extracting(g -> g.type).containsOnly(MetricType.COUNTER, MetricType.SUMMARY);
    }

    @Test
    void aTargetLabelmapCopiesTheSavedJobAndInstanceIntoEveryEvent() throws Exception {
        List<SeriesGroup> groups = processWithRules(List.of(labelmap("cwagent_saved_scrape_(.*)")), List.of(), BODY);

        assertThat(groups)
                .extracting(g -> g.labels)
                .containsExactly(
                        TARGET_LABELS.with("a", "1").with("job", "test-job").with("instance", ADDRESS), TARGET_LABELS);
        Labels renamedCopies = TARGET_LABELS.with("scrape_job", "test-job").with("scrape_instance", ADDRESS);
        drops.clear();
        assertThat(processWithRules(List.of(labelmap("cwagent_saved_(.*)")), List.of(), BODY))
                .extracting(g -> g.labels)
                .containsExactly(renamedCopies.with("a", "1"), renamedCopies);
    }

    @Test
    void aLabelmapOfEveryLabelToItselfChangesNothing() throws Exception {
        assertThat(processWithRules(List.of(labelmap("(.*)")), List.of(labelmap("(.*)")), BODY))
                .extracting(g -> g.labels)
                .containsExactly(TARGET_LABELS.with("a", "1"), TARGET_LABELS);
        assertThat(drops).isEmpty();
    }

    @Test
    void aReplaceOfTheSavedNameTypesTheSampleByTheNameItSets() throws Exception {
        String body = "# TYPE req counter\nreq_total 5\nplain 2\n";
        RelabelConfig typeAsReq = replace("__name__", "plain", "cwagent_saved_scrape_name", "req");

        List<SeriesGroup> groups = processWithRules(List.of(), List.of(typeAsReq), body);

        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).type).isEqualTo(MetricType.COUNTER);
        assertThat(groups.get(0).names).containsExactly("req_total", "plain");

        drops.clear();
        RelabelConfig typeAsNothing = replace("__name__", "req_total", "cwagent_saved_scrape_name", "nothing");
        assertThat(processWithRules(List.of(), List.of(typeAsNothing), body)).isEmpty();
        assertThat(drops).containsExactly(Map.entry(SampleDropReason.UNTYPED, 2));
    }

    @Test
    void aRenamedSampleIsStillTypedAndSelectedByTheSavedName() throws Exception {
        RelabelConfig rename = replace("__name__", "(.*)", "__name__", "app_$1");
        RelabelConfig keepReq =
                new RelabelConfig(List.of("cwagent_saved_scrape_name"), ";", "req_.*", 0, "", "$1", RelabelAction.KEEP);

        List<SeriesGroup> groups = processWithRules(List.of(), List.of(rename, keepReq), BODY);

        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).names).containsExactly("app_req_total");
        assertThat(groups.get(0).type).isEqualTo(MetricType.COUNTER);
        assertThat(drops).containsExactly(Map.entry(SampleDropReason.METRIC_RELABEL, 2));
    }

    @Test
    void hashmodOnTheSavedInstanceHashesTheDiscoveredAddress() throws Exception {
        RelabelConfig shard = new RelabelConfig(
                List.of("cwagent_saved_scrape_instance"), ";", "(.*)", 4, "shard", "$1", RelabelAction.HASHMOD);
        String expected = new Relabeler(List.of(
                        new RelabelConfig(List.of("address"), ";", "(.*)", 4, "shard", "$1", RelabelAction.HASHMOD)))
                .apply(Labels.of("address", ADDRESS))
                .get("shard");

        List<SeriesGroup> groups = processWithRules(List.of(), List.of(shard), BODY);

        assertThat(groups).extracting(g -> g.labels.get("shard")).containsOnly(expected);
    }

    @Test
    void anExposedLabelNamedAsASavedLabelIsKeptAsExported() throws Exception {
        // the target's label wins (honor_labels false); the exposed one is renamed and is no saved label
        List<SeriesGroup> groups = process(
                ScrapeConfigs.job("test-job").build(), "# TYPE g gauge\ng{cwagent_saved_scrape_instance=\"x\"} 1\n");

        assertThat(groups)
                .extracting(g -> g.labels)
                .containsExactly(TARGET_LABELS.with("exported_cwagent_saved_scrape_instance", "x"));
    }

    @Test
    void copiesOfTheSavedLabelsCountAgainstTheLabelLimit() throws Exception {
        // job, instance, __name__ and the three saved labels: six; the labelmap adds three more
        ScrapeConfig six = ScrapeConfigs.job("test-job")
                .options(new ScrapeOptions(0, 6, 0, 0, 0, true))
                .build();
        ScrapeConfig sixWithCopies = ScrapeConfigs.job("test-job")
                .options(new ScrapeOptions(0, 6, 0, 0, 0, true))
                .metricRelabelConfigs(labelmap("cwagent_(.*)"))
                .build();
        String body = "# TYPE g gauge\ng 1\n";

        assertThat(process(six, target(six), body)).hasSize(1);
        assertThatThrownBy(() -> process(sixWithCopies, target(sixWithCopies), body))
                .isInstanceOfSatisfying(
                        ScrapeFailure.class, f -> assertThat(f.reason()).isEqualTo(ScrapeReason.LABEL_LIMIT_EXCEEDED))
                .hasMessageContaining("number of labels: 9");
    }

    @Test
    void aTargetRestoredWithoutItsDiscoveredAddressIsNotChecked() throws Exception {
        // a split or enumerator state of serializer version 1 has no discovered address and no saved labels
        ScrapeTarget restored = new ScrapeTarget("test-job", TARGET.url(), TARGET_LABELS, 60_000, 10_000);

        assertThat(process(ScrapeConfigs.job("test-job").build(), restored, BODY))
                .hasSize(2);
        assertThat(drops).isEmpty();
    }

    @Test
    void aScrapeWithoutATargetLabelNameGetsTheTargetsLabelsOnEveryGroup() throws Exception {
        List<SeriesGroup> groups = process(
                ScrapeConfigs.job("test-job").build(),
                "# TYPE req counter\nreq_total{code=\"200\"} 1\nreq_total{code=\"500\"} 2\n"
                        + "# TYPE lat histogram\nlat_bucket{le=\"1\"} 1\nlat_bucket{le=\"+Inf\"} 2\nlat_sum 3\n"
                        + "# TYPE up gauge\nup 1\n");

        assertThat(groups)
                .extracting(g -> g.labels)
                .containsExactly(
                        TARGET_LABELS.with("code", "200"),
                        TARGET_LABELS.with("code", "500"),
                        TARGET_LABELS,
                        TARGET_LABELS);
        assertThat(groups).extracting(g -> g.logStream).containsOnly("test-job");
    }

    @Test
    void aRenamedConflictingLabelMeetsAnExposedLabelOfThatNameAsOneSeries() throws Exception {
        // job="x" becomes exported_job="x" beside the target's job: the same series as the second sample's
        List<SeriesGroup> groups = process(
                ScrapeConfigs.job("test-job").build(),
                "# TYPE g gauge\ng{job=\"x\"} 1\ng{exported_job=\"x\"} 2\ng{code=\"200\"} 3\n");

        assertThat(groups)
                .extracting(g -> g.labels)
                .containsExactly(TARGET_LABELS.with("exported_job", "x"), TARGET_LABELS.with("code", "200"));
        assertThat(groups.get(0).values).containsExactly(2.0);
        assertThat(drops).containsEntry(SampleDropReason.DUPLICATE_SERIES, 1);
    }
}
