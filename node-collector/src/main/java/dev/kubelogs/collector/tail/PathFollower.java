package dev.kubelogs.collector.tail;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows each discovered path to the file at it, by name as {@code tail -F} does: opens a file new at a path; the
 * file that left its path (another took its place, or the path is gone) is read on as a rotated file to its end.
 * Takes over the files the create watcher opened, and waits a second for the successor of a rotation whose link
 * dangles meanwhile before reporting the path.
 */
final class PathFollower {
    private static final Logger LOG = LoggerFactory.getLogger(PathFollower.class);

    private final Discovery discovery;
    private final CreateWatcher watcher;
    private final WatcherHandover handover;
    private final FileOpener opener;
    private final TrackedFiles files;
    private final PathProblems problems;
    private final CollectorMetrics metrics;
    /** Logical paths of tailed files whose link dangles. */
    private final Grace<String> dangling = new Grace<>();

    PathFollower(
            Discovery discovery,
            CreateWatcher watcher,
            WatcherHandover handover,
            FileOpener opener,
            TrackedFiles files,
            PathProblems problems,
            CollectorMetrics metrics) {
        this.discovery = discovery;
        this.watcher = watcher;
        this.handover = handover;
        this.opener = opener;
        this.files = files;
        this.problems = problems;
        this.metrics = metrics;
    }

    /**
     * Scans for new, rotated and vanished files. The {@code firstDiscovery} after a (re)start opens every file itself:
     * files present then have no creation event to wait for.
     */
    void discover(boolean firstDiscovery) throws IOException {
        handover.takeFromWatcher(files);
        Map<String, Discovery.Candidate> candidates = discovery.list();
        Set<FileIdentity> awaited = new HashSet<>();
        Set<String> danglingNow = new HashSet<>();
        for (Discovery.Candidate c : candidates.values()) {
            FileIdentity.Stat st;
            try {
                st = FileIdentity.stat(c.path());
            } catch (NoSuchFileException e) {
                if (files.atPath(c.logicalPath()) != null && dangling.within(c.logicalPath())) {
                    danglingNow.add(c.logicalPath()); // a rotation renamed the file away; its successor comes next
                    continue;
                }
                problems.report(
                        c.logicalPath(),
                        "vanished_target",
                        "cannot follow " + c.path() + ": the file or its symlink target is gone");
                continue;
            } catch (IOException e) {
                problems.report(c.logicalPath(), "stat", "cannot stat " + c.path() + ": " + e);
                continue;
            }
            if (!st.regular()) {
                problems.report(c.logicalPath(), "not_regular", c.path() + " is not a regular file; skipped");
                continue;
            }
            TrackedFile cur = files.atPath(c.logicalPath());
            if (cur != null && cur.id.equals(st.id())) {
                problems.clear(c.logicalPath());
                continue;
            }
            if (cur != null) {
                rotated(cur);
            }
            if (files.isOpen(st.id())) {
                // the same file is already read under another path (a hard link, or a rotated file that is still
                // being drained reappearing under a matching name): one reader per identity, never two
                continue;
            }
            if (handover.leftToWatcher(c, st.id(), firstDiscovery)) {
                awaited.add(st.id());
                continue;
            }
            TrackedFile f = opener.open(c.logicalPath(), c.path(), st.id(), c.kind());
            if (f != null) {
                files.follow(f);
                problems.clear(c.logicalPath());
                watcher.watchTailedFile(f.realPath, c);
            }
        }
        adoptGoneOnCreation();
        handover.stillAwaiting(awaited);
        dangling.retainOnly(danglingNow);
        for (String path : files.paths()) {
            if (!candidates.containsKey(path) || problems.has(path)) {
                TrackedFile f = files.leavePath(path);
                files.addRotated(f);
                LOG.info("{} left its path; reading it to its end before letting it go", f);
            }
        }
        problems.retainOnly(candidates.keySet()); // a path that comes back is reported afresh
    }

    /** A new file took the path of {@code f}. */
    private void rotated(TrackedFile f) {
        files.leavePath(f.logicalPath);
        f.lastChangeNanos = System.nanoTime();
        files.addRotated(f);
        metrics.rotations.inc();
        LOG.info("rotation: {} (a new file took its path); reading it to its end before letting it go", f);
    }

    /**
     * Files opened on creation that discovery did not find at a path: deleted or replaced since. Their descriptor
     * still reads them: read them to their end as rotated files of the path they were created at.
     */
    private void adoptGoneOnCreation() {
        for (CreateWatcher.Opened o : handover.unmatched()) {
            Discovery.Candidate c = watcher.candidateAt(o.path());
            if (c == null) {
                handover.dropUnnamed(o);
                continue;
            }
            TrackedFile f = opener.open(c.logicalPath(), o.path(), o.id(), c.kind());
            if (f != null) {
                files.addRotated(f);
                LOG.info("{} was created and deleted or replaced before discovery saw it; reading it to its end", f);
            }
        }
    }
}
