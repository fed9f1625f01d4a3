package dev.kubelogs.collector.metrics;

/**
 * The HTTP server for /metrics and /healthz.
 *
 * @param port 0 picks a free port (tests)
 */
public record HttpSettings(boolean enabled, int port) {

    public HttpSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("httpPort out of range: " + port);
        }
    }
}
