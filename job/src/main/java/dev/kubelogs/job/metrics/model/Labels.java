package dev.kubelogs.job.metrics.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * An immutable label set, sorted by name (names unique). Equality and hash code are by content, so a label set is a
 * usable key; {@link #toString()} is the canonical Prometheus form {@code {a="1",b="2"}}.
 */
@TypeInfo(LabelsSerializer.Factory.class)
public final class Labels implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final Labels EMPTY = new Labels(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;
    private transient int hash;

    private Labels(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Builder b = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.set(namesAndValues[i], namesAndValues[i + 1]);
        }
        return b.build();
    }

    public static Labels of(Map<String, String> map) {
        Builder b = builder();
        map.forEach(b::set);
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these labels. */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (int i = 0; i < names.length; i++) {
            b.map.put(names[i], values[i]);
        }
        return b;
    }

    public int size() {
        return names.length;
    }

    public boolean isEmpty() {
        return names.length == 0;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    /** The value of {@code name}, or null when absent. */
    public String get(String name) {
        int i = Arrays.binarySearch(names, name);
        return i >= 0 ? values[i] : null;
    }

    public boolean has(String name) {
        return Arrays.binarySearch(names, name) >= 0;
    }

    public Labels with(String name, String value) {
        return toBuilder().set(name, value).build();
    }

    public Labels without(String name) {
        if (!has(name)) {
            return this;
        }
        return toBuilder().remove(name).build();
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < names.length; i++) {
            action.accept(names[i], values[i]);
        }
    }

    public Map<String, String> toMap() {
        Map<String, String> map = new TreeMap<>();
        forEach(map::put);
        return map;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Labels)) {
            return false;
        }
        Labels other = (Labels) o;
        return hashCode() == other.hashCode()
                && Arrays.equals(names, other.names)
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
            hash = h == 0 ? 1 : h;
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(names[i]).append("=\"");
            String v = values[i];
            for (int c = 0; c < v.length(); c++) {
                char ch = v.charAt(c);
                if (ch == '\\' || ch == '"') {
                    sb.append('\\').append(ch);
                } else if (ch == '\n') {
                    sb.append("\\n");
                } else {
                    sb.append(ch);
                }
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    /** Collects labels; a later {@link #set} of the same name wins, an empty value removes the label. */
    public static final class Builder {
        private final TreeMap<String, String> map = new TreeMap<>();

        public Builder set(String name, String value) {
            Objects.requireNonNull(name, "label name");
            if (value == null || value.isEmpty()) {
                map.remove(name);
            } else {
                map.put(name, value);
            }
            return this;
        }

        public Builder remove(String name) {
            map.remove(name);
            return this;
        }

        public String get(String name) {
            return map.get(name);
        }

        public Labels build() {
            if (map.isEmpty()) {
                return EMPTY;
            }
            String[] n = new String[map.size()];
            String[] v = new String[map.size()];
            int i = 0;
            for (Map.Entry<String, String> e : map.entrySet()) {
                n[i] = e.getKey();
                v[i] = e.getValue();
                i++;
            }
            return new Labels(n, v);
        }
    }
}
