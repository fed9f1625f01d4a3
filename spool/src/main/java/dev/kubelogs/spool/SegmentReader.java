package dev.kubelogs.spool;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/** Decodes and validates a whole segment (see {@link SegmentWriter} for the layout). */
public final class SegmentReader {

    private SegmentReader() {}

    /**
     * Parses a complete segment. Validates the magic, the version, every record, the trailer (record count,
     * file count and every end offset must equal what the records imply) and the CRC before returning anything.
     */
    public static Segment parse(byte[] seg) throws CorruptSegmentException {
        if (seg == null) {
            throw new CorruptSegmentException("segment bytes are null");
        }
        Cursor c = new Cursor(seg);
        if (seg.length < SegmentFormat.MAGIC.length + 1) {
            throw new CorruptSegmentException(
                    "segment too short (" + seg.length + " bytes): truncated before the header");
        }
        for (int i = 0; i < SegmentFormat.MAGIC.length; i++) {
            if (seg[i] != SegmentFormat.MAGIC[i]) {
                throw new CorruptSegmentException(
                        "bad magic: expected 'KLSG', found bytes " + hex(seg, 0, SegmentFormat.MAGIC.length));
            }
        }
        c.pos = SegmentFormat.MAGIC.length;
        int version = c.u8("version");
        if (version != SegmentFormat.VERSION) {
            throw new CorruptSegmentException("unsupported segment version " + version + " (this reader knows version "
                    + SegmentFormat.VERSION + ")");
        }
        String cluster = c.utf("header cluster");
        String node = c.utf("header node");
        long seq = c.i64("header seq");
        long createdAt = c.i64("header createdAtMillis");
        if (seq < 0) {
            throw new CorruptSegmentException("negative seq " + seq + " in header");
        }
        int attrCount = c.varint("header attrCount");
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < attrCount; i++) {
            String k = c.utf("header attribute key #" + i);
            String v = c.utf("header attribute value #" + i);
            if (attrs.put(k, v) != null) {
                throw new CorruptSegmentException("duplicate node attribute '" + k + "' in header");
            }
        }
        SegmentHeader header;
        try {
            header = new SegmentHeader(cluster, node, seq, createdAt, attrs);
        } catch (IllegalArgumentException e) {
            throw new CorruptSegmentException("invalid header: " + e.getMessage(), e);
        }

        List<FileRef> files = new ArrayList<>();
        Map<Integer, Integer> idToIndex = new HashMap<>();
        List<Long> running = new ArrayList<>();
        Map<SegmentFormat.Identity, String> identities = new HashMap<>();
        List<SegmentEntry> entries = new ArrayList<>();
        long time = createdAt;
        int records = 0;
        boolean timeLast = false; // the record before END was TIME: the writer's caught-up time

