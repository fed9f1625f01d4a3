package dev.kubelogs.job.sink.cloudwatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.job.enrich.EventParts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;

/** Runtime side of a {@link DeadLetterTarget}. Implementations are thread-safe and durable on return. */
abstract class DeadLetterWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);
    static final ObjectMapper JSON = new ObjectMapper();

    abstract void write(List<DeadLetterRecord> records) throws IOException;

    @Override
    public void close() throws IOException {}

    static String toJson(DeadLetterRecord r) {
        try {
            return JSON.writeValueAsString(r.toJsonMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render dead-letter record " + r, e);
        }
    }

    /**
     * Opens the writer for {@code target}.
     *
     * @param role "writer" or "committer" (part of file and stream names)
     * @param client used (and not closed) by the log-group target; may be null for the other targets
     */
    static DeadLetterWriter open(
            DeadLetterTarget target,
            String role,
            int subtask,
            CloudWatchLogsSinkConfig config,
            CloudWatchLogsAsyncClient client,
            org.apache.flink.metrics.MetricGroup metricGroup)
            throws IOException {
        switch (target.kind()) {
            case DIRECTORY:
                return new Directory(Paths.get(target.location()), role, subtask);
            case LOG_GROUP:
            case SIBLING_GROUP:
                return new LogGroup(
                        target,
                        "dead-letter-" + role + "-" + subtask,
                        config,
                        client,
                        new SinkMetrics(metricGroup.addGroup("deadLetterTarget")));
            default:
                return new Logging();
        }
    }

    /** Logs each record at ERROR. */
    static final class Logging extends DeadLetterWriter {
        @Override
        synchronized void write(List<DeadLetterRecord> records) {
            for (DeadLetterRecord r : records) {
                LOG.error("DEAD LETTER {}", toJson(r));
            }
        }
    }

    /** Appends JSON lines to {@code dead-letter-<role>-<subtask>-<uuid>.jsonl} and fsyncs after each write. */
    static final class Directory extends DeadLetterWriter {
        private final Path file;
        private FileChannel channel;
        private OutputStream out;

        Directory(Path dir, String role, int subtask) throws IOException {
            Files.createDirectories(dir);
            this.file = dir.resolve("dead-letter-" + role + "-" + subtask + "-" + UUID.randomUUID() + ".jsonl");
        }

        Path file() {
            return file;
        }

        @Override
        synchronized void write(List<DeadLetterRecord> records) throws IOException {
            if (channel == null) {
                channel = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                out = Channels.newOutputStream(channel);
            }
            StringBuilder sb = new StringBuilder();
            for (DeadLetterRecord r : records) {
                sb.append(toJson(r)).append('\n');
            }
            out.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
            channel.force(false);
        }

        @Override
        public synchronized void close() throws IOException {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }
    }

    /**
     * Puts records (as JSON messages, timestamp = now) into the target's log group — one fixed group, or the
     * sibling of each record's own group — through a {@link BatchDeliverer}. A record over the event size goes in
     * parts ({@link EventParts}: its {@code message} shared out, each part a whole JSON object with a part index),
     * so an oversize event is kept whole here too; anything the deliverer cannot place is logged at ERROR.
     */
    static final class LogGroup extends DeadLetterWriter {
        private final DeadLetterTarget target;
        private final String stream;
        private final BatchDeliverer deliverer;
        private final BatchCutter cutter = BatchCutter.defaults();

        LogGroup(
                DeadLetterTarget target,
                String stream,
                CloudWatchLogsSinkConfig config,
                CloudWatchLogsAsyncClient client,
                SinkMetrics metrics) {
            this.target = target;
            this.stream = stream;
            this.deliverer = new BatchDeliverer(
                    client, config, new Logging(), metrics, new DeliveryHealth("dead letter stream " + stream));
        }

        @Override
        synchronized void write(List<DeadLetterRecord> records) throws IOException {
            long now = System.currentTimeMillis();
            Map<String, List<SinkEvent>> byGroup = new LinkedHashMap<>();
            for (DeadLetterRecord r : records) {
                String group = target.groupFor(r.logGroup);
                List<SinkEvent> events = byGroup.computeIfAbsent(group, g -> new ArrayList<>());
                for (String part : EventParts.split(toJson(r), cutter.maxEventBytes())) {
                    BatchCutter.Prepared p = cutter.prepare(new dev.kubelogs.job.model.CloudWatchEvent(
                            group, stream, now, part, r.sourceId, r.sourceOffset));
                    events.add(p.event);
                }
            }
            try {
                for (Map.Entry<String, List<SinkEvent>> group : byGroup.entrySet()) {
                    for (List<SinkEvent> batch : BatchCutter.cut(group.getValue())) {
                        deliverer.deliver(group.getKey(), stream, batch, false, 0);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while writing dead letters", e);
            }
        }
    }
}
