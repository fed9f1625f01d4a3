package dev.kubelogs.launcher.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which processes hold a TCP port, read from Linux's {@code /proc/net/tcp}, {@code /proc/net/tcp6} and each process's
 * {@code fd} links to its sockets (what {@code ss -ltnp} shows): for the message of a server that could not bind.
 * Elsewhere, or for processes of other users, it finds fewer and says so.
 */
final class PortHolders {
    private static final Path PROC = Path.of("/proc");
    private static final int MAX_COMMAND_LINE = 240;

    /** A socket on the port: its inode (0 for a connection in TIME_WAIT, owned by no process) and state. */
    record Socket(long inode, String state, String remote) {}

    private PortHolders() {}

    /**
     * The holders of local port {@code port} right now, e.g. {@code pid 4242 (java ... ZooKeeperServerMain ...)
     * listening}, or a sentence saying no process holds it.
     */
    static String describe(int port) {
        List<Socket> sockets = socketsOn(port);
        Map<Long, Socket> byInode = new LinkedHashMap<>();
        for (Socket s : sockets) {
            if (s.inode() != 0) {
                byInode.putIfAbsent(s.inode(), s);
            }
        }
        if (byInode.isEmpty()) {
            return "no process holds port " + port + " now";
        }
        List<String> found = new ArrayList<>();
        Map<Long, Long> owners = owners(byInode.keySet());
        for (Socket s : byInode.values()) {
            Long pid = owners.get(s.inode());
            String what = s.state().equals("LISTEN") ? "listening" : s.state() + " to " + s.remote();
            found.add((pid == null ? "a process this user cannot see" : "pid " + pid + " (" + commandLine(pid) + ")")
                    + " " + what);
        }
        return "port " + port + " is held by " + String.join("; ", found);
    }

    /**
     * The pid of the process listening on {@code port}, where this user can see it: something that accepts connections
     * on a port is not necessarily the server that was started for it.
     */
    static OptionalLong listener(int port) {
        Set<Long> inodes = new HashSet<>();
        for (Socket s : socketsOn(port)) {
            if (s.state().equals("LISTEN") && s.inode() != 0) {
                inodes.add(s.inode());
            }
        }
        return owners(inodes).values().stream().mapToLong(Long::longValue).findFirst();
    }

    private static List<Socket> socketsOn(int port) {
        List<Socket> sockets = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            try {
                sockets.addAll(sockets(Files.readAllLines(PROC.resolve("net").resolve(table)), port));
            } catch (IOException notLinux) {
                // no such table: nothing to add
            }
        }
        return sockets;
    }

    /** The sockets of a {@code /proc/net/tcp} or {@code tcp6} table whose local port is {@code port}. */
    static List<Socket> sockets(List<String> table, int port) {
        List<Socket> found = new ArrayList<>();
        for (String line : table) {
            String[] f = line.trim().split("\\s+");
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
            if (f.length < 10 || !f[0].endsWith(":")) {
                continue;
            }
            int colon = f[1].lastIndexOf(':');
            if (colon < 0 || Integer.parseInt(f[1].substring(colon + 1), 16) != port) {
                continue;
            }
            found.add(new Socket(Long.parseLong(f[9]), state(f[3]), address(f[2])));
        }
        return found;
    }

    /** The process owning each socket inode, from the {@code socket:[inode]} links in {@code /proc/<pid>/fd}. */
    private static Map<Long, Long> owners(Set<Long> inodes) {
        Map<Long, Long> owners = new LinkedHashMap<>();
        if (inodes.isEmpty()) {
            return owners;
        }
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path p : pids) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(p.resolve("fd"))) {
                    for (Path fd : fds) {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            long inode = Long.parseLong(target.substring(8, target.length() - 1));
                            if (inodes.contains(inode)) {
                                owners.putIfAbsent(
                                        inode, Long.parseLong(p.getFileName().toString()));
                            }
                        }
                    }
                } catch (IOException | RuntimeException goneOrNotOurs) {
                    // a process that ended meanwhile, or another user's
                }
            }
        } catch (IOException noProc) {
            // not Linux
        }
        return owners;
    }

    /** The command line of {@code pid}, as {@link #shown} makes it. */
    static String commandLine(long pid) {
        try {
            return shown(Files.readString(PROC.resolve(Long.toString(pid)).resolve("cmdline"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "command line unreadable";
        }
    }

    /** A NUL-separated command line without the class path (a JVM's is kilobytes long), shortened. */
    static String shown(String cmdline) {
        List<String> args = new ArrayList<>();
        String[] parts = cmdline.split("\0");
        for (int i = 0; i < parts.length; i++) {
            args.add(parts[i]);
            if (List.of("-cp", "-classpath", "--class-path").contains(parts[i]) && i + 1 < parts.length) {
                args.add("...");
                i++;
            }
        }
        String line = String.join(" ", args);
        return line.length() <= MAX_COMMAND_LINE ? line : line.substring(0, MAX_COMMAND_LINE) + "...";
    }

    private static String state(String hex) {
        return switch (hex.toUpperCase(Locale.ROOT)) {
            case "01" -> "ESTABLISHED";
            case "02" -> "SYN_SENT";
            case "03" -> "SYN_RECV";
            case "04" -> "FIN_WAIT1";
            case "05" -> "FIN_WAIT2";
            case "06" -> "TIME_WAIT";
            case "07" -> "CLOSE";
            case "08" -> "CLOSE_WAIT";
            case "09" -> "LAST_ACK";
            case "0A" -> "LISTEN";
            case "0B" -> "CLOSING";
            default -> "state " + hex;
        };
    }

    /**
     * {@code 0100007F:1F90} as {@code 127.0.0.1:8080}; an IPv4 address in a {@code tcp6} line (Java's sockets are IPv6
     * ones) the same way; another IPv6 address as its port alone.
     */
    private static String address(String hex) {
        int colon = hex.lastIndexOf(':');
        int port = Integer.parseInt(hex.substring(colon + 1), 16);
        String host = hex.substring(0, colon);
        if (host.length() == 32 && host.startsWith("0000000000000000FFFF0000")) {
            host = host.substring(24);
        }
        if (host.length() != 8) {
            return "port " + port;
        }
        long ip = Long.parseLong(host, 16);
        // the kernel prints each 32-bit word in host byte order: little-endian on x86 and arm64
        return (ip & 0xff) + "." + ((ip >> 8) & 0xff) + "." + ((ip >> 16) & 0xff) + "." + ((ip >> 24) & 0xff) + ":"
                + port;
    }
}
