package dev.kubelogs.job.source;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.fs.BlockLocation;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;

/**
 * {@code counting:///dir}: the local file system, counting the calls that would each be a request on S3 (a directory
 * listing is a LIST, an existence probe a HEAD or more). Registered for tests in META-INF/services.
 */
public final class CountingFileSystem extends FileSystem {
    public static final String SCHEME = "counting";
    public static final AtomicInteger LISTINGS = new AtomicInteger();
    public static final AtomicInteger PROBES = new AtomicInteger();

    private final LocalFileSystem local = LocalFileSystem.getSharedInstance();

    /** The factory Flink's file system registry finds. */
    public static final class Factory implements FileSystemFactory {
        @Override
        public String getScheme() {
            return SCHEME;
        }

        @Override
        public FileSystem create(URI fsUri) {
            return new CountingFileSystem();
        }
    }

    private static Path local(Path p) {
        return new Path("file", null, p.toUri().getPath());
    }

    @Override
    public Path getWorkingDirectory() {
        return local.getWorkingDirectory();
    }

    @Override
    public Path getHomeDirectory() {
        return local.getHomeDirectory();
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        PROBES.incrementAndGet();
        return local.getFileStatus(local(f));
    }

    @Override
    public boolean exists(Path f) throws IOException {
        PROBES.incrementAndGet();
        return local.exists(local(f));
    }

    @Override
    public BlockLocation[] getFileBlockLocations(FileStatus file, long start, long len) throws IOException {
        return local.getFileBlockLocations(file, start, len);
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        return local.open(local(f), bufferSize);
    }

    @Override
    public FSDataInputStream open(Path f) throws IOException {
        return local.open(local(f));
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        LISTINGS.incrementAndGet();
        return local.listStatus(local(f));
    }

    @Override
    public boolean delete(Path f, boolean recursive) throws IOException {
        return local.delete(local(f), recursive);
    }

    @Override
    public boolean mkdirs(Path f) throws IOException {
        return local.mkdirs(local(f));
    }

    @Override
    public FSDataOutputStream create(Path f, WriteMode overwrite) throws IOException {
        return local.create(local(f), overwrite);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        return local.rename(local(src), local(dst));
    }

    @Override
    public boolean isDistributedFS() {
        return false;
    }
}
