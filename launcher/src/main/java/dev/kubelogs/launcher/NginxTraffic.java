package dev.kubelogs.launcher;

import dev.kubelogs.launcher.exporters.NginxExporter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's requests to nginx, on a thread of their own, placed so that the job's {@code nginx_http_requests_total}
 * deltas can be checked exactly against nginx's own count. nginx counts every request, the exporter's stub_status
 * read on each scrape too. The first scrape only primes the delta stage, so the deltas sum to the count at the last
 * scrape less the count at the first: the thread reads stub_status until a read finds the count grown by more than
 * its own request (the exporter read it in between: the job's first scrape saw the earlier count + 1), then sends
 * requests for the run's duration, which ends before the job's last scrape (each target is scraped for longer,
 * {@link DemoMetrics#scrapes}); after the job ended, one more read gives the count at the last scrape (that read less
 * its own request).
 */
final class NginxTraffic {
    private static final Pattern COUNTS = Pattern.compile("(?m)^\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$");
    private static final long POLL_MILLIS = 100;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final NginxExporter nginx;
    private final long pauseMillis;
    private final long sendNanos;
    private Thread thread;
    private volatile boolean sending = true;
    /** nginx's request count as the job's first scrape read it; -1 until the demo saw that scrape. */
    private volatile long atFirstScrape = -1;
    /** Requests of the demo's counted by nginx after the job's first scrape. */
    private volatile long sent;

    private volatile long atLastScrape = -1;
    private volatile String failure;

    private NginxTraffic(NginxExporter nginx, int perSecond, Duration sendFor) {
        this.nginx = nginx;
        this.sendNanos = sendFor.toNanos();
        this.pauseMillis = Math.max(1, 1000 / perSecond);
    }

    /**
     * Reads nginx's count now, then watches for the job's first scrape on a thread; requests follow that scrape at
     * about {@code perSecond} for {@code sendFor}. Call it before the job starts.
     */
    static NginxTraffic start(NginxExporter nginx, int perSecond, Duration sendFor)
            throws IOException, InterruptedException {
        NginxTraffic traffic = new NginxTraffic(nginx, perSecond, sendFor);
        long before = traffic.requestCount();
        traffic.thread = new Thread(() -> traffic.run(before), "demo-nginx-traffic");
        traffic.thread.setDaemon(true);
        traffic.thread.start();
        return traffic;
    }

    private void run(long before) {
        try {
            long last = before;
            while (sending && atFirstScrape < 0) {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
                long now = requestCount();
                if (now - last > 1) {
                    atFirstScrape = last + 1;
                    sent = 1; // this read came after that scrape
                }
                last = now;
            }
            long end = System.nanoTime() + sendNanos;
            while (sending && System.nanoTime() < end) {
                HttpResponse<Void> page = http.send(
                        HttpRequest.newBuilder(nginx.requestUri()).build(), HttpResponse.BodyHandlers.discarding());
                sent++;
                if (page.statusCode() != 200) {
                    throw new IOException("nginx answered " + page.statusCode() + " to " + nginx.requestUri());
                }
                TimeUnit.MILLISECONDS.sleep(pauseMillis);
            }
        } catch (IOException e) {
            failure = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the requests (or the wait for the first scrape) and waits until the last one was answered. */
    private void stopSending() throws InterruptedException {
        sending = false;
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** Waits (at most {@code timeout}) until the requests ended by themselves, after their duration. */
    void awaitSent(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
    }

    /** nginx's count at the job's first scrape, or -1 if the demo never saw one. */
    long atFirstScrape() {
        return atFirstScrape;
    }

    /** The demo's requests since the job's first scrape. */
    long sent() {
        return sent;
    }

    /** Why the requests stopped early, or null. */
    String failure() {
        return failure;
    }

    /**
     * Once the job has ended (its last scrape is done): stops the requests if still running and reads nginx's count,
     * which, less this read, is the count the last scrape saw.
     */
    void finish() throws InterruptedException {
        stopSending();
        try {
            atLastScrape = requestCount() - 1;
        } catch (IOException e) {
            failure = failure != null ? failure : "reading nginx's count after the job: " + e;
        }
    }

    /** nginx's count at the job's last scrape, or -1 before {@link #finish()}. */
    long atLastScrape() {
        return atLastScrape;
    }

    private long requestCount() throws IOException, InterruptedException {
        URI status = nginx.stubStatusUri();
        String body = http.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        return requests(body);
    }

    /** The "requests" number of a stub_status page ("server accepts handled requests" then the three counts). */
    static long requests(String stubStatus) throws IOException {
        Matcher m = COUNTS.matcher(stubStatus);
        if (!m.find()) {
            throw new IOException("not an nginx stub_status page: " + stubStatus);
        }
        return Long.parseLong(m.group(3));
    }
}
