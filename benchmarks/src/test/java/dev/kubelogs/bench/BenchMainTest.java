package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchMainTest {

    private static BenchMain parse(String... args) {
        BenchMain main = new BenchMain();
        new CommandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void everyPartsDefaultsHoldWithoutArguments() {
        BenchMain m = parse();

        assertThat(m.parts).containsExactly("e2e", "collector", "tail", "state", "saturation", "sink", "jmh");
        assertThat(m.run.nodes).isEqualTo(2);
        assertThat(m.run.rate).isEqualTo(5000);
        assertThat(m.run.duration).isEqualTo(Duration.ofSeconds(60));
        assertThat(m.run.stateBackend).isEqualTo("rocksdb");
        assertThat(m.collector.collectorRates).containsExactly(1000.0, 10000.0, 50000.0);
        assertThat(m.collector.tailLines).isEqualTo(1_000_000);
        assertThat(m.saturation.latencyBound).isEqualTo(Duration.ofSeconds(5));
        assertThat(m.state.stateNodes).containsExactly(1, 10, 100, 1000);
        assertThat(m.sink.sinkEvents).isEqualTo(2_000_000);
        assertThat(m.metrics.metricsTargets).isEqualTo(100);
        assertThat(m.spoolCost.spoolCostDuration).isEqualTo(Duration.ofMinutes(4));
        assertThat(m.spoolCost.spoolCostSet).isEmpty();
        assertThat(m.jmhArgs).isEqualTo("-f 1 -wi 5 -w 1s -i 5 -r 2s");
        assertThat(m.workDir).isEqualTo(Path.of(".pipeline/bench"));
        assertThat(m.seed).isEqualTo(7);
    }

    @Test
    void optionsOfEveryPartParseIntoTheirGroups() {
        BenchMain m = parse(
                "--nodes=3",
                "--collector-rates=500",
                "--saturation-max=9000",
                "--state-segments=4",
                "--sink-topology=keyed",
                "--discovery-kept=7",
                "--spool-cost-set",
                "discovery-interval=2s",
                "--seed=11");

        assertThat(m.run.nodes).isEqualTo(3);
        assertThat(m.collector.collectorRates).containsExactly(500.0);
        assertThat(m.saturation.saturationMax).isEqualTo(9000);
        assertThat(m.state.stateSegments).containsExactly(4);
        assertThat(m.sink.sinkTopology).isEqualTo("keyed");
        assertThat(m.metrics.discoveryKept).containsExactly(7);
        assertThat(m.spoolCost.spoolCostSet).containsEntry("discovery-interval", "2s");
        assertThat(m.seed).isEqualTo(11);
    }

    @Test
    void quickMakesEveryPartSmallAndShort() {
        BenchMain m = parse("--quick", "--nodes=4", "--rate=20000");

        m.applyQuick();

        assertThat(m.run.nodes).isEqualTo(1);
        assertThat(m.run.rate).isEqualTo(500);
        assertThat(m.run.duration).isEqualTo(Duration.ofSeconds(8));
        assertThat(m.collector.collectorRates).containsExactly(500.0, 2000.0);
        assertThat(m.saturation.saturationMax).isEqualTo(2000);
        assertThat(m.state.stateNodes).containsExactly(1, 10);
        assertThat(m.sink.sinkEvents).isEqualTo(20_000);
        assertThat(m.metrics.metricsTargets).isEqualTo(10);
        assertThat(m.jmhArgs).isEqualTo("-f 0 -wi 0 -i 1 -r 200ms -bm thrpt SpoolBench.write");
    }

    @Test
    void allStandsForTheDefaultSetAndPartsKeepTheirOrderOnce() {
        assertThat(BenchMain.parts(List.of("spool-cost", "all", " e2e")))
                .containsExactly("spool-cost", "e2e", "collector", "tail", "state", "saturation", "sink", "jmh");
    }

    @Test
    void theHelpListsEveryOptionInItsPlace() {
        StringWriter help = new StringWriter();
        CommandLine cl = new CommandLine(new BenchMain());
        cl.setOut(new PrintWriter(help));

        assertThat(cl.execute("--help")).isZero();
        String text = help.toString();
        List<String> inOrder = List.of(
                "--parts",
                "--quick",
                "--nodes",
                "--collector-memory-limit",
                "--collector-rates",
                "--tail-lines",
                "--saturation-start",
                "--latency-bound",
                "--state-nodes",
                "--sink-events",
                "--sink-warmup-events",
                "--metrics-targets",
                "--metrics-interval",
                "--spool-cost-rate",
                "--spool-cost-set",
                "--jmh",
                "--results",
                "--work-dir",
                "--seed");
        int at = text.indexOf("records the load average");
        for (String option : inOrder) {
            int next = text.indexOf("      " + option, at);
            assertThat(next).as(option + " after the previous option").isGreaterThan(at);
            at = next;
        }
    }
}
