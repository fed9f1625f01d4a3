package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PathProblemsTest {
    private static final String LOG = "/var/log/containers/a.log";

    private final CollectorMetrics metrics = new CollectorMetrics();
    private final PathProblems problems = new PathProblems(metrics);

    @Test
    void aProblemIsCountedOncePerPathNotOnEveryPoll() {
        problems.report(LOG, "open", "cannot read it");
        problems.report(LOG, "open", "cannot read it");
        problems.report(LOG, "open", "cannot read it");

        assertThat(metrics.errors("open")).isEqualTo(1);
        assertThat(problems.has(LOG)).isTrue();
        assertThat(problems.has("/var/log/containers/b.log")).isFalse();
    }

    @Test
    void anotherProblemOfTheSamePathOrTheSameProblemOfAnotherPathIsCountedAgain() {
        problems.report(LOG, "open", "cannot read it");
        problems.report(LOG, "open", "cannot read it: other reason");
        problems.report("/var/log/containers/b.log", "open", "cannot read it");

        assertThat(metrics.errors("open")).isEqualTo(3);
    }

    @Test
    void aProblemClearedAndBackIsCountedAfresh() {
        problems.report(LOG, "open", "cannot read it");
        problems.clear(LOG);
        assertThat(problems.has(LOG)).isFalse();
        problems.report(LOG, "open", "cannot read it");

        assertThat(metrics.errors("open")).isEqualTo(2);
    }

    @Test
    void pathsNoLongerDiscoveredAreForgotten() {
        String kept = "/var/log/containers/kept.log";
        problems.report(LOG, "open", "x");
        problems.report(kept, "open", "x");

        problems.retainOnly(Set.of(kept));
        problems.report(LOG, "open", "x");
        problems.report(kept, "open", "x");

        assertThat(problems.has(kept)).isTrue();
        assertThat(metrics.errors("open")).isEqualTo(3);
    }

    @Test
    void anOpenFailureIsCountedByItsCause() {
        Path p = Path.of("/var/log/pods/a/0.log");
        problems.cannotOpen("/1", p, new AccessDeniedException(p.toString()));
        problems.cannotOpen("/2", p, new NoSuchFileException(p.toString()));
        problems.cannotOpen("/3", p, new IOException("EIO"));

        assertThat(metrics.errors("permission")).isEqualTo(1);
        assertThat(metrics.errors("vanished_target")).isEqualTo(1);
        assertThat(metrics.errors("open")).isEqualTo(1);
        assertThat(metrics.errorTotal()).isEqualTo(3);
    }

    @Test
    void aLinkOutOfTheAllowedDirectoriesIsCountedOncePerTargetAndNotAsAnError() {
        Path link = Path.of("/var/log/containers/evil.log");
        List<Path> roots = List.of(Path.of("/var/log"));
        problems.refuse(LOG, link, Path.of("/etc/shadow"), roots);
        problems.refuse(LOG, link, Path.of("/etc/shadow"), roots);
        assertThat(metrics.symlinksRefused.getLongValue()).isEqualTo(1);

        problems.refuse(LOG, link, Path.of("/run/secrets/token"), roots);
        assertThat(metrics.symlinksRefused.getLongValue()).isEqualTo(2);
        assertThat(metrics.errorTotal()).isZero();
        assertThat(problems.has(LOG)).isTrue();
    }
}
