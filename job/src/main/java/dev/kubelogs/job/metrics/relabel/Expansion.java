package dev.kubelogs.job.metrics.relabel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * A replacement template ({@code replacement}, a {@code target_label} with {@code $}) parsed once, expanded as Go's
 * {@code regexp.Expand}: {@code $name} takes the longest run of letters, digits and {@code _} ({@code $1x} is the
 * group named {@code 1x}, not group 1 then {@code x}); {@code ${name}} delimits it; a number is a group index (no
 * leading zero); {@code $$} is a literal {@code $}; a malformed {@code $} is kept as text; a group that does not
 * exist or did not take part in the match expands to nothing.
 */
final class Expansion {
    private static final int NOT_A_GROUP = -1;

    /** Literal text at even positions; group numbers (or {@link #NOT_A_GROUP}) between them. */
    private final String[] literals;

    private final int[] groups;
    private final String template;

    private Expansion(String template, String[] literals, int[] groups) {
        this.template = template;
        this.literals = literals;
        this.groups = groups;
    }

    static Expansion parse(String template, Re2Regex regex) {
        List<String> literals = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$') {
                text.append(c);
                i++;
                continue;
            }
            if (i + 1 < template.length() && template.charAt(i + 1) == '$') {
                text.append('$');
                i += 2;
                continue;
            }
            int[] ref = reference(template, i + 1);
            if (ref == null) {
                text.append('$');
                i++;
                continue;
            }
            String name = template.substring(ref[0], ref[1]);
            literals.add(text.toString());
            text.setLength(0);
            groups.add(groupOf(name, regex));
            i = ref[2];
        }
        literals.add(text.toString());
        return new Expansion(
                template,
                literals.toArray(new String[0]),
                groups.stream().mapToInt(Integer::intValue).toArray());
    }

    /** {name start, name end, end of the reference}, or null when malformed. */
    private static int[] reference(String t, int at) {
        if (at >= t.length()) {
            return null;
        }
        boolean brace = t.charAt(at) == '{';
        int start = brace ? at + 1 : at;
        int end = start;
        while (end < t.length()) {
            int cp = t.codePointAt(end);
            if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
                break;
            }
            end += Character.charCount(cp);
        }
        if (end == start) {
            return null;
        }
        if (brace) {
            if (end >= t.length() || t.charAt(end) != '}') {
                return null;
            }
            return new int[] {start, end, end + 1};
        }
        return new int[] {start, end, end};
    }

    private static int groupOf(String name, Re2Regex regex) {
        long num = 0;
        for (int k = 0; k < name.length(); k++) {
            char d = name.charAt(k);
            if (d < '0' || d > '9' || num >= 100_000_000) {
                num = -1;
                break;
            }
            num = num * 10 + (d - '0');
        }
        if (name.charAt(0) == '0' && name.length() > 1) {
            num = -1;
        }
        if (num >= 0) {
            return (int) num;
        }
        int named = regex.groupIndex(name);
        return named >= 0 ? named : NOT_A_GROUP;
    }

    /** True when the template has no group reference: its value is {@link #literal()}. */
    boolean isLiteral() {
        return groups.length == 0;
    }

    String literal() {
        return literals[0];
    }

    String template() {
        return template;
    }

    /** Appends the expansion for {@code matcher}'s last match over {@code input} to {@code out}. */
    void appendTo(StringBuilder out, Matcher matcher, CharSequence input) {
        out.append(literals[0]);
        for (int k = 0; k < groups.length; k++) {
            int g = groups[k];
            if (g != NOT_A_GROUP && g <= matcher.groupCount()) {
                int s = matcher.start(g);
                if (s >= 0) {
                    out.append(input, s, matcher.end(g));
                }
            }
            out.append(literals[k + 1]);
        }
    }
}
