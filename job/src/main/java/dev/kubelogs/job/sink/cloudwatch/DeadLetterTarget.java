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
 *   <li>{@link #siblingGroup(String)}: like {@link #logGroup(String)}, into the group named {@code name} next to
 *       the rejected event's own group ({@code /aws/containerinsights/<cluster>/application} → {@code
 *       /aws/containerinsights/<cluster>/<name>}), so one sink serving many clusters keeps each cluster's dead
 *       letters with that cluster;
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
        LOG_GROUP,
        SIBLING_GROUP
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

    /** Into the log group {@code name} beside each rejected event's group (a name without '/'). */
    public static DeadLetterTarget siblingGroup(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a sibling dead-letter group is one path segment, not '" + name + "'");
        }
        String problem = BatchCutter.targetProblem("/" + name, "dead-letter");
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new DeadLetterTarget(Kind.SIBLING_GROUP, name);
    }

    /** The group a record rejected from {@code logGroup} goes to. */
    public String groupFor(String logGroup) {
        if (kind == Kind.LOG_GROUP) {
            return location;
        }
        if (kind != Kind.SIBLING_GROUP) {
            throw new IllegalStateException(this + " is not a log group target");
        }
        int slash = logGroup.lastIndexOf('/');
        return slash < 0 ? location : logGroup.substring(0, slash + 1) + location;
    }

    /** Whether the target writes through a CloudWatch Logs client. */
    public boolean usesCloudWatch() {
        return kind == Kind.LOG_GROUP || kind == Kind.SIBLING_GROUP;
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
