package dev.kubelogs.cwlocal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * On-disk layout of a persistent store (append-only for events):
 * <pre>
 * &lt;root&gt;/.lock                                  held while an endpoint uses the directory
 * &lt;root&gt;/&lt;enc(group)&gt;/group.json                 {"logGroupName","creationTime","logGroupClass","retentionInDays"?}
 * &lt;root&gt;/&lt;enc(group)&gt;/&lt;enc(stream)&gt;.stream.json   {"logStreamName","creationTime"}
 * &lt;root&gt;/&lt;enc(group)&gt;/&lt;enc(stream)&gt;.jsonl         one line per event {"timestamp","ingestionTime","message"}
 * </pre>
 * enc() percent-encodes every byte outside {@code [A-Za-z0-9_-]} (so '.' and '/' too); an encoding longer than
 * 200 characters is cut and suffixed with a hash. Names are read back from the JSON files, never decoded from
 * file names. Lines are in ingestion order. Writes reach the OS on every call (no fsync): a killed process
 * loses nothing, a power cut may. A torn last line (process killed mid-write) is cut off at load.
 */
final class Persistence implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Persistence.class.getName());
    private static final String GROUP_META = "group.json";
    private static final String STREAM_META_SUFFIX = ".stream.json";
    private static final String EVENTS_SUFFIX = ".jsonl";
    private static final int MAX_NAME = 200;
    /** Streams beyond this many open append channels open and close their file per write. */
    private static final int MAX_OPEN_CHANNELS = 2048;

    private final Path root;
    private final ObjectMapper mapper;
    private final JsonFactory json;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicInteger openChannels = new AtomicInteger();

    Persistence(Path root, ObjectMapper mapper) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.mapper = mapper;
        this.json = mapper.getFactory();
        Files.createDirectories(this.root);
        lockChannel = FileChannel.open(this.root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IllegalStateException("data directory " + this.root + " is in use by another endpoint");
        }
        lock = l;
    }

    Path root() {
        return root;
    }

    static String fileName(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(bytes.length);
        for (byte x : bytes) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                b.append((char) c);
            } else {
                b.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        if (b.length() <= MAX_NAME) {
            return b.toString();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return b.substring(0, 120) + "~" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- groups and streams

    void createGroup(LogGroup g) {
        Path dir = root.resolve(g.dirName);
        try {
            if (Files.exists(dir)) {
                deleteRecursively(dir); // left over from an interrupted delete
            }
            Files.createDirectories(dir);
            writeGroupMeta(g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log group directory " + dir, e);
        }
    }

    void writeGroupMeta(LogGroup g) {
        ObjectNode n = mapper.createObjectNode();
        n.put("logGroupName", g.name);
        n.put("creationTime", g.creationTime);
        n.put("logGroupClass", g.logGroupClass);
        if (g.retentionInDays() != null) {
            n.put("retentionInDays", g.retentionInDays());
        }
        writeAtomically(root.resolve(g.dirName).resolve(GROUP_META), n);
    }

    /** Removes the group; the caller has closed its streams' channels. */
    void deleteGroup(LogGroup g) {
        Path dir = root.resolve(g.dirName);
        try {
            Files.deleteIfExists(dir.resolve(GROUP_META)); // from here on the directory is not loaded again
            deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete log group directory " + dir, e);
        }
    }

    void createStream(LogStream s) {
        Path dir = root.resolve(s.group.dirName);
        try {
            Files.deleteIfExists(dir.resolve(s.fileStem + EVENTS_SUFFIX)); // orphan of an interrupted delete
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode n = mapper.createObjectNode();
        n.put("logStreamName", s.name);
        n.put("creationTime", s.creationTime);
        writeAtomically(dir.resolve(s.fileStem + STREAM_META_SUFFIX), n);
    }

    /** Removes the stream's files; the caller holds the stream's monitor. */
    void deleteStream(LogStream s) {
        closeChannel(s);
        Path dir = root.resolve(s.group.dirName);
        try {
            Files.deleteIfExists(dir.resolve(s.fileStem + STREAM_META_SUFFIX));
            Files.deleteIfExists(dir.resolve(s.fileStem + EVENTS_SUFFIX));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete log stream files in " + dir, e);
        }
    }

    /** Closes the stream's append channel; the caller holds the stream's monitor. */
    void closeChannel(LogStream s) {
        if (s.channel != null) {
            try {
                s.channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing events file of " + s.name, e);
            }
            s.channel = null;
            openChannels.decrementAndGet();
        }
    }

    // ---------------------------------------------------------------- events

    /** Appends the batch, one JSON line per event, in one write; the caller holds the stream's monitor. */
    void append(LogStream s, List<Event> batch) throws IOException {
        long estimate = 0;
        for (Event e : batch) {
            estimate += e.utf8Bytes() + 64;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, estimate));
        try (JsonGenerator g = json.createGenerator(out)) {
            g.setRootValueSeparator(new SerializedString("\n"));
            for (Event e : batch) {
                g.writeStartObject();
                g.writeNumberField("timestamp", e.timestamp());
                g.writeNumberField("ingestionTime", e.ingestionTime());
                g.writeStringField("message", e.message());
                g.writeEndObject();
            }
        }
        out.write('\n');
        ByteBuffer buf = ByteBuffer.wrap(out.toByteArray());
        FileChannel ch = s.channel;
        boolean transientChannel = false;
        if (ch == null) {
            ch = FileChannel.open(
                    root.resolve(s.group.dirName).resolve(s.fileStem + EVENTS_SUFFIX),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            if (openChannels.incrementAndGet() <= MAX_OPEN_CHANNELS) {
                s.channel = ch;
            } else {
                openChannels.decrementAndGet();
                transientChannel = true;
            }
        }
        try {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        } finally {
            if (transientChannel) {
                ch.close();
            }
        }
    }

    // ---------------------------------------------------------------- load

    private record RawEvent(long timestamp, long ingestionTime, String message) {}

    private record Loaded(LogStream stream, List<RawEvent> raw) {}

    /**
     * Reads every group, stream and event. Seqs are given in ingestion order across all streams (merge by
     * ingestion time, file order within a stream), so ties keep the order they had before the restart.
     *
     * @return the groups; {@code seqOut[0]} receives the largest seq given
     */
    List<LogGroup> load(long[] seqOut) throws IOException {
        List<LogGroup> groups = new ArrayList<>();
        List<Loaded> loaded = new ArrayList<>();
        for (Path dir : list(root)) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            Path meta = dir.resolve(GROUP_META);
            if (!Files.isRegularFile(meta)) {
                LOG.log(System.Logger.Level.WARNING, "ignoring " + dir + ": no " + GROUP_META);
                continue;
            }
            JsonNode gm = mapper.readTree(meta.toFile());
            LogGroup g = new LogGroup(
                    gm.path("logGroupName").asText(),
                    gm.path("creationTime").asLong(),
                    gm.path("logGroupClass").asText("STANDARD"),
                    gm.hasNonNull("retentionInDays") ? gm.get("retentionInDays").asInt() : null,
                    dir.getFileName().toString());
            groups.add(g);
            for (Path f : list(dir)) {
                String file = f.getFileName().toString();
                if (!file.endsWith(STREAM_META_SUFFIX)) {
                    continue;
                }
                String stem = file.substring(0, file.length() - STREAM_META_SUFFIX.length());
                JsonNode sm = mapper.readTree(f.toFile());
                LogStream s = new LogStream(
                        g,
                        sm.path("logStreamName").asText(),
                        sm.path("creationTime").asLong(),
                        stem);
                g.streams.put(s.name, s);
                loaded.add(new Loaded(s, readEvents(dir.resolve(stem + EVENTS_SUFFIX))));
            }
        }

        // ingestion order across streams: k-way merge by ingestion time
        long[][] seqs = new long[loaded.size()][];
        PriorityQueue<int[]> heads = new PriorityQueue<>(Comparator.<int[]>comparingLong(
                        c -> loaded.get(c[0]).raw().get(c[1]).ingestionTime())
                .thenComparingInt(c -> c[0]));
        for (int i = 0; i < loaded.size(); i++) {
            seqs[i] = new long[loaded.get(i).raw().size()];
            if (seqs[i].length > 0) {
                heads.add(new int[] {i, 0});
            }
        }
        long seq = 0;
        while (!heads.isEmpty()) {
            int[] c = heads.poll();
            seqs[c[0]][c[1]] = ++seq;
            if (++c[1] < seqs[c[0]].length) {
                heads.add(c);
            }
        }
        for (int i = 0; i < loaded.size(); i++) {
            List<RawEvent> raw = loaded.get(i).raw();
            List<Event> events = new ArrayList<>(raw.size());
            LogStream stream = loaded.get(i).stream();
            synchronized (stream) {
                for (int j = 0; j < raw.size(); j++) {
                    RawEvent r = raw.get(j);
                    events.add(Event.of(
                            r.timestamp(),
                            r.ingestionTime(),
                            seqs[i][j],
                            r.message(),
                            Utf8Size.length(r.message()),
                            stream.tails));
                }
                events.sort(Comparator.comparingLong(Event::timestamp).thenComparingLong(Event::seq));
                stream.insert(events);
            }
        }
        seqOut[0] = seq;
        return groups;
    }

    private List<RawEvent> readEvents(Path file) throws IOException {
        List<RawEvent> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        long goodEnd = 0; // byte offset after the last complete, parsable line
        long lineNo = 0;
        byte[] line = new byte[8192];
        int len = 0;
        long pos = 0;
        boolean torn = false;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    pos++;
                    if (b != '\n') {
                        if (len == line.length) {
                            line = java.util.Arrays.copyOf(line, line.length * 2);
                        }
                        line[len++] = b;
                        continue;
                    }
                    lineNo++;
                    if (len > 0) {
                        RawEvent e = parseLine(line, len);
                        if (e == null) {
                            // a bad line is only explainable (torn write) at the very end of the file
                            if (!torn) {
                                torn = true;
                                LOG.log(System.Logger.Level.WARNING, file + ":" + lineNo + " is not an event line");
                            }
                        } else if (torn) {
                            throw new IOException(file + ":" + lineNo + ": events follow an unreadable line;"
                                    + " refusing to guess (fix or remove the file)");
                        } else {
                            out.add(e);
                        }
                    }
                    if (!torn) {
                        goodEnd = pos;
                    }
                    len = 0;
                }
            }
        }
        if (len > 0 || torn) {
            LOG.log(System.Logger.Level.WARNING, "cutting torn tail of " + file + " at byte " + goodEnd);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(goodEnd);
            }
        }
        return out;
    }

    private RawEvent parseLine(byte[] line, int len) {
        try (JsonParser p = json.createParser(line, 0, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Long ts = null;
            Long ingestion = null;
            String message = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "timestamp" -> ts = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "ingestionTime" -> ingestion = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "message" -> message = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT
                    || p.nextToken() != null
                    || ts == null
                    || ingestion == null
                    || message == null) {
                return null;
            }
            return new RawEvent(ts, ingestion, message);
        } catch (IOException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- helpers

    private void writeAtomically(Path target, JsonNode content) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.write(tmp, mapper.writeValueAsBytes(content));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException ignored) {
                    // gone already
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
