package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.junit.jupiter.api.Test;

class SpoolSourceConfigOptionsTest {
    private static final String SPOOL = "file:///var/kubelogs/spool";

    @Test
    void theKeysAreTheDocumentedOnes() {
        assertThat(SpoolSourceConfigOptions.OPTIONS)
                .extracting(ConfigOption::key)
                .containsExactly(
                        "kubelogs.source.spool",
                        "kubelogs.source.discovery-interval",
                        "kubelogs.source.discovery-lead",
                        "kubelogs.source.until-sealed",
                        "kubelogs.source.keep-consumed-segments",
                        "kubelogs.source.spread-nodes",
                        "kubelogs.source.quiet-below");
    }

    @Test
    void byDefaultItRunsForeverDiscoveringEverySecondAndReadsEachNodeBesideItsKeyGroup() {
        Configuration none = new Configuration();
        assertThat(none.get(SpoolSourceConfigOptions.SPOOL)).isNull();
        assertThat(none.get(SpoolSourceConfigOptions.DISCOVERY_INTERVAL)).isEqualTo(Duration.ofSeconds(1));
        assertThat(none.get(SpoolSourceConfigOptions.UNTIL_SEALED)).isFalse();
        assertThat(none.get(SpoolSourceConfigOptions.KEEP_CONSUMED_SEGMENTS)).isFalse();
        assertThat(none.get(SpoolSourceConfigOptions.SPREAD_NODES)).isFalse();
        SpoolSource source = SpoolSourceConfigOptions.source(none, SPOOL);
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(source.readsNodesBesideTheirKeyGroup()).isTrue();
    }

    @Test
    void withACheckpointIntervalDiscoveryRunsTheLeadBeforeEachTrigger() {
        DiscoverySchedule shipped = SpoolSourceConfigOptions.source(
                        Configuration.fromMap(Map.of(
                                "execution.checkpointing.interval", "5s", "kubelogs.source.discovery-interval", "5s")),
                        SPOOL)
                .discoverySchedule();
        assertThat(shipped.followsCheckpoints()).isTrue();
        assertThat(shipped.leadMillis()).isEqualTo(500);
        DiscoverySchedule longer = SpoolSourceConfigOptions.source(
                        Configuration.fromMap(Map.of(
                                "execution.checkpointing.interval", "10s", "kubelogs.source.discovery-lead", "2s")),
                        SPOOL)
                .discoverySchedule();
        assertThat(longer.leadMillis()).isEqualTo(2_000);
        assertThat(longer.intervalMillis()).isEqualTo(1_000);
    }

    @Test
    void withoutACheckpointIntervalOrWithNoLeadDiscoveryKeepsItsOwnTimer() {
        assertThat(SpoolSourceConfigOptions.source(new Configuration(), SPOOL)
                        .discoverySchedule()
                        .followsCheckpoints())
                .isFalse();
        assertThat(SpoolSourceConfigOptions.source(
                                Configuration.fromMap(Map.of(
                                        "execution.checkpointing.interval", "5s",
                                        "kubelogs.source.discovery-lead", "0s")),
                                SPOOL)
                        .discoverySchedule()
                        .followsCheckpoints())
                .isFalse();
    }

    @Test
    void aNegativeLeadIsRefused() {
        Configuration negative = new Configuration();
        negative.set(SpoolSourceConfigOptions.DISCOVERY_LEAD, Duration.ofSeconds(-1));
        assertThatThrownBy(() -> SpoolSourceConfigOptions.source(negative, SPOOL))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("kubelogs.source.discovery-lead");
    }

    @Test
    void untilSealedMakesABoundedSource() {
        SpoolSource source = SpoolSourceConfigOptions.source(
                Configuration.fromMap(Map.of("kubelogs.source.until-sealed", "true")), SPOOL);
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
    }

    @Test
    void spreadNodesLetsAnyReaderTakeAnyNode() {
        SpoolSource source = SpoolSourceConfigOptions.source(
                Configuration.fromMap(Map.of("kubelogs.source.spread-nodes", "true")), SPOOL);
        assertThat(source.readsNodesBesideTheirKeyGroup()).isFalse();
        assertThat(SpoolSourceConfigOptions.source(
                                Configuration.fromMap(Map.of("kubelogs.source.spread-nodes", "true")),
                                "s3://bucket/spool")
                        .readsNodesBesideTheirKeyGroup())
                .isFalse();
    }

    @Test
    void aDiscoveryIntervalOfZeroIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> SpoolSourceConfigOptions.source(
                        Configuration.fromMap(Map.of("kubelogs.source.discovery-interval", "0 s")), SPOOL))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessage("kubelogs.source.discovery-interval must be longer than 0 (got 0 ms)");
        assertThat(SpoolSourceConfigOptions.source(
                                Configuration.fromMap(Map.of("kubelogs.source.discovery-interval", "250 ms")), SPOOL)
                        .getBoundedness())
                .isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
    }

    @Test
    void quietBelowAsksForTheIntervalDuringBacklogWhileTheSpoolIsQuiet() {
        SpoolSource source = SpoolSourceConfigOptions.source(
                Configuration.fromMap(Map.of(
                        "kubelogs.source.quiet-below", "384kb",
                        "execution.checkpointing.interval", "5s",
                        "execution.checkpointing.interval-during-backlog", "10s")),
                SPOOL);
        assertThat(source.quietSpool())
                .isEqualTo(new QuietSpool(384 * 1024, Duration.ofSeconds(5), Duration.ofSeconds(10)));
        assertThat(SpoolSourceConfigOptions.source(new Configuration(), SPOOL).quietSpool())
                .as("unset: one interval")
                .isNull();
    }

    @Test
    void quietBelowWithoutALongerIntervalDuringBacklogIsRefusedNamingBoth() {
        assertThatThrownBy(() -> SpoolSourceConfigOptions.source(
                        Configuration.fromMap(Map.of(
                                "kubelogs.source.quiet-below", "384kb", "execution.checkpointing.interval", "5s")),
                        SPOOL))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("kubelogs.source.quiet-below")
                .hasMessageContaining("execution.checkpointing.interval-during-backlog");
        assertThatThrownBy(() -> SpoolSourceConfigOptions.source(
                        Configuration.fromMap(Map.of(
                                "kubelogs.source.quiet-below", "384kb",
                                "execution.checkpointing.interval", "5s",
                                "execution.checkpointing.interval-during-backlog", "5s")),
                        SPOOL))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("longer than execution.checkpointing.interval");
    }
}
