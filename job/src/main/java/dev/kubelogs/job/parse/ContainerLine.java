package dev.kubelogs.job.parse;

/**
 * One physical line of a container log file after the runtime format was recognised.
 *
 * @param format which runtime wrote it
 * @param record the record as Fluent Bit's docker/cri parsers build it, keys in their order
 *     (Docker: the file's own keys; CRI: time, stream, _p, log; raw: log)
 * @param stream stdout or stderr ("" for raw lines)
 * @param log the message text
 * @param partial the runtime split this line and the next piece of the same stream continues it
 * @param timeMillis the runtime timestamp, or -1 when there is none
 */
public record ContainerLine(
        Format format, LineRecord record, String stream, String log, boolean partial, long timeMillis) {

    public enum Format {
        DOCKER,
        CRI,
        RAW
    }
}
