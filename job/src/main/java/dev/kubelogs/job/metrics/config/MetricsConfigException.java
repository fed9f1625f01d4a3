package dev.kubelogs.job.metrics.config;

/**
 * An error in one of the agent's config files, naming the file, the line and the key path
 * ({@code prometheus.yaml:12: scrape_configs[0].relabel_configs[2].regex: ...}).
 */
public final class MetricsConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String path;

    public MetricsConfigException(String file, int line, String path, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + (path.isEmpty() ? "" : path + ": ") + message);
        this.file = file;
        this.line = line;
        this.path = path;
    }

    public String file() {
        return file;
    }

    /** 1-based; 0 when unknown. */
    public int line() {
        return line;
    }

    /** The key path, e.g. {@code scrape_configs[0].job_name}; empty for the whole file. */
    public String path() {
        return path;
    }
}
