package dev.kubelogs.collector.tail;

import java.io.IOException;
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

    @Override
    public String toString() {
        return device + ":" + inode;
    }
}
