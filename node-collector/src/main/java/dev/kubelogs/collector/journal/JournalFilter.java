package dev.kubelogs.collector.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kubelogs.spool.JournalSources;
import java.io.IOException;
import java.util.Set;

/**
 * Which journal entries are spooled, decided from an entry's top-level fields alone: the dataplane units
 * ({@code _SYSTEMD_UNIT} docker/containerd/kubelet.service) always; with HOST_LOGS=journald also the host inputs:
 * {@code _TRANSPORT=kernel} (dmesg), {@code SYSLOG_FACILITY=10} (secure), {@code PRIORITY} 0–6 with a facility other
 * than 2/9 (messages). Reads the entry's {@code __CURSOR} on the way.
 */
final class JournalFilter {
    private static final JsonFactory JSON = new JsonFactory();
    static final Set<String> DATAPLANE_UNITS = JournalSources.DATAPLANE_UNITS;

    private JournalFilter() {}

    /** An entry's cursor (null if it has none) and whether it is spooled. */
    static final class Fields {
        String cursor;
        boolean keep;
    }

    /**
     * Extracts the cursor and decides the filter from the top-level fields. A field the entry repeats is a member
     * per value: a journal match takes any of them, so the entry is kept when any value selects it (and only a sole
     * facility of 2 or 9 leaves a priority out; the job decides on the rest).
     */
    static Fields fields(byte[] json, boolean hostFromJournal) throws IOException {
        String cursor = null;
        boolean dataplane = false;
        boolean kernel = false;
        boolean secure = false;
        boolean messagesPriority = false;
        int facilities = 0;
        boolean mailOrCron = false;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_STRING) {
                    String v = p.getText();
                    switch (name) {
                        case "__CURSOR" -> cursor = v;
                        case "_TRANSPORT" -> kernel |= "kernel".equals(v);
                        case "_SYSTEMD_UNIT" -> dataplane |= DATAPLANE_UNITS.contains(v);
                        case "PRIORITY" ->
                            messagesPriority |= v.length() == 1 && v.charAt(0) >= '0' && v.charAt(0) <= '6';
                        case "SYSLOG_FACILITY" -> {
                            facilities++;
                            secure |= "10".equals(v);
                            mailOrCron = "2".equals(v) || "9".equals(v);
                        }
                        default -> {}
                    }
                } else {
                    if (name.equals("SYSLOG_FACILITY")) {
                        facilities++;
                    }
                    p.skipChildren();
                }
            }
        }
        Fields f = new Fields();
        f.cursor = cursor;
        f.keep = dataplane
                || hostFromJournal && (kernel || secure || messagesPriority && !(facilities == 1 && mailOrCron));
        return f;
    }
}
