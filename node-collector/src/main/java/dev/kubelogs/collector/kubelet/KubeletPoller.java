package dev.kubelogs.collector.kubelet;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.spool.PodRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the local kubelet's {@code GET /pods} (HTTPS, service-account bearer token, like Fluent Bit's Use_Kubelet)
 * and emits a POD record whenever a pod on this node appears or changes, and a delete record when it is gone. One
 * request per poll interval at most (plus an early one, at most once a second, when a container log of an unknown
 * pod appears), never one per log line. Errors (401/403/5xx, timeouts, bad JSON) are logged when they change and
 * counted in {@code kubelogs_collector_kubelet_requests{result}}; the poller keeps going.
 *
 * <p>TLS: with verification On the chain must lead to the CA file; the host name is checked too, except for
 * loopback hosts (the default 127.0.0.1 is never in a kubelet certificate). Off trusts any certificate.
 */
public final class KubeletPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeletPoller.class);
    private static final long MIN_GAP_NANOS = 1_000_000_000L;

    /** A POD record to spool: key namespace/name; hash the announced value ("uid hash"), or null for a delete. */
    public record PodChange(byte[] json, String key, String hash) {}

    private final KubeletSettings settings;
    private final CollectorMetrics metrics;
    private final Runnable wake;
    private final ConcurrentLinkedQueue<PodChange> out = new ConcurrentLinkedQueue<>();
    private final Object lock = new Object();
    /** What this poller has queued so far: key → "uid hash". */
    private final Map<String, String> known = new HashMap<>();
    /** Pods missing from /pods, and since when (System.nanoTime); deleted once missing for the grace period. */
    private final Map<String, Long> missingSince = new HashMap<>();

    private volatile boolean closed;
    private boolean refreshRequested;
    private Thread thread;
    private String lastProblem;
    private long lastRequestNanos;
    private SSLSocketFactory sslFactory;
    /** Poller thread only. */
    private KubeletHttp http;
    /** Whether the kubelet's certificate must name the host (TLS verification on, host not a loopback address). */
    private boolean verifyHostname;

    public KubeletPoller(
            KubeletSettings settings, CollectorMetrics metrics, Map<String, String> announced, Runnable wake) {
        this.settings = settings;
        this.metrics = metrics;
        this.wake = wake;
        this.known.putAll(announced);
    }

    public void start() {
        thread = new Thread(this::run, "kubelogs-kubelet");
        thread.setDaemon(true);
        thread.start();
    }

    /** The next record to spool, or null. */
    public PodChange poll() {
        return out.poll();
    }

    /** After the collector rewound to its committed state: what was announced durably. */
    public void resetAnnounced(Map<String, String> announced) {
        synchronized (lock) {
            out.clear();
            known.clear();
            known.putAll(announced);
            missingSince.clear();
            refreshRequested = true;
            lock.notifyAll();
        }
    }

    /** True if a pod with this namespace and name is known. */
    public boolean knows(String namespace, String name) {
        synchronized (lock) {
            return known.containsKey(PodRecord.key(namespace, name));
        }
    }

    /** Asks for an early poll (rate-limited to one request per second). */
    public void requestRefresh() {
        synchronized (lock) {
            refreshRequested = true;
            lock.notifyAll();
        }
    }

    private void run() {
        try {
            pollUntilClosed();
        } finally {
            if (http != null) {
                http.close();
            }
        }
    }

    private void pollUntilClosed() {
        long interval = settings.pollInterval().toNanos();
        while (!closed) {
            synchronized (lock) {
                refreshRequested = false;
            }
            lastRequestNanos = System.nanoTime();
            pollOnce();
            synchronized (lock) {
                long deadline = lastRequestNanos + interval;
                while (!closed) {
                    long now = System.nanoTime();
                    if (now >= deadline || (refreshRequested && now - lastRequestNanos >= MIN_GAP_NANOS)) {
                        break;
                    }
                    long until = refreshRequested ? lastRequestNanos + MIN_GAP_NANOS : deadline;
                    try {
                        lock.wait(Math.max(1, (until - now) / 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /** One GET /pods; queues the differences. */
    void pollOnce() {
        String url = "https://" + hostForUrl(settings.host()) + ":" + settings.port() + "/pods";
        Object list;
        int timeout = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        try (KubeletHttp.Response r = http(timeout).get("/pods", readToken())) {
            int status = r.status();
            if (status != 200) {
                String body = readSome(r.body());
                metrics.kubeletRequest(Integer.toString(status));
                problem("kubelet " + url + " answered HTTP " + status
                        + (status == 401 || status == 403
                                ? " (check the service-account token and RBAC on nodes/proxy)"
                                : "")
                        + ": " + body);
                return;
            }
            list = JsonTree.parse(r.body());
        } catch (SocketTimeoutException e) {
            metrics.kubeletRequest("timeout");
            problem("kubelet " + url + " timed out: " + e.getMessage());
            return;
        } catch (GeneralSecurityException e) {
            metrics.kubeletRequest("tls_config");
            problem("cannot set up TLS for the kubelet (CA file " + settings.caFile() + "): " + e);
            return;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            metrics.kubeletRequest("bad_json");
            problem("kubelet " + url + " returned a body that is not JSON: " + e.getOriginalMessage());
            return;
        } catch (IOException e) {
            metrics.kubeletRequest("error");
            problem("kubelet " + url + " request failed: " + e);
            return;
        }
        if (!(JsonTree.get(list, "items") instanceof List)) {
            metrics.kubeletRequest("bad_json");
            problem("kubelet " + url + " returned JSON without an items array");
            return;
        }
        metrics.kubeletRequest("200");
        if (lastProblem != null) {
            LOG.info("kubelet {} answers again", url);
            lastProblem = null;
        }
        long now = System.currentTimeMillis();
        Map<String, PodRecord> current = new LinkedHashMap<>();
        for (Object item : JsonTree.elements(JsonTree.get(list, "items"))) {
            PodRecord pod = KubeletPods.upsert(item, now);
            if (pod != null) {
                current.put(pod.key(), pod);
            }
        }
        int queued = 0;
        synchronized (lock) {
            for (Map.Entry<String, PodRecord> e : current.entrySet()) {
                String value = e.getValue().uid() + " " + KubeletPods.hash(e.getValue());
                if (!value.equals(known.get(e.getKey()))) {
                    known.put(e.getKey(), value);
                    out.add(new PodChange(e.getValue().toJson(), e.getKey(), value));
                    queued++;
                }
            }
            Set<String> gone = new HashSet<>(known.keySet());
            gone.removeAll(current.keySet());
            missingSince.keySet().retainAll(gone);
            long nowNanos = System.nanoTime();
            long grace = settings.deleteGrace().toNanos();
            for (String key : gone) {
                long since = missingSince.computeIfAbsent(key, k -> nowNanos);
                if (nowNanos - since < grace) {
                    continue; // keep the metadata a while: the pod's last lines may still be on their way
                }
                missingSince.remove(key);
                String value = known.remove(key);
                int slash = key.indexOf('/');
                String uid = value == null ? "" : value.substring(0, Math.max(0, value.indexOf(' ')));
                PodRecord delete = PodRecord.delete(now, key.substring(0, slash), key.substring(slash + 1), uid);
                out.add(new PodChange(delete.toJson(), key, null));
                queued++;
            }
        }
        if (queued > 0) {
            wake.run();
        }
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private String readToken() throws IOException {
        try {
            String t = Files.readString(settings.tokenFile(), StandardCharsets.UTF_8)
                    .trim();
            return t.isEmpty() ? null : t;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String readSome(InputStream in) {
        if (in == null) {
            return "";
        }
        try (in) {
            byte[] b = in.readNBytes(300);
            return new String(b, StandardCharsets.UTF_8).replace('\n', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    private void problem(String message) {
        if (!message.equals(lastProblem)) {
            lastProblem = message;
            metrics.error("kubelet");
            LOG.warn("{}; pod metadata is not refreshed until it works (the collector keeps tailing)", message);
        }
    }

    /** The kept-alive connection, made on the first poll that has the TLS settings. */
    private KubeletHttp http(int timeoutMillis) throws GeneralSecurityException, IOException {
        if (http == null) {
            SSLSocketFactory factory = sslFactory();
            http = new KubeletHttp(factory, settings.host(), settings.port(), verifyHostname, timeoutMillis);
        }
        return http;
    }

    private SSLSocketFactory sslFactory() throws GeneralSecurityException, IOException {
        if (sslFactory != null) {
            return sslFactory;
        }
        TrustManager[] tms;
        if (settings.tlsVerify()) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            int i = 0;
            try (InputStream in = Files.newInputStream(settings.caFile())) {
                for (Certificate cert : cf.generateCertificates(in)) {
                    ks.setCertificateEntry("ca-" + i++, cert);
                }
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + settings.caFile());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            tms = tmf.getTrustManagers();
            // the default 127.0.0.1 is never in a kubelet certificate; any other host must be
            verifyHostname = !isLoopback(settings.host());
        } else {
            tms = new TrustManager[] {
                new X509TrustManager() {
                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        return new X509Certificate[0];
                    }
                }
            };
            verifyHostname = false;
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tms, null);
        sslFactory = ctx.getSocketFactory();
        return sslFactory;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        if (thread != null) {
            thread.interrupt();
        } else if (http != null) {
            http.close(); // polled by the caller's thread (tests), which is this one
        }
    }
}
