package dev.kubelogs.job.metrics.source;

import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.parse.TargetMetadata;
import dev.kubelogs.job.metrics.scrape.HttpClients;
import dev.kubelogs.job.metrics.scrape.ScrapeCache;
import dev.kubelogs.job.metrics.scrape.ScrapeMetrics;
import dev.kubelogs.job.metrics.scrape.ScrapeOutcome;
import dev.kubelogs.job.metrics.scrape.Scraper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes the targets this reader was given, each on its interval ({@link ScrapeSchedule}), at most one scrape in
 * flight per target and at most {@code scrapeThreads} in flight in all. Scrape threads queue their outcomes; the task
 * thread counts them ({@link ScrapeMetrics}) and emits an OK scrape's groups as one record in {@link #pollNext} (one
 * record per scrape: Flink's cost per record is paid once, not per label set). A target has at most one
 * outcome queued: when the pipeline is behind (backpressure) and its last scrape is not emitted yet at the next
 * interval, that scrape is skipped and counted ({@code metrics_scrape.scrapes_skipped_behind}), as Prometheus skips a
 * scrape it cannot make; the next one's counter values cover the skipped interval, so no increase is lost. Without
 * this the queue, and the heap, grew with every interval the pipeline was behind.
 *
 * <p>The state is the list of targets; a scrape's data is never held across a checkpoint (a scrape in flight at a
 * failure is simply not emitted, as a scrape that never happened).
 */
