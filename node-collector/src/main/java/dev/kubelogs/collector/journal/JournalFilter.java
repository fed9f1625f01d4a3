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

    /** Extracts the cursor and decides the filter from the top-level fields. */
    static Fields fields(byte[] json, boolean hostFromJournal) throws IOException {
        String cursor = null;
        String transport = null;
        String unit = null;
        String priority = null;
        String facility = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_STRING) {
                    switch (name) {
                        case "__CURSOR":
                            cursor = p.getText();
                            break;
                        case "_TRANSPORT":
                            transport = p.getText();
                            break;
                        case "_SYSTEMD_UNIT":
                            unit = p.getText();
                            break;
                        case "PRIORITY":
                            priority = p.getText();
                            break;
                        case "SYSLOG_FACILITY":
                            facility = p.getText();
                            break;
                        default:
                            break;
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        Fields f = new Fields();
        f.cursor = cursor;
        boolean dataplane = unit != null && DATAPLANE_UNITS.contains(unit);
        f.keep = dataplane
                || hostFromJournal
                        && ("kernel".equals(transport)
                                || "10".equals(facility)
                                || (priority != null
                                        && priority.length() == 1
                                        && priority.charAt(0) >= '0'
                                        && priority.charAt(0) <= '6'
                                        && !"2".equals(facility)
                                        && !"9".equals(facility)));
        return f;
    }
}
