package dev.kubelogs.collector.tail;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tail thread's side of the {@link CreateWatcher}: the files it opened on creation, held until discovery matches
 * them to a path, and the new files at watched paths that discovery leaves to it, so that each creation event is
 * matched to one file, unless no event brought them within a second.
 */
final class WatcherHandover {
    private static final Logger LOG = LoggerFactory.getLogger(WatcherHandover.class);
    /**
     * The errors kind of a new file at a watched path opened without its creation event (the watch thread a second or
     * more behind): the files-missed count may then count one file that was read.
     */
    static final String CREATION_EVENT_LATE = "creation_event_late";

    private final CreateWatcher watcher;
    private final CollectorMetrics metrics;
    private final Map<FileIdentity, CreateWatcher.Opened> openedOnCreation = new HashMap<>();
    /** New files at watched paths that discovery saw before the watcher handed them over. */
    private final Grace<FileIdentity> awaiting = new Grace<>();

    WatcherHandover(CreateWatcher watcher, CollectorMetrics metrics) {
        this.watcher = watcher;
        this.metrics = metrics;
    }

    /** Takes the files the watcher opened since; one already tracked (or taken) under its identity is a duplicate. */
    void takeFromWatcher(TrackedFiles files) {
        CreateWatcher.Opened o;
        while ((o = watcher.poll()) != null) {
            if (files.isOpen(o.id()) || openedOnCreation.containsKey(o.id())) {
                CreateWatcher.closeQuietly(o.channel());
            } else {
                openedOnCreation.put(o.id(), o);
            }
        }
    }

    /** The file with identity {@code id} if the watcher opened it on creation (the caller owns it then), or null. */
    CreateWatcher.Opened take(FileIdentity id) {
        return openedOnCreation.remove(id);
    }

    /** The files opened on creation that discovery has not matched to a path. */
    List<CreateWatcher.Opened> unmatched() {
        return new ArrayList<>(openedOnCreation.values());
    }

    /**
     * A file opened on creation whose path no longer names a file to read: it cannot be named, so it is not read, but
     * counted as missed.
     */
    void dropUnnamed(CreateWatcher.Opened o) {
        openedOnCreation.remove(o.id());
        CreateWatcher.closeQuietly(o.channel());
        watcher.released(o.id());
        watcher.missed(o.path());
    }

    /**
     * Whether discovery leaves the new file {@code id} at {@code c} to the watcher: it does at a path the watcher
     * opens files at, for a second. The first discovery opens every file itself: files present at start have no
     * creation event to wait for.
     */
    boolean leftToWatcher(Discovery.Candidate c, FileIdentity id, boolean firstDiscovery) {
        if (firstDiscovery || openedOnCreation.containsKey(id) || !openedByWatcher(c)) {
            return false;
        }
        if (awaiting.within(id)) {
            return true;
        }
        LOG.debug("{}: no creation event for {} within a second; opening it without one", c.logicalPath(), id);
        metrics.error(CREATION_EVENT_LATE);
        return false;
    }

    /**
     * Whether the watcher opens new files at {@code c}'s path. A path that no longer resolves a moment after discovery
     * found a file there is being replaced (deleted, its link dangling, until the next file is created): that file's
     * creation event is on its way, so it is waited for like any other. Opening it here instead, with the deleted
     * file's inode number reused by the next one, would read a file whose event the watcher then matches to a later
     * file, and count one file missed that was read.
     */
    private boolean openedByWatcher(Discovery.Candidate c) {
        try {
            return watcher.expects(c.path().toRealPath());
        } catch (IOException e) {
            return watcher.watching();
        }
    }

    /** Ends a discovery: only the files it left to the watcher this time are still awaited. */
    void stillAwaiting(Set<FileIdentity> awaited) {
        awaiting.retainOnly(awaited);
    }

    /** Closes the files opened on creation and not taken. */
    void closeAll() {
        for (CreateWatcher.Opened o : openedOnCreation.values()) {
            CreateWatcher.closeQuietly(o.channel());
            watcher.released(o.id());
        }
        openedOnCreation.clear();
    }
}