final class ScrapeSourceReader implements SourceReader<SeriesBatch, ScrapeTargetSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(ScrapeSourceReader.class);

    private final SourceReaderContext context;
    private final ScrapeReaderSettings settings;
    private final Map<String, Scraper> scrapersByJob = new HashMap<>();
    private final Map<String, Scheduled> targets = new ConcurrentHashMap<>();
    private final Queue<Queued> outcomes = new ConcurrentLinkedQueue<>();
    private final Object availabilityLock = new Object();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final ScrapeMetrics metrics;
    private final HttpClients clients = new HttpClients();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private ScheduledThreadPoolExecutor executor;
    private volatile boolean noMoreSplits;

    ScrapeSourceReader(SourceReaderContext context, List<ScrapeConfig> jobs, ScrapeReaderSettings settings) {
        this.context = context;
        this.settings = settings;
        for (ScrapeConfig job : jobs) {
            scrapersByJob.put(job.jobName(), new Scraper(job, clients, settings.bodySizeLimit()));
        }
        this.metrics = new ScrapeMetrics(context.metricGroup(), System::currentTimeMillis);
    }

    /** A scrape's outcome and the chain that made it, waiting for the task thread. */
    private record Queued(Scheduled chain, ScrapeOutcome outcome) {}

    /** One target's scrape chain: each scrape schedules the next, so one is in flight at most. */
    private final class Scheduled implements Runnable {
        final ScrapeTarget target;
        final Scraper scraper;
        /** The metadata of the target's scrapes, kept across them as Prometheus' scrape cache keeps it. */
        final TargetMetadata metadata = new TargetMetadata();
        /** The layout of the target's last scrape, reused while its series repeat. */
        final ScrapeCache cache = new ScrapeCache();

        volatile boolean cancelled;
        volatile boolean finished;
        /** Its last outcome is queued, not emitted yet. */
        volatile boolean queued;

        int scrapes;
        volatile ScheduledFuture<?> next;

        Scheduled(ScrapeTarget target, Scraper scraper) {
            this.target = target;
            this.scraper = scraper;
        }

        void scheduleNext() {
            if (cancelled || executor.isShutdown()) {
                return;
            }
            long now = System.currentTimeMillis();
            long at = ScrapeSchedule.nextScrapeMs(target.id(), target.intervalMs(), now);
            try {
                next = executor.schedule(this, at - now, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // the reader is closing
            }
        }

        void cancel() {
            cancelled = true;
            ScheduledFuture<?> f = next;
            if (f != null) {
                f.cancel(false);
            }
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            if (queued) {
                metrics.skippedBehind();
                scheduleNext();
                return;
            }
            try {
                ScrapeOutcome outcome = scraper.scrape(target, metadata, cache);
                if (settings.bounded() && ++scrapes >= settings.scrapesPerTarget()) {
                    finished = true;
                }
                queued = true;
                outcomes.add(new Queued(this, outcome));
                signalAvailable();
                if (finished) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Scraping {} failed unexpectedly; it is scraped again next interval", target.url(), e);
            }
            scheduleNext();
        }
    }

    @Override
    public void start() {
        executor = new ScheduledThreadPoolExecutor(settings.scrapeThreads(), r -> {
            Thread t = new Thread(r, "scrape-" + context.getIndexOfSubtask() + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        for (Scheduled s : targets.values()) {
            s.scheduleNext();
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<SeriesBatch> output) {
        Queued queued = outcomes.poll();
        if (queued == null) {
            return allScraped() ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
        }
        queued.chain().queued = false;
        ScrapeOutcome outcome = queued.outcome();
        metrics.record(outcome);
        if (!outcome.groups().isEmpty()) {
            output.collect(SeriesBatch.unrouted(outcome.groups()), outcome.scrapeTimeMs());
        }
        if (!outcomes.isEmpty()) {
            return InputStatus.MORE_AVAILABLE;
        }
        return allScraped() ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        synchronized (availabilityLock) {
            if (!outcomes.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            if (available.isDone()) {
                available = new CompletableFuture<>();
            }
            return available;
        }
    }

    private void signalAvailable() {
        synchronized (availabilityLock) {
            available.complete(null);
        }
    }

    @Override
    public List<ScrapeTargetSplit> snapshotState(long checkpointId) {
        List<ScrapeTargetSplit> splits = new ArrayList<>(targets.size());
        for (Scheduled s : targets.values()) {
            splits.add(new ScrapeTargetSplit(s.target));
        }
        return splits;
    }

    @Override
    public void addSplits(List<ScrapeTargetSplit> splits) {
        for (ScrapeTargetSplit split : splits) {
            ScrapeTarget target = split.target();
            Scraper scraper = scrapersByJob.get(target.jobName());
            if (scraper == null) {
                // only a checkpoint of an older configuration can name a job that is gone; discovery removes it
                LOG.warn("Not scraping {}: no scrape job {} in the configuration", target.url(), target.jobName());
                continue;
            }
            Scheduled fresh = new Scheduled(target, scraper);
            Scheduled old = targets.put(split.splitId(), fresh);
            if (old != null) {
                old.cancel();
            }
            if (executor != null) {
                fresh.scheduleNext();
            }
        }
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (event instanceof ReleaseTargetsEvent) {
            for (String id : ((ReleaseTargetsEvent) event).targetIds()) {
                Scheduled s = targets.remove(id);
                if (s != null) {
                    s.cancel();
                }
                metrics.forget(id);
            }
        } else {
            LOG.warn("Ignoring an unknown source event {}", event);
        }
    }

    /** Scrapes scheduled or running now (a released target's last scrape may still run). */
    int scrapesQueuedOrRunning() {
        return executor.getQueue().size() + executor.getActiveCount();
    }

    /** Outcomes waiting for the task thread. */
    int outcomesQueued() {
        return outcomes.size();
    }

    /** The ids of the targets this reader scrapes now. */
    List<String> targetIds() {
        return new ArrayList<>(targets.keySet());
    }

    /** Bounded: no target will come, and each of this reader's targets had its scrapes. */
    private boolean allScraped() {
        if (!noMoreSplits) {
            return false;
        }
        for (Scheduled s : targets.values()) {
            if (!s.finished) {
                return false;
            }
        }
        return outcomes.isEmpty();
    }

    @Override
    public void notifyNoMoreSplits() {
        // only a bounded source is told this (scrapes-per-target): it ends once its targets had their scrapes
        noMoreSplits = true;
        signalAvailable();
    }

    @Override
    public void close() throws Exception {
        for (Scheduled s : targets.values()) {
            s.cancel();
        }
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
        clients.close();
    }
}
