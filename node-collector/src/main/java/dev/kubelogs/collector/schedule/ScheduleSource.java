package dev.kubelogs.collector.schedule;

import java.io.IOException;

/** Where the job's {@link DiscoverySchedule} is read from: the spool root (S3 or a directory). */
public interface ScheduleSource {
    /** The object's bytes, or null when there is none. */
    byte[] read() throws IOException;

    /** Where it is read from, for log lines. */
    String where();
}
