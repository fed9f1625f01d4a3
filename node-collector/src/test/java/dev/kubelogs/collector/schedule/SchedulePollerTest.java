package dev.kubelogs.collector.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.CapturedLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the tail thread is handed after each read of the schedule, and what is counted and logged. */
class SchedulePollerTest {
    static final String OTHER = DiscoveryScheduleTest.EXAMPLE.replace("10000", "5000");

    @TempDir
    Path spool;

    final CollectorMetrics metrics = new CollectorMetrics();

    private SchedulePoller poller(ScheduleSource source) {
        return new SchedulePoller(source, Duration.ofSeconds(30), metrics);
    }

    private void write(String json) throws IOException {
        Files.writeString(spool.resolve(DiscoverySchedule.FILE_NAME), json);
    }

    @Test
    void eachReadHandsOverWhatIsThereAndNoObjectIsNoSchedule() throws IOException {
        SchedulePoller p = poller(new DirectoryScheduleSource(spool));
        p.poll();
        assertThat(p.current()).isNull();
        write(DiscoveryScheduleTest.EXAMPLE);
        p.poll();
        assertThat(p.current().periodMillis()).isEqualTo(10_000);
        write(OTHER);
        p.poll();
        assertThat(p.current().periodMillis()).isEqualTo(5000);
        Files.delete(spool.resolve(DiscoverySchedule.FILE_NAME));
        p.poll();
        assertThat(p.current()).as("the job removed it").isNull();
        assertThat(metrics.errorTotal()).isZero();
    }

    @Test
    void anUnparsableObjectIsCountedAndTheLastGoodScheduleKept() throws IOException {
        SchedulePoller p = poller(new DirectoryScheduleSource(spool));
        write(DiscoveryScheduleTest.EXAMPLE);
        p.poll();
        DiscoverySchedule good = p.current();
        try (CapturedLog log = new CapturedLog(SchedulePoller.class)) {
            write("{\"version\":1,\"publ");
            p.poll();
            p.poll();
            assertThat(p.current()).isEqualTo(good);
            assertThat(metrics.errors("schedule_read")).isEqualTo(2);
            assertThat(log.warnings())
                    .as("logged at most once a minute")
                    .singleElement()
                    .asString()
                    .contains("could not read the discovery schedule", DiscoverySchedule.FILE_NAME);
        }
    }

    @Test
    void aFailedReadIsCountedAndTheLastGoodScheduleKept() throws IOException {
        boolean[] failing = {false};
        ScheduleSource source = new ScheduleSource() {
            @Override
            public byte[] read() throws IOException {
                if (failing[0]) {
                    throw new IOException("Access Denied");
                }
                return DiscoveryScheduleTest.EXAMPLE.getBytes();
            }

            @Override
            public String where() {
                return "s3://b/discovery-schedule.json";
            }
        };
        SchedulePoller p = poller(source);
        p.poll();
        DiscoverySchedule good = p.current();
        failing[0] = true;
        try (CapturedLog log = new CapturedLog(SchedulePoller.class)) {
            p.poll();
            assertThat(p.current()).isEqualTo(good);
            assertThat(metrics.errors("schedule_read")).isEqualTo(1);
            assertThat(log.warnings()).singleElement().asString().contains("Access Denied");
        }
    }

    @Test
    void anotherVersionIsNoScheduleCountedEveryTimeAndLoggedOnce() throws IOException {
        SchedulePoller p = poller(new DirectoryScheduleSource(spool));
        write(DiscoveryScheduleTest.EXAMPLE);
        p.poll();
        try (CapturedLog log = new CapturedLog(SchedulePoller.class)) {
            write(DiscoveryScheduleTest.EXAMPLE.replace("\"version\":1", "\"version\":2"));
            p.poll();
            p.poll();
            assertThat(p.current()).as("ignored: segments roll by age").isNull();
            assertThat(metrics.errors("schedule_version")).isEqualTo(2);
            assertThat(metrics.errors("schedule_read")).isZero();
            assertThat(log.warnings()).singleElement().asString().contains("version 2");
        }
    }

    @Test
    void theThreadReadsAtOnceAndThenEveryInterval() throws Exception {
        write(DiscoveryScheduleTest.EXAMPLE);
        try (SchedulePoller p =
                new SchedulePoller(new DirectoryScheduleSource(spool), Duration.ofMillis(50), metrics)) {
            p.start();
            Await.until("the first read", Duration.ofSeconds(10), () -> p.current() != null);
            write(OTHER);
            Await.until(
                    "a later read", Duration.ofSeconds(10), () -> p.current().periodMillis() == 5000);
        }
    }
}
