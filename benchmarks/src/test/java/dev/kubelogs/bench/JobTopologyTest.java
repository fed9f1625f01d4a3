package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class JobTopologyTest {

    @Test
    void theOptionsSpellingInAnyCaseNamesATopologyAndAnythingElseIsAClearError() {
        assertThat(JobTopology.parse("cluster")).isEqualTo(JobTopology.CLUSTER);
        assertThat(JobTopology.parse(" MiniCluster ")).isEqualTo(JobTopology.MINICLUSTER);
        assertThat(JobTopology.MINICLUSTER.option()).isEqualTo("minicluster");
        assertThatThrownBy(() -> JobTopology.parse("mini"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessage("--job-topology must be cluster or minicluster, not 'mini'");
    }
}
