package dev.kubelogs.collector.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Rejects setting names the collector does not know, so that a misspelt key ({@code read.haed: On}) is an error
 * naming it rather than a setting silently left at its default.
 */
public final class UnknownKeys {

    private UnknownKeys() {}

    /**
     * Throws if any of {@code given} is not in {@code known}: one message naming every unknown key and, where one is
     * close, the known key it was probably meant to be.
     *
     * @param where where the keys came from, e.g. {@code "config file /etc/kubelogs/cluster-info"}
     */
    public static void reject(Collection<String> given, Collection<String> known, String where) {
        List<String> problems = new ArrayList<>();
        for (String key : given) {
            if (!known.contains(key)) {
                String near = closest(key, known);
                problems.add("'" + key + "'" + (near == null ? "" : " (did you mean '" + near + "'?)"));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("unknown setting" + (problems.size() == 1 ? " " : "s ")
                    + String.join(", ", problems) + " in " + where);
        }
    }

    /** The known key nearest to {@code key} (case-insensitive edit distance), or null if none is close. */
    static String closest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String k = key.toLowerCase(Locale.ROOT);
        for (String candidate : known) {
            int d = distance(k, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
