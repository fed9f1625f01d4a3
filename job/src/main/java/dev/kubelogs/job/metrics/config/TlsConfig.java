package dev.kubelogs.job.metrics.config;

import java.io.Serializable;

/** {@code tls_config}: files are read when a connection is made; null fields are unset. */
public record TlsConfig(String caFile, String certFile, String keyFile, String serverName, boolean insecureSkipVerify)
        implements Serializable {
    public static final TlsConfig NONE = new TlsConfig(null, null, null, null, false);

    /** This config with {@code server_name} set to {@code name}. */
    public TlsConfig withServerName(String name) {
        return new TlsConfig(caFile, certFile, keyFile, name, insecureSkipVerify);
    }
}
