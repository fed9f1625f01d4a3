package dev.kubelogs.job.metrics.config;

import java.io.Serializable;

/**
 * {@code authorization} (type, credentials or credentials_file) or the older {@code bearer_token} /
 * {@code bearer_token_file}, which are the same as type {@code Bearer}. A file is read again at every scrape, as
 * Prometheus does, so a rotated service-account token is picked up.
 */
public record Authorization(String type, String credentials, String credentialsFile) implements Serializable {}
