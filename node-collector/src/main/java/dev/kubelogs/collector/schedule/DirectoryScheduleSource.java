package dev.kubelogs.collector.schedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The schedule of a directory spool (no S3, no Kinesis: the job reads SPOOL_DIR itself): the file
 * {@code <SPOOL_DIR>/discovery-schedule.json}, which the job replaces atomically (a temp file renamed over it).
 */
public final class DirectoryScheduleSource implements ScheduleSource {
    private final Path file;

    public DirectoryScheduleSource(Path spoolRoot) {
        this.file = spoolRoot.resolve(DiscoverySchedule.FILE_NAME);
    }

    @Override
    public byte[] read() throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public String where() {
        return file.toString();
    }
}
