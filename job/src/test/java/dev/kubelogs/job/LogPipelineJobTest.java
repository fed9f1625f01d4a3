package dev.kubelogs.job;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The shaded jar's entry point runs inside the JobManager's JVM: it must return or throw, never exit. */
class LogPipelineJobTest {

    @Test
    void mainReturnsInsteadOfExitingTheJvm() {
        // with System.exit this would end the test JVM (and, on a cluster, the JobManager)
        LogPipelineJob.main(new String[] {"--help"});
    }

    @Test
    void badArgumentsAreThrownNotExited() {
        assertThatThrownBy(() -> LogPipelineJob.main(new String[] {"--no-such-option"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exit code 2");
    }
}
