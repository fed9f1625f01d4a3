package dev.kubelogs.collector.tail;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the include directories and the directories of the files being tailed (inotify), wakes the tail thread on
 * every creation, and opens a file of interest the moment its creation is reported: a file that is deleted a few
 * milliseconds later is still read whole through the open descriptor. "Of interest" is a path that matches an
 * include glob, or the path of a file being tailed created anew (a deleted and recreated log, a rotation).
 *
 * <p>What cannot be opened because it is gone already is counted in {@code kubelogs_collector_files_missed_total}.
 * Events are handled in order and each opens whatever file is at its path by then, so an event whose file was
 * already replaced opens a later file; that later file's own event then finds its identity claimed by an event,
 * and counts the file nobody saw. So every creation ends as one file read or one file counted, as long as the
 * tail thread leaves new files at watched paths to the watcher ({@link #expects}); a file the tail thread opened
 * itself (present at start, or no event within a second) is claimed without an event and does not count when its
 * event comes.
 *
 * <p>The watch thread only opens; the tail thread takes the open files through {@link #poll} and owns them from then.
 */
public final class CreateWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CreateWatcher.class);
    private static final long MISSED_WARN_INTERVAL_NANOS = 60_000_000_000L;

    /** A file opened as soon as it was created, not yet taken by the tail thread. */
    public record Opened(Path path, FileIdentity id, FileChannel channel) {}

    private final Discovery discovery;
    private final CollectorMetrics metrics;
    private final Runnable wake;
    private final WatchService service;
    private final Map<WatchKey, Path> directories = new ConcurrentHashMap<>();
    /** Real paths of tailed files and what discovery found there: created again there, they are opened at once. */
    private final Map<Path, Discovery.Candidate> tailedPaths = new ConcurrentHashMap<>();
    /**
     * Identities of open files, true if claimed by a creation event, false if opened by the tail thread alone (an open
     * descriptor keeps the inode number from being reused).
     */
    private final Map<FileIdentity, Boolean> claims = new ConcurrentHashMap<>();

    private final Set<Path> watchedDirectories = ConcurrentHashMap.newKeySet();
    private final Queue<Opened> opened = new ConcurrentLinkedQueue<>();
    private volatile boolean registerFailed;
    private long lastMissedWarnNanos = System.nanoTime() - MISSED_WARN_INTERVAL_NANOS;
    private Thread thread;

    private CreateWatcher(Discovery discovery, CollectorMetrics metrics, Runnable wake, WatchService service) {
        this.discovery = discovery;
        this.metrics = metrics;
        this.wake = wake;
        this.service = service;
    }

    /**
     * Starts watching the include directories that exist. Without a watch service (not on this platform) the
     * returned watcher does nothing and new files are found by polling.
     */
    public static CreateWatcher start(Discovery discovery, CollectorMetrics metrics, Runnable wake, String threadName) {
        WatchService service;
        try {
            service = FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            metrics.error("watch");
            LOG.warn("file watching unavailable ({}); new files are found by polling only", e.toString());
            return new CreateWatcher(discovery, metrics, wake, null);
        }
        CreateWatcher w = new CreateWatcher(discovery, metrics, wake, service);
        for (Path dir : discovery.watchDirectories()) {
            try {
                Path real = dir.toRealPath();
                if (discovery.allows(real)) {
                    w.register(real);
                }
            } catch (NoSuchFileException e) {
                LOG.info("{} does not exist yet; new files there are found by polling", dir);
            } catch (IOException e) {
                LOG.warn("cannot watch {} ({}); new files there are found by polling", dir, e.toString());
            }
        }
        w.thread = new Thread(w::run, threadName);
        w.thread.setDaemon(true);
        w.thread.start();
        return w;
    }

    /** Tail thread: {@code realPath} is tailed; watch its directory so that a new file there is opened at once. */
    void watchTailedFile(Path realPath, Discovery.Candidate candidate) {
        if (service == null || tailedPaths.put(realPath, candidate) != null) {
            return;
        }
        Path dir = realPath.getParent();
        if (dir != null && !watchedDirectories.contains(dir)) {
            try {
                register(dir);
            } catch (IOException e) {
                if (!registerFailed) {
                    registerFailed = true;
                    metrics.error("watch");
                    LOG.warn(
                            "cannot watch {} ({}; fs.inotify.max_user_watches?); files created there are found "
                                    + "by polling",
                            dir,
                            e.toString());
                }
            }
        }
    }

    /**
     * Deletions are watched only so that the kernel does not fold two creations of the same name into one event
     * (it merges identical events not yet read); they do not wake the tail thread (see {@link #run}).
     */
    private void register(Path realDir) throws IOException {
        directories.put(
                realDir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE),
                realDir);
        watchedDirectories.add(realDir);
    }

    /** Whether new files are opened on creation at all (false where the platform has no watch service). */
    boolean watching() {
        return service != null;
    }

    /**
     * Whether a file created at {@code realPath} is opened by this watcher: the tail thread then waits for it rather
     * than opening the file itself, so that each creation event is matched to one file.
     */
    boolean expects(Path realPath) {
        return service != null && watchedDirectories.contains(realPath.getParent()) && candidateAt(realPath) != null;
    }

    /** Tail thread: it opened this file itself; a creation event that finds it later counts nothing. */
    void claimedByTail(FileIdentity id) {
        claims.putIfAbsent(id, false);
    }

    /** The candidate a file opened on creation at {@code path} belongs to, or null. */
    Discovery.Candidate candidateAt(Path path) {
        Discovery.Candidate tailed = tailedPaths.get(path);
        return tailed != null ? tailed : discovery.candidateFor(path);
    }

    /** Tail thread: the next file opened on creation, or null. */
    Opened poll() {
        return opened.poll();
    }

    /** Tail thread: a file is closed; its identity may be reused by a new file. */
    void released(FileIdentity id) {
        claims.remove(id);
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                Path dir = directories.get(key);
                boolean news = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        news = true;
                        metrics.error("watch_overflow");
                        LOG.warn("the inotify queue overflowed: files created and deleted meanwhile may be missed "
                                + "uncounted");
                    } else if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && dir != null) {
                        news |= created(dir.resolve((Path) event.context()), event.count());
                    }
                }
                if (!key.reset()) { // the directory is gone (a deleted pod)
                    directories.remove(key);
                    if (dir != null) {
                        watchedDirectories.remove(dir);
                        tailedPaths.keySet().removeIf(p -> dir.equals(p.getParent()));
                    }
                }
                if (news) {
                    // not on deletions nor on files of no interest (a rotation renaming the file away to a new name
                    // is one): a discovery before the new file is created would find the link dangling and report
                    // a vanished target
                    wake.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /**
     * {@code count} creations at {@code path} (the watch service folds repeated events into one): all but the last
     * file had to leave the path for the next one to be created there, so only the last can still be opened.
     *
     * @return whether the path is of interest
     */
    private boolean created(Path path, int count) {
        if (candidateAt(path) == null) {
            return false;
        }
        for (int i = 1; i < count; i++) {
            missed(path);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            FileChannel channel = null;
            try {
                if (Files.isSymbolicLink(path)) {
                    return true; // discovery follows links and checks where they lead (a dangling one is no loss)
                }
                FileIdentity.Stat before = FileIdentity.stat(path);
                if (!before.regular()) {
                    return true;
                }
                // NOFOLLOW: a symlink swapped in after the stat is not followed out of the watched directory
                channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                if (FileIdentity.stat(path).id().equals(before.id())) {
                    Boolean byEvent = claims.put(before.id(), true);
                    if (byEvent == null) {
                        opened.add(new Opened(path, before.id(), channel));
                    } else {
                        closeQuietly(channel); // the tail thread, or an earlier event, has it open already
                        if (byEvent) {
                            missed(path); // this event's file was replaced before it was opened
                        }
                    }
                    return true;
                }
                closeQuietly(channel); // replaced between the stat and the open: try again
            } catch (NoSuchFileException e) {
                closeQuietly(channel);
                missed(path);
                return true;
            } catch (IOException e) {
                closeQuietly(channel);
                return true; // a symlink (ELOOP), unreadable: the tail thread's discovery reports it
            }
        }
        missed(path);
        return true;
    }

    /** Counts a file that was created and gone before anyone opened it. */
    synchronized void missed(Path path) {
        metrics.filesMissed.inc();
        long now = System.nanoTime();
        if (now - lastMissedWarnNanos >= MISSED_WARN_INTERVAL_NANOS) {
            lastMissedWarnNanos = now;
            LOG.warn(
                    "{} was created and gone before it could be opened: its lines are lost ({} such files so far, "
                            + "kubelogs_collector_files_missed_total; this message at most once a minute)",
                    path,
                    (long) metrics.filesMissed.get());
        } else {
            LOG.debug("{} was created and gone before it could be opened", path);
        }
    }

    /** Closes a read-only channel, if any (nothing can be lost). */
    static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // read-only
            }
        }
    }

    /** Stops the thread and closes files opened but not taken. */
    @Override
    public void close() {
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (IOException e) {
            // closing
        }
        Opened o;
        while ((o = opened.poll()) != null) {
            closeQuietly(o.channel());
        }
    }
}
