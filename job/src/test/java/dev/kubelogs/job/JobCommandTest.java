package dev.kubelogs.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.sink.cloudwatch.BatchCutter;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import dev.kubelogs.job.sink.cloudwatch.DeadLetterReason;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class JobCommandTest {
    private static final CloudWatchEvent OVERSIZE =
            new CloudWatchEvent("g", "s", 1L, "x".repeat(BatchCutter.MAX_EVENT_BYTES + 1));

    private static BatchCutter.Prepared sinkOf(String... args) {
        JobCommand command = new JobCommand();
        new CommandLine(command).parseArgs(args);
        CloudWatchLogsSink sink = (CloudWatchLogsSink) command.sinkFactory().create(Category.APPLICATION);
        return sink.config().cutter().prepare(OVERSIZE);
    }

    @Test
    void anOversizeEventThatStillReachesTheSinkIsDeadLetteredWholeNotCut() {
        BatchCutter.Prepared p = sinkOf("--spool", "/tmp/spool");
        assertThat(p.event).isNull();
        assertThat(p.deadLetter).isEqualTo(DeadLetterReason.OVERSIZE);
    }

    @Test
    void truncationOnlyWhenAskedFor() {
        BatchCutter.Prepared p = sinkOf("--spool", "/tmp/spool", "--oversize-events", "TRUNCATE");
        assertThat(p.truncated).isTrue();
        assertThat(p.event.message()).endsWith(BatchCutter.truncationMarker(BatchCutter.MAX_EVENT_BYTES + 1));
    }
}
