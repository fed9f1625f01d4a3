package dev.kubelogs.cwlocal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Fault injection and call counters of one endpoint. Thread-safe.
 *
 * <p>Counted faults are armed in order and consumed by the calls they match (an operation name, or any operation
 * when none is given): the first armed rule that matches a call is used and its count decremented.
 * <ul>
 *   <li>{@link Kind#THROTTLE}, {@link Kind#UNAVAILABLE} and {@link Kind#ERROR} answer before the call is processed,
 *       so nothing is stored; {@link Kind#HANG} never answers it (nor processes it): the client's timeout ends it;</li>
 *   <li>{@link Kind#DROP_RESPONSE} and {@link Kind#DELAY_RESPONSE} let the call be processed normally (a valid
 *       PutLogEvents stores its events), then close the connection without a response, or hold the response back
 *       for a delay (longer than the client's timeout, typically).</li>
 * </ul>
 * {@link #slow(Duration)} adds a fixed delay before every matching call until it is set back to zero.
 */
public final class Faults {

    /** The kinds of injected faults, as counted by {@link #injected(Kind)}. */
    public enum Kind {
        /** 400 ThrottlingException "Rate exceeded". */
        THROTTLE,
        /** 503 (or 500) ServiceUnavailableException, nothing processed. */
        UNAVAILABLE,
        /** Processed, then the connection is closed without a response. */
        DROP_RESPONSE,
        /** Processed, then the response is sent only after a delay. */
        DELAY_RESPONSE,
        /** A call delayed by {@link #slow(String, Duration)} before processing. */
        SLOW,
        /** An error of the given type and status (AccessDeniedException, UnrecognizedClientException, ...). */
        ERROR,
        /** Not processed and never answered (the connection stays open until the client gives up). */
        HANG
    }

    /** What a matching rule asks the server to do with one call. */
    record Action(Kind kind, int status, long delayMillis, String errorType, String message) {}

    private static final String ANY = "*";

    private final Set<String> operations;
    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, Long> slowMillis = new ConcurrentHashMap<>();
    private final Map<String, Long> calls = new TreeMap<>();
    private final EnumMap<Kind, Long> injected = new EnumMap<>(Kind.class);

    Faults(Set<String> operations) {
        this.operations = Set.copyOf(operations);
    }

    /** The operation names this endpoint serves (the values accepted as {@code operation}). */
    public Set<String> operations() {
        return new TreeSet<>(operations);
    }

    // ---------------------------------------------------------------- arming

    /** The next {@code count} calls of any operation fail with ThrottlingException (400, "Rate exceeded"). */
    public Faults throttle(int count) {
        return arm(Kind.THROTTLE, null, count, 400, 0);
    }

    /** The next {@code count} calls of {@code operation} (e.g. "PutLogEvents") fail with ThrottlingException. */
    public Faults throttle(String operation, int count) {
        return arm(Kind.THROTTLE, operation, count, 400, 0);
    }

    /** The next {@code count} calls of any operation fail with 503 ServiceUnavailableException. */
    public Faults unavailable(int count) {
        return arm(Kind.UNAVAILABLE, null, count, 503, 0);
    }

    /**
     * The next {@code count} calls of {@code operation} (null = any) fail with ServiceUnavailableException and
     * the given HTTP status (500 or 503), without being processed.
     */
    public Faults unavailable(String operation, int count, int httpStatus) {
        if (httpStatus != 500 && httpStatus != 503) {
            throw new IllegalArgumentException("httpStatus must be 500 or 503: " + httpStatus);
        }
        return arm(Kind.UNAVAILABLE, operation, count, httpStatus, 0);
    }

    /**
     * The next {@code count} calls of {@code operation} (null = any) fail with AccessDeniedException (HTTP 400, as
     * awsJson services answer it; use {@link #error} for another status), the way IAM refuses a call.
     */
    public Faults accessDenied(String operation, int count) {
        return error(
                operation,
                count,
                400,
                "AccessDeniedException",
                "User: arn:aws:sts::000000000000:assumed-role/"
                        + "kubelogs/local is not authorized to perform: logs:" + (operation == null ? "*" : operation)
                        + " because no identity-based policy allows it (injected fault)");
    }

    /** The next {@code count} calls fail with 400 UnrecognizedClientException (unknown or invalid credentials). */
    public Faults unrecognizedClient(String operation, int count) {
        return error(
                operation,
                count,
                400,
                "UnrecognizedClientException",
                "The security token included in the request is invalid. (injected fault)");
    }

    /** The next {@code count} calls of {@code operation} (null = any) fail with this error, unprocessed. */
    public Faults error(String operation, int count, int httpStatus, String errorType, String message) {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be 4xx or 5xx: " + httpStatus);
        }
        if (errorType == null || errorType.isBlank()) {
            throw new IllegalArgumentException("errorType is required");
        }
        return arm(new Rule(Kind.ERROR, operation, count, httpStatus, 0, errorType, message == null ? "" : message));
    }

    /** The next {@code count} calls of {@code operation} (null = any) are neither processed nor ever answered. */
    public Faults hang(String operation, int count) {
        return arm(Kind.HANG, operation, count, 0, 0);
    }

    /** The next {@code count} PutLogEvents calls are processed (events stored), then the connection is closed. */
    public Faults dropResponses(int count) {
        return dropResponses("PutLogEvents", count);
    }

    /** The next {@code count} calls of {@code operation} (null = any) are processed, then the connection closed. */
    public Faults dropResponses(String operation, int count) {
        return arm(Kind.DROP_RESPONSE, operation, count, 0, 0);
    }

    /** The next {@code count} PutLogEvents calls are processed (events stored), and answered only after delay. */
    public Faults delayResponses(int count, Duration delay) {
        return delayResponses("PutLogEvents", count, delay);
    }

    /** The next {@code count} calls of {@code operation} (null = any) are processed and answered after delay. */
    public Faults delayResponses(String operation, int count, Duration delay) {
        return arm(Kind.DELAY_RESPONSE, operation, count, 0, positiveMillis(delay));
    }

    /** Every call waits {@code perCall} before it is processed; {@link Duration#ZERO} turns it off. */
    public Faults slow(Duration perCall) {
        return slow(null, perCall);
    }

    /** Every call of {@code operation} (null = any) waits {@code perCall}; ZERO turns it off. */
    public Faults slow(String operation, Duration perCall) {
        String key = operation == null ? ANY : checkOperation(operation);
        long ms = perCall.toMillis();
        if (ms < 0) {
            throw new IllegalArgumentException("negative delay: " + perCall);
        }
        if (ms == 0) {
            slowMillis.remove(key);
        } else {
            slowMillis.put(key, ms);
        }
        return this;
    }

    /** Disarms every fault (counted and slow); counters are kept. */
    public synchronized void clear() {
        rules.clear();
        slowMillis.clear();
    }

    /** Sum of the remaining counts of all armed counted faults. */
    public synchronized int pending() {
        int n = 0;
        for (Rule r : rules) {
            n += r.remaining;
        }
        return n;
    }

    // ---------------------------------------------------------------- counters

    /** Calls received for {@code operation} (including those answered with an injected fault or an error). */
    public synchronized long calls(String operation) {
        return calls.getOrDefault(operation, 0L);
    }

    /** Calls received per operation; unknown operations count as "UnknownOperation". */
    public synchronized Map<String, Long> calls() {
        return new LinkedHashMap<>(calls);
    }

    /** Faults of this kind injected so far. */
    public synchronized long injected(Kind kind) {
        return injected.getOrDefault(kind, 0L);
    }

    public synchronized Map<Kind, Long> injected() {
        return new EnumMap<>(injected);
    }

    /** Zeroes the call and fault counters. */
    public synchronized void resetCounters() {
        calls.clear();
        injected.clear();
        notifyAll();
    }

    /**
     * Waits until at least {@code count} calls of {@code operation} were received.
     *
     * @return false when the timeout passed first
     */
    public synchronized boolean awaitCalls(String operation, long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (calls.getOrDefault(operation, 0L) < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Describes the armed faults (admin API). */
    synchronized List<Map<String, Object>> describe() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Rule r : rules) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fault", r.kind.name());
            m.put("operation", r.operation == null ? ANY : r.operation);
            m.put("remaining", r.remaining);
            if (r.kind == Kind.UNAVAILABLE) {
                m.put("status", r.status);
            }
            if (r.kind == Kind.DELAY_RESPONSE) {
                m.put("delayMillis", r.delayMillis);
            }
            if (r.kind == Kind.ERROR) {
                m.put("status", r.status);
                m.put("type", r.errorType);
                m.put("message", r.message);
            }
            out.add(m);
        }
        slowMillis.forEach((op, ms) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fault", Kind.SLOW.name());
            m.put("operation", op);
            m.put("delayMillis", ms);
            out.add(m);
        });
        return out;
    }

    // ---------------------------------------------------------------- used by the server

    synchronized void countCall(String operation) {
        calls.merge(operation, 1L, Long::sum);
        notifyAll();
    }

    /** Delay to apply before processing a call of {@code operation}, 0 for none (counted as SLOW when > 0). */
    long slowDelay(String operation) {
        Long ms = slowMillis.get(operation);
        if (ms == null) {
            ms = slowMillis.get(ANY);
        }
        if (ms == null) {
            return 0;
        }
        synchronized (this) {
            injected.merge(Kind.SLOW, 1L, Long::sum);
        }
        return ms;
    }

    /** Consumes the first armed THROTTLE/UNAVAILABLE/ERROR/HANG rule matching the call, if any. */
    Action beforeProcessing(String operation) {
        return take(operation, Kind.THROTTLE, Kind.UNAVAILABLE, Kind.ERROR, Kind.HANG);
    }

    /** Consumes the first armed DROP_RESPONSE/DELAY_RESPONSE rule matching the call, if any. */
    Action afterProcessing(String operation) {
        return take(operation, Kind.DROP_RESPONSE, Kind.DELAY_RESPONSE);
    }

    private synchronized Action take(String operation, Kind... kinds) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (List.of(kinds).contains(r.kind) && (r.operation == null || r.operation.equals(operation))) {
                if (--r.remaining == 0) {
                    it.remove();
                }
                injected.merge(r.kind, 1L, Long::sum);
                return new Action(r.kind, r.status, r.delayMillis, r.errorType, r.message);
            }
        }
        return null;
    }

    private Faults arm(Kind kind, String operation, int count, int status, long delayMillis) {
        return arm(new Rule(kind, operation, count, status, delayMillis, null, null));
    }

    private Faults arm(Rule rule) {
        if (rule.remaining < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + rule.remaining);
        }
        if (rule.operation != null) {
            checkOperation(rule.operation);
        }
        if (rule.remaining > 0) {
            synchronized (this) {
                rules.add(rule);
            }
        }
        return this;
    }

    private String checkOperation(String operation) {
        if (!operations.contains(operation)) {
            throw new IllegalArgumentException(
                    "unknown operation " + operation + "; known: " + new TreeSet<>(operations));
        }
        return operation;
    }

    private static long positiveMillis(Duration d) {
        long ms = d.toMillis();
        if (ms <= 0) {
            throw new IllegalArgumentException("delay must be positive: " + d);
        }
        return ms;
    }

    private static final class Rule {
        final Kind kind;
        final String operation;
        final int status;
        final long delayMillis;
        final String errorType;
        final String message;
        int remaining;

        Rule(
                Kind kind,
                String operation,
                int remaining,
                int status,
                long delayMillis,
                String errorType,
                String message) {
            this.kind = kind;
            this.operation = operation;
            this.remaining = remaining;
            this.status = status;
            this.delayMillis = delayMillis;
            this.errorType = errorType;
            this.message = message;
        }
    }
}
