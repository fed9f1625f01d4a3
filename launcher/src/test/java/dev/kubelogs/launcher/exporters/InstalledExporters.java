package dev.kubelogs.launcher.exporters;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests of real exporters skip on a machine without them, but not in CI: {@code .ci/run} installs them and sets
 * {@code KUBELOGS_REQUIRE_EXPORTERS=1}, so a missing one there fails instead of showing as a skip.
 */
public final class InstalledExporters {
    private InstalledExporters() {}

    public static void require(boolean installed, String what) {
        if (installed) {
            return;
        }
        if ("1".equals(System.getenv("KUBELOGS_REQUIRE_EXPORTERS"))) {
            fail(what + " is not installed, and KUBELOGS_REQUIRE_EXPORTERS=1 says it must be");
        }
        assumeTrue(false, what + " is not installed (.ci/run installs it)");
    }
}
