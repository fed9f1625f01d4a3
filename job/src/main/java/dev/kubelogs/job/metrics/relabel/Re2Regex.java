package dev.kubelogs.job.metrics.relabel;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression written in Go's RE2 syntax (what Prometheus and the CloudWatch agent use), compiled to
 * {@link java.util.regex}. The two agree on the syntax these configs use; where they read the same text differently
 * the expression is rewritten so Java means what Go means, or rejected when there is no faithful rewrite:
 *
 * <ul>
 *   <li>{@code (?P<name>re)} and {@code (?<name>re)}: Go names may hold {@code _} (Java's may not), so named groups
 *       become plain groups (same numbering) and the names are kept here for {@code ${name}} expansion;
 *   <li>inside {@code [...]}: POSIX classes {@code [:alpha:]} become {@code \p{Alpha}}, a literal {@code [} and
 *       {@code &} are escaped (Java would nest or intersect classes), a leading {@code ]} is a literal;
 *   <li>a {@code {} that does not start a repetition is a literal in Go and an error in Java: it is escaped;
 *   <li>{@code $} outside multi-line mode is the end of the text in Go ({@code \z}), while Java also matches before a
 *       final line break: it becomes {@code \z} (left alone when the expression sets the {@code m} flag anywhere);
 *   <li>{@code .} excludes only {@code \n} (UNIX_LINES) and {@code (?i)} folds Unicode case (UNICODE_CASE), as in Go;
 *   <li>{@code \s}/{@code \S} become Go's set ({@code \t \n \f \r} and space: Java adds {@code \x0B}), {@code \v} is
 *       the vertical tab (in Java a class of vertical space), and {@code \b}/{@code \B} are boundaries of ASCII word
 *       characters (Java 17 counts every letter and digit);
 *   <li>rejected: the {@code U} (ungreedy) flag, which Java reads as Unicode classes; {@code \1}..{@code \9}, a
 *       back-reference in Java and not one in Go; {@code \C}.
 * </ul>
 * Constructs Java knows and RE2 does not (look-around, possessive quantifiers) are left to Java: a config Prometheus
 * would refuse then works here, which changes nothing for configs Prometheus accepts.
 */
public final class Re2Regex {
    private static final int FLAGS = Pattern.UNIX_LINES | Pattern.UNICODE_CASE;
    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alnum", "Alnum"),
            Map.entry("alpha", "Alpha"),
            Map.entry("ascii", "ASCII"),
            Map.entry("blank", "Blank"),
            Map.entry("cntrl", "Cntrl"),
            Map.entry("digit", "Digit"),
            Map.entry("graph", "Graph"),
            Map.entry("lower", "Lower"),
            Map.entry("print", "Print"),
            Map.entry("punct", "Punct"),
            Map.entry("space", "Space"),
            Map.entry("upper", "Upper"),
            Map.entry("xdigit", "XDigit"));

    /** Go's {@code \s} is {@code [\t\n\f\r ]}: Java's also holds {@code \x0B}. */
    private static final String GO_SPACE = "\\t\\n\\f\\r ";
    /** The code points outside {@link #GO_SPACE}, as ranges usable inside a class. */
    private static final String GO_NOT_SPACE = "\\x00-\\x08\\x0B\\x0E-\\x1F\\x21-\\x{10FFFF}";
    /** Go's {@code \b} is a boundary of ASCII word characters; Java 17's also counts other letters and digits. */
    private static final String GO_BOUNDARY = "(?:(?<=\\w)(?!\\w)|(?<!\\w)(?=\\w))";

    private static final String GO_NOT_BOUNDARY = "(?:(?<=\\w)(?=\\w)|(?<!\\w)(?!\\w))";
    /** Escapes Java reads differently, rewritten outside a class. */
    private static final Map<Character, String> OUTSIDE_CLASS = Map.of(
            's',
            "[" + GO_SPACE + "]",
            'S',
            "[^" + GO_SPACE + "]",
            'v',
            "\\x0B",
            'b',
            GO_BOUNDARY,
            'B',
            GO_NOT_BOUNDARY);
    /** The same inside a class ({@code \b} has no meaning there in Go, so Java's error stands). */
    private static final Map<Character, String> IN_CLASS = Map.of('s', GO_SPACE, 'S', GO_NOT_SPACE, 'v', "\\x0B");

    private final String source;
    private final Pattern pattern;
    private final Map<String, Integer> groupNames;

    private Re2Regex(String source, Pattern pattern, Map<String, Integer> groupNames) {
        this.source = source;
        this.pattern = pattern;
        this.groupNames = groupNames;
    }

    /** Compiles {@code re2} as written (unanchored, for {@code find()}). */
    public static Re2Regex compile(String re2) {
        return compile(re2, false);
    }

    /**
     * Compiles {@code re2} the way Prometheus compiles relabel regexes, {@code ^(?s:re2)$}: use it with
     * {@link java.util.regex.Matcher#matches()}.
     */
    public static Re2Regex compileAnchored(String re2) {
        return compile(re2, true);
    }

    private static Re2Regex compile(String re2, boolean anchored) {
        Translator t = new Translator(re2, false);
        String java = t.run();
        if (t.multiline) {
            t = new Translator(re2, true);
            java = t.run();
        }
        String full = anchored ? "(?s:" + java + ")" : java;
        return new Re2Regex(re2, Pattern.compile(full, FLAGS), Collections.unmodifiableMap(t.names));
    }

    /** The expression as written in the config. */
    public String source() {
        return source;
    }

    public Pattern pattern() {
        return pattern;
    }

    /** The number of the group called {@code name}, or -1 when there is none. */
    public int groupIndex(String name) {
        Integer i = groupNames.get(name);
        return i == null ? -1 : i;
    }

    @Override
    public String toString() {
        return source;
    }

    private static final class Translator {
        private final String re;
        private final boolean keepDollar;
        private final StringBuilder out = new StringBuilder();
        private final Map<String, Integer> names = new HashMap<>();
        private int groups;
        private int i;
        boolean multiline;

        Translator(String re, boolean keepDollar) {
            this.re = re;
            this.keepDollar = keepDollar;
        }

        String run() {
            while (i < re.length()) {
                char c = re.charAt(i);
                switch (c) {
                    case '\\':
                        escape(false);
                        break;
                    case '[':
                        characterClass();
                        break;
                    case '(':
                        group();
                        break;
                    case '{':
                        int end = repetitionEnd(i);
                        if (end < 0) {
                            out.append("\\{");
                            i++;
                        } else {
                            out.append(re, i, end);
                            i = end;
                        }
                        break;
                    case '$':
                        out.append(keepDollar ? "$" : "\\z");
                        i++;
                        break;
                    default:
                        out.append(c);
                        i++;
                }
            }
            return out.toString();
        }

        private void escape(boolean inClass) {
            if (i + 1 >= re.length()) {
                throw error("trailing backslash");
            }
            char d = re.charAt(i + 1);
            if (d >= '1' && d <= '9') {
                throw error("\\" + d + " is a back-reference in Java and has no meaning in RE2");
            }
            if (d == 'C') {
                throw error("\\C (any byte) is not supported");
            }
            if (d == 'Q' && !inClass) {
                int end = re.indexOf("\\E", i + 2);
                int stop = end < 0 ? re.length() : end + 2;
                out.append(re, i, stop);
                i = stop;
                return;
            }
            if ((d == 'p' || d == 'P' || d == 'x') && i + 2 < re.length() && re.charAt(i + 2) == '{') {
                int close = re.indexOf('}', i + 3);
                int stop = close < 0 ? re.length() : close + 1;
                out.append(re, i, stop);
                i = stop;
                return;
            }
            String rewritten = inClass ? IN_CLASS.get(d) : OUTSIDE_CLASS.get(d);
            out.append(rewritten != null ? rewritten : re.substring(i, i + 2));
            i += 2;
        }

        private void characterClass() {
            out.append('[');
            i++;
            if (i < re.length() && re.charAt(i) == '^') {
                out.append('^');
                i++;
            }
            if (i < re.length() && re.charAt(i) == ']') {
                out.append("\\]");
                i++;
            }
            while (i < re.length()) {
                char c = re.charAt(i);
                if (c == ']') {
                    out.append(']');
                    i++;
                    return;
                } else if (c == '\\') {
                    escape(true);
                } else if (c == '[' && re.startsWith("[:", i)) {
                    posixClass();
                } else if (c == '[' || c == '&') {
                    out.append('\\').append(c);
                    i++;
                } else {
                    out.append(c);
                    i++;
                }
            }
            // unterminated: Java reports it
        }

        private void posixClass() {
            int close = re.indexOf(":]", i + 2);
            if (close < 0) {
                throw error("unterminated POSIX class");
            }
            String name = re.substring(i + 2, close);
            boolean negated = name.startsWith("^");
            if (negated) {
                name = name.substring(1);
            }
            if (name.equals("word")) {
                out.append(negated ? "\\W" : "\\w");
            } else {
                String java = POSIX.get(name);
                if (java == null) {
                    throw error("unknown POSIX class [:" + name + ":]");
                }
                out.append(negated ? "\\P{" : "\\p{").append(java).append('}');
            }
            i = close + 2;
        }

        private void group() {
            if (!re.startsWith("(?", i)) {
                groups++;
                out.append('(');
                i++;
                return;
            }
            int nameStart = re.startsWith("(?P<", i)
                    ? i + 4
                    : re.startsWith("(?<", i) && !re.startsWith("(?<=", i) && !re.startsWith("(?<!", i) ? i + 3 : -1;
            if (nameStart > 0) {
                int close = re.indexOf('>', nameStart);
                if (close < 0) {
                    throw error("unterminated group name");
                }
                String name = re.substring(nameStart, close);
                if (name.isEmpty() || !name.chars().allMatch(ch -> ch == '_' || Character.isLetterOrDigit(ch))) {
                    throw error("invalid group name '" + name + "'");
                }
                groups++;
                if (names.put(name, groups) != null) {
                    throw error("duplicate group name '" + name + "'");
                }
                out.append('(');
                i = close + 1;
                return;
            }
            int j = i + 2;
            while (j < re.length() && Character.isLetter(re.charAt(j)) || j < re.length() && re.charAt(j) == '-') {
                char f = re.charAt(j);
                if (f == 'U') {
                    throw error("flag U (ungreedy) is not supported");
                }
                if (f == 'm') {
                    multiline = true;
                }
                j++;
            }
            out.append(re, i, j);
            i = j;
        }

        /** The end (exclusive) of a repetition {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code at}, or -1. */
        private int repetitionEnd(int at) {
            int j = at + 1;
            int digits = j;
            while (j < re.length() && isAsciiDigit(re.charAt(j))) {
                j++;
            }
            if (j == digits) {
                return -1;
            }
            if (j < re.length() && re.charAt(j) == ',') {
                j++;
                while (j < re.length() && isAsciiDigit(re.charAt(j))) {
                    j++;
                }
            }
            return j < re.length() && re.charAt(j) == '}' ? j + 1 : -1;
        }

        private static boolean isAsciiDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private PatternSyntaxException error(String reason) {
            return new PatternSyntaxException(reason, re, i);
        }
    }
}
