package dev.kubelogs.collector.tail;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** (device, inode) of a file, symlinks followed, plus its size at the time it was read. */
public record FileIdentity(long device, long inode) {

    /** Stat result: identity and size. */
    public record Stat(FileIdentity id, long size, boolean regular) {}

    /** Stats {@code path}, following symlinks. */
    public static Stat stat(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino,size,mode");
        long dev = ((Number) a.get("dev")).longValue();
        long ino = ((Number) a.get("ino")).longValue();
        long size = ((Number) a.get("size")).longValue();
        int mode = ((Number) a.get("mode")).intValue();
        boolean regular = (mode & 0170000) == 0100000;
        return new Stat(new FileIdentity(dev, ino), size, regular);
    }

    /** Where this file is: at {@code lastSeen}, or renamed within its directory. Null if gone. */
    Path locate(Path lastSeen) {
        try {
            if (stat(lastSeen).id().equals(this)) {
                return lastSeen;
            }
        } catch (IOException e) {
            // renamed or deleted: look in the directory
        }
        Path dir = lastSeen.getParent();
        if (dir == null) {
            return null;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                try {
                    if (!Files.isSymbolicLink(p) && stat(p).id().equals(this)) {
                        return p;
                    }
                } catch (IOException e) {
                    // vanished while listing
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    @Override
    public String toString() {
        return device + ":" + inode;
    }
}
