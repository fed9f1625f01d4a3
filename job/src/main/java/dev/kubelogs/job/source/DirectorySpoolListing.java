package dev.kubelogs.job.source;

import dev.kubelogs.spool.SpoolPaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The spool through Flink's file system, directory by directory: the root, each cluster, each node. On S3 each is a
 * LIST request on every pass ({@link S3SpoolListing} lists the whole spool in one).
 */
final class DirectorySpoolListing implements SpoolListing {
    private final Path root;

    DirectorySpoolListing(Path root) {
        this.root = root;
    }

    @Override
    public Map<String, Node> list() throws IOException {
        FileSystem fs = root.getFileSystem();
        Map<String, Node> listings = new HashMap<>();
        // no exists() first: on S3 that is two HEADs and a LIST on every pass, and a missing root lists as empty
        for (FileStatus clusterDir : directories(fs, root)) {
            for (FileStatus nodeDir : directories(fs, clusterDir.getPath())) {
                listings.put(
                        clusterDir.getPath().getName() + "/" + nodeDir.getPath().getName(),
                        node(fs, nodeDir.getPath()));
            }
        }
        return listings;
    }

    /**
     * A local spool gets a hidden temporary file moved over the object atomically; any other file system writes the
     * object in place (an object store replaces an object whole).
     */
    @Override
    public void writeSchedule(byte[] json) throws IOException {
        Path target = new Path(root, DiscoverySchedulePublisher.OBJECT_NAME);
        if (root.toUri().getScheme() == null || "file".equals(root.toUri().getScheme())) {
            java.nio.file.Path local = java.nio.file.Path.of(target.toUri().getPath());
            java.nio.file.Path temp = local.resolveSibling("." + DiscoverySchedulePublisher.OBJECT_NAME + ".tmp");
            Files.createDirectories(local.getParent());
            Files.write(temp, json);
            Files.move(temp, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        try (OutputStream out = target.getFileSystem().create(target, FileSystem.WriteMode.OVERWRITE)) {
            out.write(json);
        }
    }

    private static List<FileStatus> directories(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> dirs = new ArrayList<>();
        for (FileStatus child : children(fs, dir)) {
            if (child.isDir() && !child.getPath().getName().startsWith(".")) {
                dirs.add(child);
            }
        }
        return dirs;
    }

    private static FileStatus[] children(FileSystem fs, Path dir) throws IOException {
        try {
            FileStatus[] children = fs.listStatus(dir);
            return children == null ? new FileStatus[0] : children;
        } catch (FileNotFoundException e) {
            return new FileStatus[0]; // no collector has written yet, or the job deleted it meanwhile
        }
    }

    private static Node node(FileSystem fs, Path nodeDir) throws IOException {
        Node node = new Node();
        for (FileStatus file : children(fs, nodeDir)) {
            String name = file.getPath().getName();
            if (name.equals(SpoolPaths.SEALED)) {
                try (FSDataInputStream in = fs.open(file.getPath())) {
                    node.sealed(new String(in.readAllBytes(), StandardCharsets.UTF_8), file.getPath());
                }
                continue;
            }
            OptionalLong seq = SpoolPaths.parseSegmentSeq(name);
            if (seq.isPresent() && !file.isDir()) {
                node.segments.put(seq.getAsLong(), file);
            }
        }
        return node;
    }
}
