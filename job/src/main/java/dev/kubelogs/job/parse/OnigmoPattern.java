package dev.kubelogs.job.parse;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A parser regex as Fluent Bit compiles it (src/flb_regex.c str_to_regex: Onigmo, Ruby syntax, UTF-8), rewritten
 * for {@link java.util.regex}, with its named groups in the order Onigmo reports them (first appearance).
 *
 * <p>What differs between the two and how it is bridged:
 *
 * <ul>
 *   <li>{@code /pattern/imx} (check_option): the slashes are stripped and the letters become options, {@code m}
 *       being Ruby's dot-matches-newline ({@link Pattern#DOTALL}); {@code /pattern/} is the pattern alone.
 *   <li>In Ruby {@code ^} and {@code $} are always line anchors and only {@code \n} ends a line: {@link
 *       Pattern#MULTILINE} and {@link Pattern#UNIX_LINES} (then {@code .} also stops only at {@code \n}).
 *   <li>Group names may have underscores or start with one ({@code _p}, {@code docker_id}); Java's may not, so
 *       groups are renamed {@code g1, g2, ...} and {@code \k<name>} follows them. Unnamed groups do not capture in
 *       Ruby once a named one exists, so they become {@code (?:...)}.
 *   <li>{@code \h} is a hex digit in Ruby, horizontal space in Java; {@code \v} is the vertical tab in Ruby, any
 *       vertical space in Java; inline {@code (?m)} is Ruby's dot-all ({@code (?s)} in Java); {@code (?i)} folds
 *       case over Unicode ({@code (?iu)}); {@code (?#...)} comments are dropped; {@code {,n}} is {@code {0,n}}; a
 *       {@code {} that starts no interval is a literal.
 *   <li>{@code \d}, {@code \s}, {@code \w} are ASCII in both. {@code \b} follows Unicode word characters in Ruby,
 *       Java 17's follows {@link Character#isLetterOrDigit}: they differ only around non-letter word characters
 *       such as combining marks.
 *   <li>Java has none of Onigmo's {@code \K}, {@code \g<name>} calls, absent operator {@code (?~...)},
 *       conditionals {@code (?(cond)...)}, POSIX brackets {@code [[:alpha:]]} or options {@code (?adlu)}: those are
 *       an error naming them, as are numbered back references (Onigmo refuses them next to named groups), a name
 *       used twice and a pattern without named groups (its matches would carry no field).
 * </ul>
 */
public final class OnigmoPattern implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final Pattern pattern;
    private final List<String> names;

    private OnigmoPattern(String source, Pattern pattern, List<String> names) {
        this.source = source;
        this.pattern = pattern;
        this.names = List.copyOf(names);
    }

    /** The regex as written in a [PARSER] section; an IllegalArgumentException naming what Java cannot do. */
    public static OnigmoPattern compile(String regex) {
        int flags = Pattern.MULTILINE | Pattern.UNIX_LINES;
        String body = regex;
        int len = regex.length();
        String options = slashOptions(regex);
        if (len > 1 && regex.charAt(0) == '/' && regex.charAt(len - 1) == '/') {
            body = regex.substring(1, len - 1);
        } else if (options != null) {
            body = regex.substring(1, regex.lastIndexOf('/'));
        }
        if (options != null) {
            for (char c : options.toCharArray()) {
                if (c == 'i') {
                    flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                } else if (c == 'm') {
                    flags |= Pattern.DOTALL;
                } else if (c == 'x') {
                    flags |= Pattern.COMMENTS;
                }
            }
        }
        List<String> names = new ArrayList<>();
        String java = new Converter(body, names).convert();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("regex has no named group (?<name>...), so a match gives no field");
        }
        try {
            return new OnigmoPattern(regex, Pattern.compile(java, flags), names);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("regex does not compile: " + e.getDescription(), e);
        }
    }

    /**
     * The option letters of {@code /pattern/opts} as flb_regex.c check_option accepts them (any of i, m, o, x; o
     * ignored; anything else and the pattern is taken whole), or null.
     */
    private static String slashOptions(String regex) {
        if (regex.isEmpty() || regex.charAt(0) != '/') {
            return null;
        }
        int last = regex.lastIndexOf('/');
        if (last == 0) {
            return null;
        }
        String letters = regex.substring(last + 1);
        boolean any = false;
        for (char c : letters.toCharArray()) {
            if (c != 'i' && c != 'm' && c != 'o' && c != 'x') {
                return null;
            }
            any |= c != 'o';
        }
        return any ? letters : null;
    }

    /** The named groups in the order Fluent Bit packs them. */
    public List<String> names() {
        return names;
    }

    /** The regex as written. */
    public String source() {
        return source;
    }

    /**
     * Searches {@code text} as onig_search does (the leftmost match anywhere); null when nothing matches, else each
     * named group's text in {@link #names()} order, "" for a group that took no part in the match.
     */
    public List<String> search(CharSequence text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return null;
        }
        List<String> values = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            String v = m.group("g" + (i + 1));
            values.add(v == null ? "" : v);
        }
        return values;
    }

    /** The Java form, for tests. */
    String javaPattern() {
        return pattern.pattern();
    }

    /** One pass over an Onigmo pattern, writing its Java form. */
    private static final class Converter {
        private static final Pattern INTERVAL = Pattern.compile("\\{(\\d*)(,(\\d*))?}");
        private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

        private final String in;
        private final List<String> names;
        private final Map<String, String> javaNames = new HashMap<>();
        private final StringBuilder out = new StringBuilder();
        private int i;

        Converter(String in, List<String> names) {
            this.in = in;
            this.names = names;
        }

        String convert() {
            collectNames();
            while (i < in.length()) {
                char c = in.charAt(i);
                if (c == '\\') {
                    escape(false);
                } else if (c == '[') {
                    charClass();
                } else if (c == '(') {
                    group();
                } else if (c == '{') {
                    interval();
                } else {
                    out.append(c);
                    i++;
                }
            }
            return out.toString();
        }

        /** Names first, so that a back reference may come before the group it names, as Onigmo allows. */
        private void collectNames() {
            for (int k = 0; k < in.length(); k++) {
                char c = in.charAt(k);
                if (c == '\\') {
                    k++;
                } else if (c == '(' && in.startsWith("(?", k)) {
                    String name = groupName(k + 2);
                    if (name != null) {
                        if (javaNames.containsKey(name)) {
                            throw new IllegalArgumentException("regex names group '" + name + "' twice");
                        }
                        names.add(name);
                        javaNames.put(name, "g" + names.size());
                    }
                }
            }
        }

        /** The name of a group whose {@code (?} ends just before {@code at}, or null when it is not a named group. */
        private String groupName(int at) {
            if (at >= in.length()) {
                return null;
            }
            char open = in.charAt(at);
            char close = open == '<' ? '>' : open == '\'' ? '\'' : 0;
            if (close == 0 || at + 1 >= in.length() || in.charAt(at + 1) == '=' || in.charAt(at + 1) == '!') {
                return null;
            }
            int end = in.indexOf(close, at + 1);
            if (end < 0) {
                throw new IllegalArgumentException("regex has an unterminated group name at " + at);
            }
            String name = in.substring(at + 1, end);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("regex group name '" + name + "' is not a word");
            }
            return name;
        }

        private void escape(boolean inClass) {
            if (i + 1 >= in.length()) {
                throw new IllegalArgumentException("regex ends with a backslash");
            }
            char e = in.charAt(i + 1);
            switch (e) {
                case 'h' -> out.append(inClass ? "0-9a-fA-F" : "[0-9a-fA-F]");
                case 'H' -> out.append("[^0-9a-fA-F]");
                case 'v' -> out.append("\\x0B");
                case 'K' -> throw unsupported("\\K");
                case 'g' -> throw unsupported("\\g subexpression calls");
                case 'k' -> {
                    if (inClass) {
                        out.append("\\k");
                    } else {
                        backReference();
                        return;
                    }
                }
                default -> {
                    if (e >= '1' && e <= '9' && !inClass) {
                        throw unsupported("numbered back references (\\" + e + ") next to named groups");
                    }
                    out.append('\\').append(e);
                }
            }
            i += 2;
        }

        private void backReference() {
            int at = i + 2;
            char open = at < in.length() ? in.charAt(at) : 0;
            char close = open == '<' ? '>' : open == '\'' ? '\'' : 0;
            int end = close == 0 ? -1 : in.indexOf(close, at + 1);
            if (end < 0) {
                throw new IllegalArgumentException("regex has a \\k without a <name>");
            }
            String name = in.substring(at + 1, end);
            String javaName = javaNames.get(name);
            if (javaName == null) {
                throw new IllegalArgumentException("regex refers to group '" + name + "', which it does not define");
            }
            out.append("\\k<").append(javaName).append('>');
            i = end + 1;
        }

        private void charClass() {
            out.append('[');
            i++;
            if (i < in.length() && in.charAt(i) == '^') {
                out.append('^');
                i++;
            }
            // a ']' first in a class is a literal in Onigmo
            if (i < in.length() && in.charAt(i) == ']') {
                out.append("\\]");
                i++;
            }
            while (i < in.length()) {
                char c = in.charAt(i);
                if (c == '\\') {
                    escape(true);
                } else if (c == '[') {
                    if (in.startsWith("[:", i)) {
                        throw unsupported("POSIX bracket expressions such as [[:alpha:]]");
                    }
                    charClass();
                } else if (c == ']') {
                    out.append(']');
                    i++;
                    return;
                } else {
                    out.append(c);
                    i++;
                }
            }
            throw new IllegalArgumentException("regex has an unterminated character class");
        }

        private void group() {
            if (!in.startsWith("(?", i)) {
                out.append("(?:");
                i++;
                return;
            }
            String name = groupName(i + 2);
            if (name != null) {
                out.append("(?<").append(javaNames.get(name)).append('>');
                i = in.indexOf(in.charAt(i + 2) == '<' ? '>' : '\'', i + 3) + 1;
                return;
            }
            char kind = i + 2 < in.length() ? in.charAt(i + 2) : 0;
            switch (kind) {
                case ':', '=', '!', '>', '<' -> {
                    out.append("(?").append(kind);
                    i += 3;
                }
                case '#' -> {
                    int end = in.indexOf(')', i);
                    if (end < 0) {
                        throw new IllegalArgumentException("regex has an unterminated (?# comment");
                    }
                    i = end + 1;
                }
                case '~' -> throw unsupported("the absent operator (?~...)");
                case '(' -> throw unsupported("conditionals (?(cond)...)");
                default -> inlineOptions();
            }
        }

        /** {@code (?imx-imx)} or {@code (?imx-imx:...)}, with Ruby's m as Java's s and i folding Unicode case. */
        private void inlineOptions() {
            int k = i + 2;
            StringBuilder options = new StringBuilder("(?");
            while (k < in.length() && in.charAt(k) != ')' && in.charAt(k) != ':') {
                char c = in.charAt(k);
                switch (c) {
                    case 'i' -> options.append("iu");
                    case 'm' -> options.append('s');
                    case 'x', '-' -> options.append(c);
                    default -> throw unsupported("the inline option '" + c + "'");
                }
                k++;
            }
            if (k >= in.length()) {
                throw new IllegalArgumentException("regex has an unterminated (? group");
            }
            out.append(options).append(in.charAt(k));
            i = k + 1;
        }

        /** {@code {n}}, {@code {n,}}, {@code {n,m}} and {@code {,m}} are intervals; any other brace is a literal. */
        private void interval() {
            Matcher m = INTERVAL.matcher(in).region(i, in.length());
            if (m.lookingAt()
                    && !(m.group(1).isEmpty()
                            && (m.group(2) == null || m.group(3).isEmpty()))) {
                out.append('{')
                        .append(m.group(1).isEmpty() ? "0" : m.group(1))
                        .append(m.group(2) == null ? "" : m.group(2))
                        .append('}');
                i = m.end();
            } else {
                out.append("\\{");
                i++;
            }
        }

        private static IllegalArgumentException unsupported(String what) {
            return new IllegalArgumentException("regex uses " + what + ", which Java's regex engine does not have");
        }
    }
}
