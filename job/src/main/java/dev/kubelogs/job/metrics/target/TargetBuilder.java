package dev.kubelogs.job.metrics.target;

import dev.kubelogs.job.metrics.config.PrometheusDuration;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.relabel.AgentSavedLabels;
import dev.kubelogs.job.metrics.relabel.Relabeler;
import dev.kubelogs.job.metrics.target.TargetBuildException.Reason;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a discovered label set into a scrape target the way Prometheus 3 does ({@code scrape/target.go}
 * {@code PopulateLabels} and {@code Target.URL}): the job's {@code job}, {@code __scrape_interval__},
 * {@code __scrape_timeout__}, {@code __metrics_path__}, {@code __scheme__} and {@code __param_<name>} (first value)
 * are added unless discovery set them, {@code relabel_configs} run, the address, interval and timeout are checked,
 * {@code __meta_*} labels go, {@code instance} defaults to {@code __address__}. No default port is added (Prometheus 3
 * dropped that). The target's labels are the result without its {@code __}-prefixed labels; its URL is
 * {@code scheme://address/path?params}, where a {@code __param_<name>} label replaces the first value of the
 * configured parameter.
 *
 * <p>The job's {@code relabel_configs} run after the two rules the CloudWatch agent puts in front of them
 * ({@link AgentSavedLabels}), so the target's labels carry {@code cwagent_saved_scrape_job} and
 * {@code cwagent_saved_scrape_instance} unless the job's own rules changed or removed them; the target also keeps the
 * discovered {@code __address__}, by which the agent finds its metadata.
 *
 * <p>One check Prometheus leaves to the scrape is made here: the scheme must be http or https in any letter case
 * (relabeling can set any {@code __scheme__}), so that a target that can never be scraped is counted when it is
 * found. Thread-safe.
 */
public final class TargetBuilder {
    private static final String ADDRESS = "__address__";
    private static final String SCHEME = "__scheme__";
    private static final String METRICS_PATH = "__metrics_path__";
    private static final String INTERVAL = "__scrape_interval__";
    private static final String TIMEOUT = "__scrape_timeout__";
    private static final String PARAM_PREFIX = "__param_";
    private static final String META_PREFIX = "__meta_";
    private static final String RESERVED_PREFIX = "__";

    private final ScrapeConfig config;
    private final Relabeler relabeler;
    private final String defaultInterval;
    private final String defaultTimeout;

    public TargetBuilder(ScrapeConfig config) {
        this.config = config;
        this.relabeler = new Relabeler(AgentSavedLabels.withTargetRules(
                config.jobName(), config.relabelConfigs() == null ? List.of() : config.relabelConfigs()));
        this.defaultInterval = PrometheusDuration.format(config.scrapeInterval());
        this.defaultTimeout = PrometheusDuration.format(config.scrapeTimeout());
    }

    /**
     * The target for {@code discovered}, or null when {@code relabel_configs} dropped it.
     *
     * @throws TargetBuildException when the relabeled target cannot be scraped
     */
    public ScrapeTarget build(Labels discovered) {
        Labels relabeled = relabeler.apply(withScrapeDefaults(discovered));
        if (relabeled == null) {
            return null;
        }
        String address = relabeled.get(ADDRESS);
        if (address == null) {
            throw new TargetBuildException(Reason.NO_ADDRESS, "no address");
        }
        if (address.contains("/")) {
            throw new TargetBuildException(Reason.INVALID_ADDRESS, "\"" + address + "\" is not a valid hostname");
        }
        Duration interval = duration(relabeled.get(INTERVAL), "interval", Reason.INVALID_INTERVAL);
        Duration timeout = duration(relabeled.get(TIMEOUT), "timeout", Reason.INVALID_TIMEOUT);
        if (timeout.compareTo(interval) > 0) {
            throw new TargetBuildException(
                    Reason.TIMEOUT_EXCEEDS_INTERVAL,
                    "scrape timeout cannot be greater than scrape interval (\"" + relabeled.get(TIMEOUT) + "\" > \""
                            + relabeled.get(INTERVAL) + "\")");
        }
        Labels.Builder target = Labels.builder();
        relabeled.forEach((name, value) -> {
            if (!name.startsWith(RESERVED_PREFIX)) {
                target.set(name, value);
            }
        });
        if (target.get("instance") == null) {
            target.set("instance", address);
        }
        Labels labels = target.build();
        for (int i = 0; i < labels.size(); i++) {
            if (!Relabeler.isWellFormed(labels.value(i))) {
                throw new TargetBuildException(
                        Reason.INVALID_LABEL_VALUE,
                        "invalid label value for \"" + labels.name(i) + "\": \"" + labels.value(i) + "\"");
            }
        }
        return new ScrapeTarget(
                config.jobName(),
                url(relabeled, address),
                labels,
                interval.toMillis(),
                timeout.toMillis(),
                // the agent compares with Go's Labels.Get, "" for an absent label
                discovered.has(ADDRESS) ? discovered.get(ADDRESS) : "");
    }

    private Labels withScrapeDefaults(Labels discovered) {
        Labels.Builder b = discovered.toBuilder();
        setIfAbsent(b, discovered, "job", config.jobName());
        setIfAbsent(b, discovered, INTERVAL, defaultInterval);
        setIfAbsent(b, discovered, TIMEOUT, defaultTimeout);
        setIfAbsent(b, discovered, METRICS_PATH, config.metricsPath());
        setIfAbsent(b, discovered, SCHEME, config.scheme());
        for (Map.Entry<String, List<String>> p : config.params().entrySet()) {
            if (!p.getValue().isEmpty()) {
                setIfAbsent(
                        b, discovered, PARAM_PREFIX + p.getKey(), p.getValue().get(0));
            }
        }
        return b.build();
    }

    private static void setIfAbsent(Labels.Builder b, Labels discovered, String name, String value) {
        if (!discovered.has(name)) {
            b.set(name, value);
        }
    }

    private static Duration duration(String value, String what, Reason reason) {
        Duration d;
        try {
            d = PrometheusDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TargetBuildException(reason, "error parsing scrape " + what + ": " + e.getMessage());
        }
        if (d.isZero()) {
            throw new TargetBuildException(reason, "scrape " + what + " cannot be 0");
        }
        return d;
    }

    private String url(Labels relabeled, String address) {
        String given = relabeled.get(SCHEME);
        // Go's url.Parse lowercases the scheme of the URL Prometheus requests, so HTTPS scrapes over https
        String scheme = given == null ? "" : given.toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new TargetBuildException(
                    Reason.INVALID_SCHEME, "scheme \"" + scheme + "\" is neither http nor https");
        }
        StringBuilder url = new StringBuilder(scheme).append("://").append(address);
        String path = relabeled.get(METRICS_PATH);
        if (path != null) {
            if (!path.startsWith("/")) {
                url.append('/');
            }
            escape(url, path, false);
        }
        String query = query(relabeled);
        if (!query.isEmpty()) {
            url.append('?').append(query);
        }
        String result = url.toString();
        try {
            URI uri = new URI(result);
            if (uri.getHost() == null && !isHostAndPort(uri.getRawAuthority())) {
                throw new TargetBuildException(Reason.INVALID_ADDRESS, "\"" + address + "\" is not a valid host:port");
            }
        } catch (URISyntaxException e) {
            throw new TargetBuildException(
                    Reason.INVALID_ADDRESS, "\"" + address + "\" is not a valid host:port: " + e.getMessage());
        }
        return result;
    }

    /**
     * An authority {@code java.net.URI} reads as registry-based that Go's URL parser takes as a host and port
     * ({@code net/url} {@code parseHost}): a host name of letters, digits and {@code -._~!$&'()*+,;=} that the JDK's
     * stricter host grammar refuses ({@code my_exporter}, {@code -a}, {@code a.1b}), an optional numeric port. The
     * scraper looks such a host up itself.
     */
    private static boolean isHostAndPort(String authority) {
        if (authority == null) {
            return false;
        }
        int colon = authority.lastIndexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        if (host.isEmpty()) {
            return false;
        }
        for (int i = colon + 1; colon >= 0 && i < authority.length(); i++) {
            if (authority.charAt(i) < '0' || authority.charAt(i) > '9') {
                return false;
            }
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alphanumeric && "-._~!$&'()*+,;=".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Go's {@code url.Values.Encode}: keys sorted, configured values with {@code __param_*} replacing the first. */
    private String query(Labels relabeled) {
        TreeMap<String, List<String>> params = new TreeMap<>();
        config.params().forEach((k, v) -> params.put(k, new ArrayList<>(v)));
        relabeled.forEach((name, value) -> {
            if (name.startsWith(PARAM_PREFIX)) {
                List<String> values =
                        params.computeIfAbsent(name.substring(PARAM_PREFIX.length()), k -> new ArrayList<>());
                if (values.isEmpty()) {
                    values.add(value);
                } else {
                    values.set(0, value);
                }
            }
        });
        StringBuilder q = new StringBuilder();
        params.forEach((k, values) -> {
            for (String v : values) {
                if (q.length() > 0) {
                    q.append('&');
                }
                escape(q, k, true);
                q.append('=');
                escape(q, v, true);
            }
        });
        return q.toString();
    }

    /** Go's {@code url.PathEscape}-for-paths ({@code query} false) or {@code url.QueryEscape} ({@code query} true). */
    private static void escape(StringBuilder out, String s, boolean query) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || "-_.~".indexOf(c) >= 0
                    || !query && "$&+,/:;=@".indexOf(c) >= 0) {
                out.append(c);
            } else if (query && c == ' ') {
                out.append('+');
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
    }
}
