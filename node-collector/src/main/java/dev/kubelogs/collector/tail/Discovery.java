package dev.kubelogs.collector.tail;

import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lists the files to tail: container files matching the include globs minus the exclude globs (relative to the
 * log root, e.g. {@code containers/*.log}), plus the host files. Each gets its LOGICAL path
 * {@code /var/log/<relative>} whatever root the collector was configured with.
 *
 * <p>Container log paths are symlinks (to {@code /var/log/pods/...}, or Docker's
 * {@code /var/lib/docker/containers/...}); a file is only read when every hop leads under the log root or the Docker
 * containers directory ({@link #allows}), so a link to {@code /etc/shadow} or a token file ships nothing.
 */
public final class Discovery {
    public static final String LOGICAL_ROOT = "/var/log/";
    public static final Path DOCKER_CONTAINERS = Path.of("/var/lib/docker/containers");

    /** A file to tail. {@code path} is where it is on this machine (may be a symlink). */
    public record Candidate(String logicalPath, Path path, SourceKind kind) {}

    private record Include(String glob, Path baseDir, String relBase, int depth, PathMatcher matcher) {}

    private final Path root;
    private final Path dockerContainers;
    private final List<Path> allowedRoots;
    private final Set<String> unmatchedIncludes = new LinkedHashSet<>();
    private final List<Include> includes = new ArrayList<>();
    private final List<PathMatcher> excludes = new ArrayList<>();
    private final List<String> hostFiles;

    public Discovery(
            Path root,
            Path dockerContainers,
            List<String> includeGlobs,
            List<String> excludeGlobs,
            List<String> hostFiles) {
        this.root = root;
        this.dockerContainers = dockerContainers;
        this.allowedRoots = List.of(realOrAbsolute(root), realOrAbsolute(dockerContainers));
        for (String g : includeGlobs) {
            String glob = stripRoot(g);
            String[] parts = glob.split("/");
            StringBuilder base = new StringBuilder();
            int i = 0;
            while (i < parts.length - 1 && !hasWildcard(parts[i])) {
                base.append(parts[i]).append('/');
                i++;
            }
            int depth = glob.contains("**") ? Integer.MAX_VALUE : parts.length - i;
            Path baseDir = base.length() == 0 ? root : root.resolve(base.toString());
            includes.add(new Include(
                    g, baseDir, base.toString(), depth, FileSystems.getDefault().getPathMatcher("glob:" + glob)));
        }
        for (String g : excludeGlobs) {
            excludes.add(FileSystems.getDefault().getPathMatcher("glob:" + stripRoot(g)));
        }
        this.hostFiles = List.copyOf(hostFiles);
    }

    private static Path realOrAbsolute(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** Whether a file's real path (every link resolved) lies under the log root or the Docker containers directory. */
    public boolean allows(Path realPath) {
        for (Path r : allowedRoots) {
            if (realPath.startsWith(r)) {
                return true;
            }
        }
        return false;
    }

    /** The directories {@link #allows} accepts, for messages. */
    public List<Path> allowedRoots() {
        return allowedRoots;
    }

    /**
     * The candidate a file at {@code path} (under the log root, as given or resolved) is, if an include glob and no
     * exclude glob, or a host file name, matches it; else null. Thread-safe.
     */
    public Candidate candidateFor(Path path) {
        Path rel = null;
        if (path.startsWith(root)) {
            rel = root.relativize(path);
        } else if (path.startsWith(allowedRoots.get(0))) {
            rel = allowedRoots.get(0).relativize(path);
        }
        if (rel == null) {
            return null;
        }
        for (Include inc : includes) {
            if (inc.matcher().matches(rel)) {
                return isExcluded(rel) ? null : new Candidate(LOGICAL_ROOT + rel, path, SourceKind.CONTAINER);
            }
        }
        boolean host = hostFiles.contains(rel.toString());
        return host ? new Candidate(LOGICAL_ROOT + rel, path, SourceKind.HOST_FILE) : null;
    }

    /** Include globs (as configured) that matched no file in the last {@link #list}. */
    public List<String> includesMatchingNothing() {
        return List.copyOf(unmatchedIncludes);
    }

    /** Accepts globs written as {@code /var/log/containers/*.log} too. */
    private static String stripRoot(String g) {
        String s = g.trim();
        if (s.startsWith(LOGICAL_ROOT)) {
            s = s.substring(LOGICAL_ROOT.length());
        }
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        return s;
    }

    private static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /** Directories worth watching for new files. */
    public List<Path> watchDirectories() {
        List<Path> dirs = new ArrayList<>();
        for (Include inc : includes) {
            if (!dirs.contains(inc.baseDir())) {
                dirs.add(inc.baseDir());
            }
        }
        if (!hostFiles.isEmpty() && !dirs.contains(root)) {
            dirs.add(root);
        }
        return dirs;
    }

    /** Lists current candidates keyed by logical path. Missing directories are not an error (no pods yet). */
    public Map<String, Candidate> list() throws IOException {
        Map<String, Candidate> out = new LinkedHashMap<>();
        unmatchedIncludes.clear();
        for (Include inc : includes) {
            if (collect(inc, inc.baseDir(), inc.relBase(), 1, out) == 0) {
                unmatchedIncludes.add(inc.glob());
            }
        }
        for (String h : hostFiles) {
            Path p = root.resolve(h);
            if (Files.exists(p)) {
                out.putIfAbsent(LOGICAL_ROOT + h, new Candidate(LOGICAL_ROOT + h, p, SourceKind.HOST_FILE));
            }
        }
        return out;
    }

    /** Adds the matches under {@code dir} to {@code out}; returns how many there were (excluded ones too). */
    private int collect(Include inc, Path dir, String relDir, int level, Map<String, Candidate> out)
            throws IOException {
        int matched = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                String rel = relDir + name;
                Path relPath = Path.of(rel);
                if (inc.matcher().matches(relPath)) {
                    matched++;
                    if (!isExcluded(relPath)) { // a matching non-regular file is reported (once) by the tailer
                        out.putIfAbsent(
                                LOGICAL_ROOT + rel,
                                new Candidate(LOGICAL_ROOT + rel, followIntoRoot(p), SourceKind.CONTAINER));
                    }
                } else if (level < inc.depth() && Files.isDirectory(p)) {
                    matched += collect(inc, p, rel + "/", level + 1, out);
                }
            }
        } catch (NoSuchFileException e) {
            // the directory does not exist (yet)
        }
        return matched;
    }

    /**
     * A kubelet symlink points at {@code /var/log/pods/...} (Docker's at {@code /var/lib/docker/containers/...}).
     * When the log root (the Docker directory) is elsewhere (a copy of a node's logs, a test) and that absolute
     * target does not exist here, the same path under the configured directory is meant. Anything else is returned as
     * it is.
     */
    Path followIntoRoot(Path link) {
        try {
            if (!Files.isSymbolicLink(link)) {
                return link;
            }
            Path target = Files.readSymbolicLink(link);
            if (target.isAbsolute() && !Files.exists(target)) {
                Path moved = null;
                if (target.toString().startsWith(LOGICAL_ROOT)) {
                    moved = root.resolve(target.toString().substring(LOGICAL_ROOT.length()));
                } else if (target.startsWith(DOCKER_CONTAINERS)) {
                    moved = dockerContainers.resolve(DOCKER_CONTAINERS.relativize(target));
                }
                if (moved != null && Files.exists(moved)) {
                    return moved;
                }
            }
        } catch (IOException e) {
            // unreadable link: the tailer reports it when it tries to open the path
        }
        return link;
    }

    private boolean isExcluded(Path rel) {
        for (PathMatcher m : excludes) {
            if (m.matches(rel)) {
                return true;
            }
        }
        return false;
    }
}
