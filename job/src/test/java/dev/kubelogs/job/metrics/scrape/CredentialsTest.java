package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.config.Authorization;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scrape's Authorization header, as Prometheus builds it from {@code authorization}. */
class CredentialsTest {
    @TempDir
    Path dir;

    @Test
    void noAuthorizationNoHeader() throws Exception {
        assertThat(Credentials.header(null)).isNull();
    }

    @Test
    void theTypeIsBearerUnlessSet() throws Exception {
        assertThat(Credentials.header(new Authorization(null, "tok", null))).isEqualTo("Bearer tok");
        assertThat(Credentials.header(new Authorization(" ", "tok", null))).isEqualTo("Bearer tok");
        assertThat(Credentials.header(new Authorization("Basic", "dXNlcjpwYXNz", null)))
                .isEqualTo("Basic dXNlcjpwYXNz");
    }

    @Test
    void noCredentialsNoHeader() throws Exception {
        assertThat(Credentials.header(new Authorization("Bearer", null, null))).isNull();
        assertThat(Credentials.header(new Authorization("Bearer", "", null))).isNull();
    }

    @Test
    void aCredentialsFileIsReadTrimmedAtEveryScrapeSoARotatedTokenIsUsed() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "  first-token\n");
        Authorization auth = new Authorization(null, null, token.toString());

        assertThat(Credentials.header(auth)).isEqualTo("Bearer first-token");
        Files.writeString(token, "second-token\n");
        assertThat(Credentials.header(auth)).isEqualTo("Bearer second-token");
    }

    @Test
    void anEmptyCredentialsFileGivesNoHeader() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), " \n");

        assertThat(Credentials.header(new Authorization(null, null, token.toString())))
                .isNull();
    }

    @Test
    void anUnreadableCredentialsFileFailsTheScrapeNamingTheFile() {
        Path missing = dir.resolve("missing-token");

        assertThatThrownBy(() -> Credentials.header(new Authorization(null, null, missing.toString())))
                .isInstanceOfSatisfying(
                        ScrapeFailure.class, f -> assertThat(f.reason()).isEqualTo(ScrapeReason.IO_ERROR))
                .hasMessageContaining("cannot read the credentials file " + missing);
    }
}
