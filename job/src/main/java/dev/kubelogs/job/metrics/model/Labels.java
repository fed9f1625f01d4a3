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

    /**
     * The labels of these parallel arrays, as a serializer reads them: the arrays themselves (not copied) when the
     * names are strictly ascending and no value is empty, as every label set's own arrays are; else built by the
     * builder's rules (a later name wins, an empty value is no label).
     */
    static Labels fromArrays(String[] names, String[] values) {
        if (isSortedWithValues(names, values)) {
            return names.length == 0 ? EMPTY : new Labels(names, values);
        }
        Builder b = builder();
        for (int i = 0; i < names.length; i++) {
            b.set(names[i], values[i]);
        }
        return b.build();
    }

    private static boolean isSortedWithValues(String[] names, String[] values) {
        for (int i = 0; i < names.length; i++) {
            if (values[i] == null
                    || values[i].isEmpty()
                    || names[i] == null
                    || (i > 0 && names[i - 1].compareTo(names[i]) >= 0)) {
                return false;
            }
        }
        return true;
    }

    public static Builder builder() {
        return new Builder(new String[8], new String[8], 0);
    }

    /** A builder starting from these labels. */
    public Builder toBuilder() {
        int capacity = names.length + 4;
        return new Builder(Arrays.copyOf(names, capacity), Arrays.copyOf(values, capacity), names.length);
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
        int i = Arrays.binarySearch(names, name);
        if (i < 0) {
            return this;
        }
        if (names.length == 1) {
            return EMPTY;
        }
        String[] n = new String[names.length - 1];
        String[] v = new String[names.length - 1];
        System.arraycopy(names, 0, n, 0, i);
        System.arraycopy(values, 0, v, 0, i);
        System.arraycopy(names, i + 1, n, i, n.length - i);
        System.arraycopy(values, i + 1, v, i, v.length - i);
        return new Labels(n, v);
    }

    /**
     * These labels and those of {@code other}, this set's value where both have a name: one pass over the two sorted
     * lists. Returns this set itself when {@code other} adds nothing.
     */
    public Labels union(Labels other) {
        if (other.names.length == 0) {
            return this;
        }
        if (names.length == 0) {
            return other;
        }
        String[] on = other.names;
        int capacity = names.length + on.length;
        String[] n = new String[capacity];
        String[] v = new String[capacity];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < names.length && j < on.length) {
            int cmp = names[i].compareTo(on[j]);
            if (cmp <= 0) {
                n[k] = names[i];
                v[k++] = values[i++];
                if (cmp == 0) {
                    j++;
                }
            } else {
                n[k] = on[j];
                v[k++] = other.values[j++];
            }
        }
        if (j == on.length && k == i) {
            return this;
        }
        for (; i < names.length; i++) {
            n[k] = names[i];
            v[k++] = values[i];
        }
        for (; j < on.length; j++) {
            n[k] = on[j];
            v[k++] = other.values[j];
        }
        return new Labels(k == capacity ? n : Arrays.copyOf(n, k), k == capacity ? v : Arrays.copyOf(v, k));
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

    /**
     * Collects labels; a later {@link #set} of the same name wins, an empty value removes the label. The labels are
     * kept sorted in two arrays (a label set is small, and exposition and discovery mostly add names in order, which
     * appends), so building copies the arrays once.
     */
    public static final class Builder {
        private String[] names;
        private String[] values;
        private int size;

        private Builder(String[] names, String[] values, int size) {
            this.names = names;
            this.values = values;
            this.size = size;
        }

        public Builder set(String name, String value) {
            Objects.requireNonNull(name, "label name");
            if (value == null || value.isEmpty()) {
                return remove(name);
            }
            int i = indexOf(name);
            if (i >= 0) {
                values[i] = value;
                return this;
            }
            int at = -i - 1;
            if (size == names.length) {
                int capacity = Math.max(8, 2 * size);
                names = Arrays.copyOf(names, capacity);
                values = Arrays.copyOf(values, capacity);
            }
            System.arraycopy(names, at, names, at + 1, size - at);
            System.arraycopy(values, at, values, at + 1, size - at);
            names[at] = name;
            values[at] = value;
            size++;
            return this;
        }

        public Builder remove(String name) {
            int i = indexOf(name);
            if (i >= 0) {
                size--;
                System.arraycopy(names, i + 1, names, i, size - i);
                System.arraycopy(values, i + 1, values, i, size - i);
                names[size] = null;
                values[size] = null;
            }
            return this;
        }

        public String get(String name) {
            int i = indexOf(name);
            return i >= 0 ? values[i] : null;
        }

        public Labels build() {
            if (size == 0) {
                return EMPTY;
            }
            return new Labels(Arrays.copyOf(names, size), Arrays.copyOf(values, size));
        }

        /** The index of {@code name}, or {@code -(insertion point) - 1}; a name after the last is found at once. */
        private int indexOf(String name) {
            if (size == 0 || names[size - 1].compareTo(name) < 0) {
                return -size - 1;
            }
            return Arrays.binarySearch(names, 0, size, name);
        }
    }
}
