package dev.kubelogs.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.DetachedJobExecutionResult;
import org.junit.jupiter.api.Test;

class JobCommandTest {

    @Test
    void aDetachedSubmissionIsReportedByItsJobId() {
        JobID id = new JobID();
        // a cluster running the jar (REST /jars/:id/run, application mode) returns this; its runtime is unknown
        assertThat(JobCommand.outcome(new DetachedJobExecutionResult(id))).isEqualTo("Job " + id + " submitted");
    }

    @Test
    void anAttachedRunIsReportedByItsRuntime() {
        assertThat(JobCommand.outcome(new JobExecutionResult(new JobID(), 1234,
                Map.of()))).isEqualTo("Job finished after 1234 ms");
    }
}
