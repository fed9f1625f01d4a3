package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.Authorization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Authorization header of a scrape: {@code <type> <credentials>}, type {@code Bearer} unless set. A credentials
 * file is read at every scrape, trimmed as Prometheus does, so a rotated service-account token is picked up.
 */
final class Credentials {
    private static final String DEFAULT_TYPE = "Bearer";

    private Credentials() {}

    /** The header's value, or null when the job sets no authorization. */
    static String header(Authorization auth) throws ScrapeFailure {
        if (auth == null) {
            return null;
        }
        String type = auth.type() == null || auth.type().isBlank() ? DEFAULT_TYPE : auth.type();
        String credentials = auth.credentials();
        if (auth.credentialsFile() != null) {
            try {
                credentials = Files.readString(Path.of(auth.credentialsFile()), StandardCharsets.UTF_8)
                        .trim();
            } catch (IOException e) {
                throw new ScrapeFailure(
                        ScrapeReason.IO_ERROR,
                        "cannot read the credentials file " + auth.credentialsFile() + ": " + e,
                        e);
            }
        }
        if (credentials == null || credentials.isEmpty()) {
            return null;
        }
        return type + " " + credentials;
    }
}
