package dev.kubelogs.collector.metrics;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collector's metrics, per collector instance (several collectors can live in one JVM in tests and the demo).
 * Names start with {@code kubelogs_collector_}; {@link #writeText} writes them in the Prometheus text format 0.0.4,
 * as the Prometheus Java client wrote them before (families sorted by name, label values sorted, doubles as Java
 * prints them, labelled families without a series left out). Not that client: its registry, configuration loading and
 * exporter were ~140 classes and a thread per collector, for 20 numbers.
 */
public final class CollectorMetrics {
    /** Inputs as metric label values. */
    public static final String CONTAINER = "container";

    public static final String HOST = "host";
    public static final String JOURNAL = "journal";

    private final List<Family> families = new ArrayList<>();

    private final Family records;
    private final Family bytes;
    private final Family errors;
    private final Family kubelet;
    public final Counter segmentsWritten;
    public final Counter segmentBytesWritten;
    public final Counter podRecords;
    public final Counter truncations;
    public final Counter truncatedTailsRecovered;
    public final Counter truncatedBytesRecovered;
    public final Counter truncatedTailsLost;
    public final Counter truncatedBytesLost;
    public final Counter rotations;
    public final Counter filesReleased;
    public final Counter longLinesSplit;
    public final Counter symlinksRefused;
    public final Counter filesMissed;
    public final Counter filesGoneWhileDown;
    public final Counter filesRotatedWhileDown;
    public final Counter filesCompressedWhileDown;
    public final Counter backpressureSeconds;
    public final Counter segmentsExpired;
    public final Counter scheduleRolls;
    public final Counter journalSkipped;
    public final Counter journalFieldsCut;
    public final Counter s3Uploads;
    public final Counter s3UploadBytes;
    public final Counter s3Errors;
    public final Counter kinesisPuts;
    public final Counter kinesisPutBytes;
    public final Counter kinesisErrors;
    public final Counter kinesisRejected;
    public final Gauge spoolBytes;
    public final Gauge spoolSegments;
    public final Gauge filesTracked;
    public final Gauge backpressure;
    public final Gauge committedSeq;

    private final AtomicLong errorTotal = new AtomicLong();

    /** A metric family: unlabelled (one series under the label value null) or with one label. */
    private static final class Family {
        final String name;
        final String help;
        final boolean counter;
        final String label;
        final Map<String, Object> series = new ConcurrentHashMap<>();
        /** The HELP and TYPE lines, written at every scrape: made once. */
        final String header;
        /** Each series' sample name with its label, made once per series. */
        final Map<String, String> sampleNames = new ConcurrentHashMap<>();

        Family(String name, String help, boolean counter, String label) {
            this.name = name;
            this.help = help;
            this.counter = counter;
            this.label = label;
            String exposed = exposedName();
            this.header = "# HELP " + exposed + " " + escapeHelp(help) + "\n# TYPE " + exposed + " "
                    + (counter ? "counter" : "gauge") + "\n";
        }

        String exposedName() {
            return counter ? name + "_total" : name;
        }

        /** A labelled family's sample name for {@code labelValue}. */
        String sampleName(String labelValue) {
            return sampleNames.computeIfAbsent(
                    labelValue, v -> exposedName() + "{" + label + "=\"" + escapeLabel(v) + "\"}");
        }

        Counter counter(String labelValue) {
            return (Counter) series.computeIfAbsent(labelValue, k -> new Counter());
        }
    }

    public CollectorMetrics() {
        records = family("kubelogs_collector_records_read", "LINE records read, per input", true, "input");
        bytes = family(
                "kubelogs_collector_bytes_read",
                "bytes read (line bytes + consumed newlines), per input",
                true,
                "input");
        errors = family("kubelogs_collector_errors", "errors by kind; each also produced a log line", true, "kind");
        kubelet = family("kubelogs_collector_kubelet_requests", "kubelet /pods requests by result", true, "result");
        segmentsWritten = counter("kubelogs_collector_segments_written", "segments made durable in the spool");
        segmentBytesWritten = counter("kubelogs_collector_segment_bytes_written", "bytes of durable segments written");
        podRecords = counter("kubelogs_collector_pod_records", "pod metadata records written to the spool");
        truncations = counter(
                "kubelogs_collector_truncations", "files found truncated in place (copytruncate); generation + 1");
        truncatedTailsRecovered = counter(
                "kubelogs_collector_truncated_tails_recovered",
                "truncations whose unread tail was read from the copy copytruncate left beside the file");
        truncatedBytesRecovered = counter(
                "kubelogs_collector_truncated_bytes_recovered",
                "bytes of truncated files' unread tails read from their copies");
        truncatedTailsLost = counter(
                "kubelogs_collector_truncated_tails_lost",
                "truncations with no readable copy of what was truncated (compressed, deleted, other content or "
                        + "shorter than what was read): whatever had not been read yet is lost");
        truncatedBytesLost = counter(
                "kubelogs_collector_truncated_bytes_lost",
                "bytes of truncated files seen in their size but neither read nor found in a copy (a lower bound)");
        rotations = counter("kubelogs_collector_rotations", "files found rotated (a new inode at a tracked path)");
        filesReleased =
                counter("kubelogs_collector_files_released", "rotated or deleted files read to their end and closed");
        longLinesSplit = counter(
                "kubelogs_collector_long_line_pieces", "PARTIAL pieces written for lines longer than the maximum");
        symlinksRefused = counter(
                "kubelogs_collector_symlinks_refused",
                "log paths not read because they resolve outside the log root and the Docker containers directory");
        filesMissed = counter(
                "kubelogs_collector_files_missed",
                "files created and gone (deleted or replaced) "
                        + "before the collector could open them; their lines are lost");
        filesGoneWhileDown = counter(
                "kubelogs_collector_files_gone_while_down",
                "tracked files deleted while the collector was not running (rotated away during a long outage); "
                        + "lines written to them after the committed offset are lost");
        filesRotatedWhileDown = counter(
                "kubelogs_collector_files_rotated_while_down",
                "files rotated in and out after the last commit (while the collector was down or paused), found "
                        + "beside the committed file at the restart and read from their head");
        filesCompressedWhileDown = counter(
                "kubelogs_collector_files_compressed_while_down",
                "files rotated after the last commit and already compressed (.gz) at the restart; they are not "
                        + "read, so their lines are lost");
        backpressureSeconds = counter(
                "kubelogs_collector_backpressure_seconds", "time tailing was paused because the spool was full");
        segmentsExpired = counter(
                "kubelogs_collector_segments_expired",
                "segments deleted by the retention safety net (unconsumed data)");
        scheduleRolls = counter(
                "kubelogs_collector_schedule_rolls",
                "segments rolled at a roll point of the job's discovery schedule (just before one of its discoveries) "
                        + "instead of by age");
        journalSkipped = counter(
                "kubelogs_collector_journal_entries_filtered",
                "journal entries outside the Container Insights host/dataplane filters");
        journalFieldsCut = counter(
                "kubelogs_collector_journal_fields_cut",
                "journal fields longer than 64 KiB (NAME=value) cut to their first 64 KiB, as Fluent Bit's systemd "
                        + "input gets them (libsystemd's default data threshold)");
        s3Uploads = counter("kubelogs_collector_s3_uploads", "segments uploaded to S3 (and deleted locally)");
        s3UploadBytes = counter("kubelogs_collector_s3_upload_bytes", "bytes of segments uploaded to S3");
        s3Errors = counter("kubelogs_collector_s3_upload_errors", "failed S3 upload attempts (retried)");
        kinesisPuts = counter(
                "kubelogs_collector_kinesis_puts", "segments put into the Kinesis stream (and deleted locally)");
        kinesisPutBytes =
                counter("kubelogs_collector_kinesis_put_bytes", "bytes of segments put into the Kinesis stream");
        kinesisErrors = counter("kubelogs_collector_kinesis_put_errors", "failed Kinesis put attempts (retried)");
        kinesisRejected = counter(
                "kubelogs_collector_kinesis_rejected_segments",
                "segments over Kinesis's 1 MiB record limit, kept under rejected/ and not sent");
        spoolBytes = gauge("kubelogs_collector_spool_bytes", "bytes of segments in the local spool");
        spoolSegments = gauge("kubelogs_collector_spool_segments", "segments in the local spool");
        filesTracked = gauge("kubelogs_collector_files_tracked", "open files being tailed");
        backpressure = gauge("kubelogs_collector_backpressure", "1 while tailing is paused by a full spool");
        committedSeq = gauge("kubelogs_collector_committed_seq", "seq of the last durable segment");
        committedSeq.set(-1);
        families.sort(Comparator.comparing(f -> f.name));
    }

    private Family family(String name, String help, boolean counter, String label) {
        Family f = new Family(name, help, counter, label);
        families.add(f);
        return f;
    }

    private Counter counter(String name, String help) {
        Counter c = new Counter();
        family(name, help, true, null).series.put("", c);
        return c;
    }

    private Gauge gauge(String name, String help) {
        Gauge g = new Gauge();
        family(name, help, false, null).series.put("", g);
        return g;
    }

    public Counter records(String input) {
        return records.counter(input);
    }

    public Counter bytes(String input) {
        return bytes.counter(input);
    }

    /** Counts one error of the given kind (caller logs it). */
    public void error(String kind) {
        errors.counter(kind).inc();
        errorTotal.incrementAndGet();
    }

    public void kubeletRequest(String result) {
        kubelet.counter(result).inc();
    }

    public long errorTotal() {
        return errorTotal.get();
    }

    public long linesTotal() {
        return records(CONTAINER).getLongValue()
                + records(HOST).getLongValue()
                + records(JOURNAL).getLongValue();
    }

    public long bytesTotal() {
        return bytes(CONTAINER).getLongValue()
                + bytes(HOST).getLongValue()
                + bytes(JOURNAL).getLongValue();
    }

    public long kubeletRequests(String result) {
        return kubelet.counter(result).getLongValue();
    }

    public long errors(String kind) {
        return errors.counter(kind).getLongValue();
    }

    /** All metrics in the Prometheus text exposition format 0.0.4. */
    public void writeText(Writer out) throws IOException {
        StringBuilder text = new StringBuilder(8192);
        appendText(text);
        out.append(text);
    }

    /** {@link #writeText}'s text as UTF-8: what a scrape gets. */
    public byte[] text() {
        StringBuilder text = new StringBuilder(8192);
        appendText(text);
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void appendText(StringBuilder out) {
        for (Family f : families) {
            if (f.series.isEmpty()) {
                continue;
            }
            out.append(f.header);
            if (f.label == null) {
                appendSample(out, f.exposedName(), f.series.values().iterator().next());
                continue;
            }
            for (Map.Entry<String, Object> e : new TreeMap<>(f.series).entrySet()) {
                appendSample(out, f.sampleName(e.getKey()), e.getValue());
            }
        }
    }

    private static void appendSample(StringBuilder out, String sampleName, Object series) {
        double v = series instanceof Counter c ? c.get() : ((Gauge) series).get();
        out.append(sampleName).append(' ');
        appendValue(out, v);
        out.append('\n');
    }

    static String format(double v) {
        StringBuilder b = new StringBuilder();
        appendValue(b, v);
        return b.toString();
    }

    /**
     * Appends {@code v} as {@link Double#toString} does, and the infinities as Prometheus writes them. Most values
     * are counts: a whole number below 10^7, which Double.toString writes as the long and ".0", is written so
     * without its decimal conversion.
     */
    private static void appendValue(StringBuilder out, double v) {
        if (v == Double.POSITIVE_INFINITY) {
            out.append("+Inf");
        } else if (v == Double.NEGATIVE_INFINITY) {
            out.append("-Inf");
        } else if (Math.abs(v) < 1e7 && v == Math.rint(v) && !(v == 0 && 1 / v < 0)) {
            out.append((long) v).append(".0");
        } else {
            out.append(v);
        }
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
