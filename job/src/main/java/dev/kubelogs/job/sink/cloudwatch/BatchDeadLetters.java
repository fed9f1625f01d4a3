package dev.kubelogs.job.sink.cloudwatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;

/**
 * Dead-letters the events of a batch that CloudWatch will not store: the ones a successful put names in
 * {@code rejectedLogEventsInfo} (too old {@code [0, tooOldEnd)}, expired {@code [0, expiredEnd)}, too new
 * {@code [tooNewStart, n)}), and a whole batch refused as invalid. A failure to write the dead letters fails the
 * batch.
 */
final class BatchDeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(BatchDeadLetters.class);

    private final DeadLetterWriter deadLetter;
    private final SinkMetrics metrics;

    BatchDeadLetters(DeadLetterWriter deadLetter, SinkMetrics metrics) {
        this.deadLetter = deadLetter;
        this.metrics = metrics;
    }

    /**
     * Dead-letters the rejected events of a put of {@code events[pending[j]]} and marks them {@code settled};
     * returns how many of {@code pending} were rejected.
     */
    int rejected(
            String group,
            String stream,
            EventArena arena,
            List<Integer> pending,
            RejectedLogEventsInfo info,
            boolean[] settled)
            throws DeliveryException {
        if (info == null) {
            return 0;
        }
        int n = pending.size();
        int tooOldEnd = clamp(info.tooOldLogEventEndIndex(), n, 0);
        int expiredEnd = clamp(info.expiredLogEventEndIndex(), n, 0);
        int tooNewStart = clamp(info.tooNewLogEventStartIndex(), n, n);
        List<DeadLetterRecord> records = new ArrayList<>();
        List<SinkEvent> events = null; // decoded only if an event was rejected
        for (int j = 0; j < n; j++) {
            DeadLetterReason reason;
            String detail;
            if (j < tooOldEnd) {
                reason = DeadLetterReason.TOO_OLD;
                detail = "rejectedLogEventsInfo.tooOldLogEventEndIndex=" + info.tooOldLogEventEndIndex();
                metrics.rejectedTooOld.inc();
            } else if (j < expiredEnd) {
                reason = DeadLetterReason.EXPIRED;
                detail = "rejectedLogEventsInfo.expiredLogEventEndIndex=" + info.expiredLogEventEndIndex();
                metrics.rejectedExpired.inc();
            } else if (j >= tooNewStart) {
                reason = DeadLetterReason.TOO_NEW;
                detail = "rejectedLogEventsInfo.tooNewLogEventStartIndex=" + info.tooNewLogEventStartIndex();
                metrics.rejectedTooNew.inc();
            } else {
                continue;
            }
            int i = pending.get(j);
            settled[i] = true;
            if (events == null) {
                events = arena.events();
            }
            records.add(DeadLetterRecord.of(reason, detail, group, stream, events.get(i)));
        }
        if (!records.isEmpty()) {
            LOG.warn(
                    "{}/{}: CloudWatch rejected {} of {} events ({}), dead-lettering them",
                    group,
                    stream,
                    records.size(),
                    n,
                    info);
            write(records);
        }
        return records.size();
    }

    /** Dead-letters {@code events[pending[j]]}, refused as an invalid batch for {@code detail}. */
    void invalidBatch(String group, String stream, EventArena arena, List<Integer> pending, String detail)
            throws DeliveryException {
        List<SinkEvent> events = arena.events();
        List<DeadLetterRecord> records = new ArrayList<>();
        for (int i : pending) {
            records.add(DeadLetterRecord.of(DeadLetterReason.INVALID_BATCH, detail, group, stream, events.get(i)));
        }
        write(records);
    }

    private static int clamp(Integer v, int hi, int dflt) {
        return v == null ? dflt : Math.max(0, Math.min(hi, v));
    }

    private void write(List<DeadLetterRecord> records) throws DeliveryException {
        try {
            deadLetter.write(records);
            metrics.deadLettered.inc(records.size());
        } catch (IOException | RuntimeException e) {
            throw new DeliveryException("could not write " + records.size() + " dead-letter records", e);
        }
    }
}