        while (true) {
            int recordStart = c.pos;
            int tag = c.u8("record tag");
            boolean afterTime = timeLast;
            timeLast = tag == SegmentFormat.TAG_TIME;
            switch (tag) {
                case SegmentFormat.TAG_FILE: {
                    int fileId = c.varint("FILE fileId");
                    String path = c.utf("FILE path");
                    long device = c.i64("FILE device");
                    long inode = c.i64("FILE inode");
                    int generation = c.varint("FILE generation");
                    int kindCode = c.u8("FILE kind");
                    long start = c.varlong("FILE startOffset");
                    SourceKind kind;
                    try {
                        kind = SourceKind.ofCode(kindCode);
                    } catch (IllegalArgumentException e) {
                        throw new CorruptSegmentException(
                                "unknown source kind " + kindCode + " in FILE record at byte " + recordStart);
                    }
                    if (idToIndex.containsKey(fileId)) {
                        throw new CorruptSegmentException(
                                "fileId " + fileId + " declared twice (FILE record at byte " + recordStart + ")");
                    }
                    FileRef ref = new FileRef(path, device, inode, generation, kind);
                    String previous = identities.putIfAbsent(SegmentFormat.Identity.of(ref), path);
                    if (previous != null) {
                        throw new CorruptSegmentException("file identity " + ref.identity() + " declared twice ("
                                + previous + ", then " + path + " at byte " + recordStart + ")");
                    }
                    idToIndex.put(fileId, files.size());
                    files.add(ref);
                    running.add(start);
                    break;
                }
                case SegmentFormat.TAG_TIME:
                    time = c.varlong("TIME readTimeMillis");
                    break;
                case SegmentFormat.TAG_LINE: {
                    int fileId = c.varint("LINE fileId");
                    Integer index = idToIndex.get(fileId);
                    if (index == null) {
                        throw new CorruptSegmentException(
                                "LINE record at byte " + recordStart + " refers to undeclared fileId " + fileId);
                    }
                    int flags = c.u8("LINE flags");
                    if (!LineFlags.isValid(flags)) {
                        throw new CorruptSegmentException("invalid LINE flags " + flags + " at byte " + recordStart);
                    }
                    int len = c.varint("LINE length");
                    byte[] bytes = c.bytes(len, "LINE bytes");
                    FileRef ref = files.get(index);
                    long offset = running.get(index);
                    running.set(index, offset + LineFlags.advance(ref.kind(), len, flags));
                    entries.add(new LineEntry(ref, offset, bytes, flags, time));
                    records++;
                    break;
                }
                case SegmentFormat.TAG_POD: {
                    int len = c.varint("POD length");
                    byte[] json = c.bytes(len, "POD bytes");
                    try {
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)
                                .decode(ByteBuffer.wrap(json));
                    } catch (CharacterCodingException e) {
                        throw new CorruptSegmentException(
                                "POD record at byte " + recordStart + " is not valid UTF-8", e);
                    }
                    entries.add(new PodEntry(json, time));
                    records++;
                    break;
                }
                case SegmentFormat.TAG_END: {
                    int recordCount = c.varint("END recordCount");
                    if (recordCount != records) {
                        throw new CorruptSegmentException("END recordCount " + recordCount + " but the segment holds "
                                + records + " LINE+POD records");
                    }
                    int fileCount = c.varint("END fileCount");
                    if (fileCount != files.size()) {
                        throw new CorruptSegmentException(
                                "END fileCount " + fileCount + " but the segment declares " + files.size() + " files");
                    }
                    Map<FileRef, Long> ends = new LinkedHashMap<>();
                    boolean[] seen = new boolean[files.size()];
                    for (int i = 0; i < fileCount; i++) {
                        int fileId = c.varint("END fileId");
                        long end = c.varlong("END endOffset");
                        Integer index = idToIndex.get(fileId);
                        if (index == null) {
                            throw new CorruptSegmentException("END names undeclared fileId " + fileId);
                        }
                        if (seen[index]) {
                            throw new CorruptSegmentException("END names fileId " + fileId + " twice");
                        }
                        seen[index] = true;
                        long expected = running.get(index);
                        if (end != expected) {
                            throw new CorruptSegmentException("END endOffset " + end + " for fileId " + fileId + " ("
                                    + files.get(index).path() + ") but its records end at " + expected);
                        }
                    }
                    for (int i = 0; i < files.size(); i++) {
                        ends.put(files.get(i), running.get(i));
                    }
                    int crcPos = c.pos;
                    int stored = (int) c.u32("END crc32");
                    if (c.pos != seg.length) {
                        throw new CorruptSegmentException(
                                (seg.length - c.pos) + " trailing bytes after the END record's crc");
                    }
                    CRC32 crc = new CRC32();
                    crc.update(seg, 0, crcPos);
                    int actual = (int) crc.getValue();
                    if (actual != stored) {
                        throw new CorruptSegmentException(String.format(
                                "crc mismatch: stored %08x, computed %08x over %d bytes", stored, actual, crcPos));
                    }
                    return new Segment(
                            header,
                            Collections.unmodifiableList(entries),
                            Collections.unmodifiableMap(ends),
                            afterTime ? time : -1);
                }
                default:
                    throw new CorruptSegmentException(
                            String.format("unknown record tag 0x%02x at byte %d", tag, recordStart));
            }
        }
    }

    private static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + len && i < b.length; i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }

    /** A bounds-checked position in the segment; every read names what it reads so errors say where they failed. */
    private static final class Cursor {
        final byte[] b;
        int pos;

        Cursor(byte[] b) {
            this.b = b;
        }

        private void need(int n, String what) throws CorruptSegmentException {
            if (n < 0 || b.length - pos < n) {
                throw new CorruptSegmentException("truncated segment: " + what + " needs " + n + " bytes at byte " + pos
                        + " but only " + (b.length - pos) + " remain (segment is " + b.length + " bytes)");
            }
        }

        int u8(String what) throws CorruptSegmentException {
            need(1, what);
            return b[pos++] & 0xFF;
        }

        long i64(String what) throws CorruptSegmentException {
            need(8, what);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (b[pos++] & 0xFF);
            }
            return v;
        }

        long u32(String what) throws CorruptSegmentException {
            need(4, what);
            long v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (b[pos++] & 0xFF);
            }
            return v;
        }

        int varint(String what) throws CorruptSegmentException {
            int start = pos;
            long v = varlong(what);
            if (v > Integer.MAX_VALUE) {
                throw new CorruptSegmentException(what + " at byte " + start + " is " + v + ", larger than an int");
            }
            return (int) v;
        }

        long varlong(String what) throws CorruptSegmentException {
            int start = pos;
            long v = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                int x = u8(what);
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new CorruptSegmentException(
                    what + " at byte " + start + " is not a valid varint (too long or out of range)");
        }

        byte[] bytes(int len, String what) throws CorruptSegmentException {
            need(len, what);
            byte[] r = Arrays.copyOfRange(b, pos, pos + len);
            pos += len;
            return r;
        }

        String utf(String what) throws CorruptSegmentException {
            need(2, what + " length");
            int len = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            need(2 + len, what);
            try {
                String s = new DataInputStream(new ByteArrayInputStream(b, pos, 2 + len)).readUTF();
                pos += 2 + len;
                return s;
            } catch (IOException e) {
                throw new CorruptSegmentException(
                        what + " at byte " + pos + " is not valid modified UTF-8: " + e.getMessage(), e);
            }
        }
    }
}
