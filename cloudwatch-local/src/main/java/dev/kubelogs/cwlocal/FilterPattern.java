package dev.kubelogs.cwlocal;

import java.util.ArrayList;
import java.util.List;

/**
 * The subset of the CloudWatch Logs filter pattern syntax for unstructured events that the local endpoint
 * understands: terms separated by spaces, each a bare word or a double-quoted phrase, matched as case-sensitive
 * substrings of the message.
 * <ul>
 *   <li>{@code ERROR Exception} — every term must occur;</li>
 *   <li>{@code ERROR -Retrying} — a term prefixed with '-' must not occur;</li>
 *   <li>{@code ?ERROR ?WARN} — when every term is prefixed with '?', any one of them must occur;</li>
 *   <li>the empty pattern matches everything.</li>
 * </ul>
 * JSON ({@code { ... }}), space-delimited ({@code [ ... ]}) and regular-expression ({@code %...%}) patterns
 * are refused with InvalidParameterException rather than answered wrongly.
 */
final class FilterPattern {
    private static final FilterPattern ALL = new FilterPattern(List.of(), List.of(), List.of());

    private final List<String> required;
    private final List<String> excluded;
    private final List<String> anyOf;

    private FilterPattern(List<String> required, List<String> excluded, List<String> anyOf) {
        this.required = required;
        this.excluded = excluded;
        this.anyOf = anyOf;
    }

    static FilterPattern compile(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return ALL;
        }
        String p = pattern.strip();
        if (p.startsWith("{") || p.startsWith("[") || p.startsWith("%")) {
            throw unsupported(pattern);
        }
        List<String> required = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        List<String> anyOf = new ArrayList<>();
        int i = 0;
        int n = p.length();
        while (i < n) {
            char c = p.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            char prefix = 0;
            if ((c == '-' || c == '?') && i + 1 < n && p.charAt(i + 1) != ' ' && p.charAt(i + 1) != '\t') {
                prefix = c;
                i++;
            }
            String term;
            if (p.charAt(i) == '"') {
                StringBuilder b = new StringBuilder();
                int j = i + 1;
                while (j < n && p.charAt(j) != '"') {
                    if (p.charAt(j) == '\\' && j + 1 < n) {
                        j++;
                    }
                    b.append(p.charAt(j++));
                }
                if (j >= n) {
                    throw ApiException.invalidParameter("Invalid filter pattern (unbalanced quotes): " + pattern);
                }
                term = b.toString();
                i = j + 1;
            } else {
                int j = i;
                while (j < n && p.charAt(j) != ' ' && p.charAt(j) != '\t') {
                    j++;
                }
                term = p.substring(i, j);
                if (term.indexOf('"') >= 0 || term.indexOf('%') == 0) {
                    throw unsupported(pattern);
                }
                i = j;
            }
            switch (prefix) {
                case '-' -> excluded.add(term);
                case '?' -> anyOf.add(term);
                default -> required.add(term);
            }
        }
        if (!anyOf.isEmpty() && (!required.isEmpty() || !excluded.isEmpty())) {
            throw unsupported(pattern);
        }
        return new FilterPattern(List.copyOf(required), List.copyOf(excluded), List.copyOf(anyOf));
    }

    boolean matches(String message) {
        for (String t : required) {
            if (!message.contains(t)) {
                return false;
            }
        }
        for (String t : excluded) {
            if (message.contains(t)) {
                return false;
            }
        }
        if (anyOf.isEmpty()) {
            return true;
        }
        for (String t : anyOf) {
            if (message.contains(t)) {
                return true;
            }
        }
        return false;
    }

    private static ApiException unsupported(String pattern) {
        return ApiException.invalidParameter("The local endpoint supports only term filter patterns"
                + " (words, \"phrases\", -exclusions, or only ?alternatives): " + pattern);
    }
}
