package dev.kubelogs.collector.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collector's metrics, in its own registry (several collectors can live in one JVM in tests and the demo).
 * Names start with {@code kubelogs_collector_}.
 */
public final class CollectorMetrics {
    /** Inputs as metric label values. */
    public static final String CONTAINER = "container";
    public static final String HOST = "host";
    public static final String JOURNAL = "journal";

    private final PrometheusRegistry registry = new PrometheusRegistry();

    private final Counter records;
    private final Counter bytes;
    private final Counter errors;
    private final Counter kubelet;
    public final CounterDataPoint segmentsWritten;
    public final CounterDataPoint segmentBytesWritten;
    public final CounterDataPoint podRecords;
    public final CounterDataPoint truncations;
    public final CounterDataPoint rotations;
    public final CounterDataPoint filesReleased;
    public final CounterDataPoint longLinesSplit;
    public final CounterDataPoint backpressureSeconds;
    public final CounterDataPoint segmentsExpired;
    public final CounterDataPoint journalSkipped;
    public final CounterDataPoint s3Uploads;
    public final CounterDataPoint s3UploadBytes;
    public final CounterDataPoint s3Errors;
    public final Gauge spoolBytes;
    public final Gauge spoolSegments;
    public final Gauge filesTracked;
    public final Gauge backpressure;
    public final Gauge committedSeq;

    private final ConcurrentHashMap<String, CounterDataPoint> errorPoints = new ConcurrentHashMap<>();
    private final AtomicLong errorTotal = new AtomicLong();

    public CollectorMetrics() {
        records = Counter.builder().name("kubelogs_collector_records_read").help("LINE records read, per input")
                .labelNames("input").register(registry);
        bytes = Counter.builder().name("kubelogs_collector_bytes_read").help("bytes read (line bytes + consumed newlines), per input")
                .labelNames("input").register(registry);
        errors = Counter.builder().name("kubelogs_collector_errors").help("errors by kind; each also produced a log line")
                .labelNames("kind").register(registry);
        kubelet = Counter.builder().name("kubelogs_collector_kubelet_requests").help("kubelet /pods requests by result")
                .labelNames("result").register(registry);
        segmentsWritten = counter("kubelogs_collector_segments_written", "segments made durable in the spool");
        segmentBytesWritten = counter("kubelogs_collector_segment_bytes_written", "bytes of durable segments written");
        podRecords = counter("kubelogs_collector_pod_records", "pod metadata records written to the spool");
        truncations = counter("kubelogs_collector_truncations", "files found truncated in place (copytruncate); generation + 1");
        rotations = counter("kubelogs_collector_rotations", "files found rotated (a new inode at a tracked path)");
        filesReleased = counter("kubelogs_collector_files_released", "rotated or deleted files read to their end and closed");
        longLinesSplit = counter("kubelogs_collector_long_line_pieces", "PARTIAL pieces written for lines longer than the maximum");
        backpressureSeconds = counter("kubelogs_collector_backpressure_seconds", "time tailing was paused because the spool was full");
        segmentsExpired = counter("kubelogs_collector_segments_expired", "segments deleted by the retention safety net (unconsumed data)");
        journalSkipped = counter("kubelogs_collector_journal_entries_filtered",
                "journal entries outside the Container Insights host/dataplane filters");
        s3Uploads = counter("kubelogs_collector_s3_uploads", "segments uploaded to S3 (and deleted locally)");
        s3UploadBytes = counter("kubelogs_collector_s3_upload_bytes", "bytes of segments uploaded to S3");
        s3Errors = counter("kubelogs_collector_s3_upload_errors", "failed S3 upload attempts (retried)");
        spoolBytes = Gauge.builder().name("kubelogs_collector_spool_bytes").help("bytes of segments in the local spool").register(registry);
        spoolSegments = Gauge.builder().name("kubelogs_collector_spool_segments").help("segments in the local spool").register(registry);
        filesTracked = Gauge.builder().name("kubelogs_collector_files_tracked").help("open files being tailed").register(registry);
        backpressure = Gauge.builder().name("kubelogs_collector_backpressure").help("1 while tailing is paused by a full spool").register(registry);
        committedSeq = Gauge.builder().name("kubelogs_collector_committed_seq").help("seq of the last durable segment").register(registry);
        committedSeq.set(-1);
    }

    private CounterDataPoint counter(String name, String help) {
        return Counter.builder().name(name).help(help).register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public CounterDataPoint records(String input) {
        return records.labelValues(input);
    }

    public CounterDataPoint bytes(String input) {
        return bytes.labelValues(input);
    }

    /** Counts one error of the given kind (caller logs it). */
    public void error(String kind) {
        errorPoints.computeIfAbsent(kind, k -> errors.labelValues(k)).inc();
        errorTotal.incrementAndGet();
    }

    public void kubeletRequest(String result) {
        kubelet.labelValues(result).inc();
    }

    public long errorTotal() {
        return errorTotal.get();
    }

    public long linesTotal() {
        return records(CONTAINER).getLongValue() + records(HOST).getLongValue() + records(JOURNAL).getLongValue();
    }

    public long bytesTotal() {
        return bytes(CONTAINER).getLongValue() + bytes(HOST).getLongValue() + bytes(JOURNAL).getLongValue();
    }

    public long kubeletRequests(String result) {
        return kubelet.labelValues(result).getLongValue();
    }

    public long errors(String kind) {
        return errors.labelValues(kind).getLongValue();
    }
}
