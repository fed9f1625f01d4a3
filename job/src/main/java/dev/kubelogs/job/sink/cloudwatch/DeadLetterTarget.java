package dev.kubelogs.job.sink.cloudwatch;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where dead-lettered events go (serializable description; {@link DeadLetterWriter} is the runtime side).
 *
 * <ul>
 *   <li>{@link #directory(String)}: JSON lines files {@code dead-letter-<role>-<subtask>-<uuid>.jsonl} in a
 *       local (or mounted) directory, flushed and fsynced before the sink moves on;
 *   <li>{@link #logGroup(String)}: JSON records put into a CloudWatch log group, stream
 *       {@code dead-letter-<role>-<subtask>}, timestamp = time of dead-lettering;
 *   <li>{@link #log()} (default): each record logged at ERROR through SLF4J — never silent, but only as
 *       durable as the task manager's logs.
 * </ul>
 *
 * Dead letters are at-least-once: a batch replayed after a failover can dead-letter the same event again.
 */
public final class DeadLetterTarget implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        LOG,
        DIRECTORY,
        LOG_GROUP
    }

    private final Kind kind;
    private final String location;

    private DeadLetterTarget(Kind kind, String location) {
        this.kind = kind;
        this.location = location;
    }

    public static DeadLetterTarget log() {
        return new DeadLetterTarget(Kind.LOG, null);
    }

    public static DeadLetterTarget directory(String path) {
        return new DeadLetterTarget(Kind.DIRECTORY, Objects.requireNonNull(path, "path"));
    }

    public static DeadLetterTarget logGroup(String logGroup) {
        String problem = BatchCutter.targetProblem(logGroup, "dead-letter");
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new DeadLetterTarget(Kind.LOG_GROUP, logGroup);
    }

    public Kind kind() {
        return kind;
    }

    public String location() {
        return location;
    }

    @Override
    public String toString() {
        return kind + (location == null ? "" : ":" + location);
    }
}
