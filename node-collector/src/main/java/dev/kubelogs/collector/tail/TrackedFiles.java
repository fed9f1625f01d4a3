package dev.kubelogs.collector.tail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open files: the one at each logical path, and the rotated ones still being read to their end. One per identity:
 * the same file under a second path (a hard link, a rotated file reappearing under a matching name) is not read twice.
 */
final class TrackedFiles {
    private final CreateWatcher watcher;
    private final Map<String, TrackedFile> byPath = new LinkedHashMap<>();
    private final Map<FileIdentity, TrackedFile> byIdentity = new HashMap<>();
    private final List<TrackedFile> rotated = new ArrayList<>();

    TrackedFiles(CreateWatcher watcher) {
        this.watcher = watcher;
    }

    /** The file read at {@code logical}, or null. */
    TrackedFile atPath(String logical) {
        return byPath.get(logical);
    }

    boolean isOpen(FileIdentity id) {
        return byIdentity.containsKey(id);
    }

    /** A file was opened (it is then followed at its path, or read as a rotated file). */
    void opened(TrackedFile f) {
        byIdentity.put(f.id, f);
    }

    /** {@code f} is the file at its logical path now. */
    void follow(TrackedFile f) {
        byPath.put(f.logicalPath, f);
    }

    /** The file at {@code logical} is no longer there: it is returned, to be read on as a rotated file. */
    TrackedFile leavePath(String logical) {
        return byPath.remove(logical);
    }

    /** {@code f} is read to its end, then let go ({@link #release}). */
    void addRotated(TrackedFile f) {
        f.rotated = true;
        rotated.add(f);
    }

    /** The logical paths followed now, in the order they were first found. */
    List<String> paths() {
        return new ArrayList<>(byPath.keySet());
    }

    List<TrackedFile> rotated() {
        return new ArrayList<>(rotated);
    }

    /** All open files: the ones at their paths, then the rotated ones. */
    List<TrackedFile> all() {
        List<TrackedFile> all = new ArrayList<>(byPath.values());
        all.addAll(rotated);
        return all;
    }

    int size() {
        return byIdentity.size();
    }

    /** Closes a rotated file that is read to its end; its identity may be reused by a new file. */
    void release(TrackedFile f) {
        rotated.remove(f);
        byIdentity.remove(f.id);
        f.close();
        watcher.released(f.id);
    }

    void closeAll() {
        for (TrackedFile f : byIdentity.values()) {
            f.close();
            watcher.released(f.id);
        }
        byIdentity.clear();
        byPath.clear();
        rotated.clear();
    }
}
