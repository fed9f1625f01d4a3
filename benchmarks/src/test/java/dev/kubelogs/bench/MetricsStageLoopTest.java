package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.junit.jupiter.api.Test;

class MetricsStageLoopTest {
    /**
     * The cluster model's subtasks together see every series of every scrape once, through Flink's record reader, and
     * make the events the pipeline makes of those scrapes: no record is lost in the buffers, no group is routed twice.
     */
    @Test
    void clusterSubtasksTogetherMakeTheEventsOfEveryScrape() throws Exception {
        assertEventsOfEveryScrape(1);
    }

    @Test
    void clusterSubtasksMakeTheSameEventsWithSeveralTargetsARecord() throws Exception {
        assertEventsOfEveryScrape(4);
    }

    private static void assertEventsOfEveryScrape(int targetsPerRecord) throws Exception {
        int targets = 6;
        long samples = 0;
        long events = 0;
        for (int subtask = 0; subtask < MetricsStageLoop.ClusterThreadPass.SUBTASKS; subtask++) {
            MetricsStageLoop.ClusterThreadPass pass = new MetricsStageLoop.ClusterThreadPass(
                    targets, subtask, new HashMapStateBackend(), 0, targetsPerRecord, 1);
            long firstBytes = pass.run();
            long bytes = pass.run();
            assertThat(bytes).isGreaterThan(firstBytes);
            samples += pass.samplesPerScrape();
            events += pass.events();
        }
        assertThat(samples).isEqualTo((long) targets * ExporterText.SERIES);
        assertThat(events).isEqualTo(targets * ExporterText.eventsFor(2));
    }
}
