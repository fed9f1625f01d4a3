package dev.kubelogs.job.parse;

import java.util.Random;

/**
 * Random JSON text for differential tests of the job's streaming reads against Jackson's tree: escapes of every kind
 * (escaped surrogates paired and alone), raw non-ASCII and control characters, numbers Fluent Bit writes its own way,
 * nested values, keys from a small set so that some repeat, odd blanks, and now and then broken text.
 */
public final class TrickyJsonText {
    private static final String[] KEYS = {"log", "msg", "level", "a", "n", "o", "stream", "time", "é", "k\\\"q"};
    private static final String[] NUMBERS = {
        "0",
        "-0",
        "1",
        "-1",
        "42",
        "2147483648",
        "-9223372036854775808",
        "9223372036854775807",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "0.5",
        "-0.0",
        "1.0",
        "1.10",
        "0.30000000000000004",
        "1e5",
        "1E5",
        "1e-5",
        "1.5e+300",
        "1e400",
        "-1e-400",
        "12345678.5",
        "1E+2"
    };
    private static final String[] STRING_PIECES = {
        "plain text",
        " ",
        "\\n",
        "\\r",
        "\\t",
        "\\\"",
        "\\\\",
        "\\/",
        "\\b",
        "\\f",
        "\\u00e9",
        "\\u00E9",
        "\\u0001",
        "\\u007f",
        "\\u2028",
        "\\ud83d\\ude00",
        "\\ud83d",
        "\\ude00",
        "\\uD83D\\uDE00",
        "é",
        "😀",
        "中文",
        "\\\\ud83d",
        "\\\\n",
        "\u007f",
        "\u0001",
        "{\\\"inner\\\":1}",
        "\\n\\n",
        "\\r\\n"
    };

    private final Random random;

    public TrickyJsonText(Random random) {
        this.random = random;
    }

    /** A JSON object, or with a small chance text that is not one. */
    public String objectOrNot() {
        String object = object(0);
        switch (random.nextInt(25)) {
            case 0:
                return object.substring(0, random.nextInt(object.length()));
            case 1:
                return object + " trailing";
            case 2:
                return object + "{}";
            case 3:
                return "[" + object + "]";
            case 4:
                return "{}";
            case 5:
                return object.replace(":", " ");
            case 6:
                return object.replaceFirst("\"", "");
            default:
                return blanks() + object + blanks();
        }
    }

    public String object(int depth) {
        StringBuilder out = new StringBuilder("{");
        int members = random.nextInt(depth == 0 ? 6 : 3) + (depth == 0 ? 1 : 0);
        for (int i = 0; i < members; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(blanks()).append(key()).append(blanks()).append(':').append(blanks());
            out.append(value(depth + 1)).append(blanks());
        }
        return out.append('}').toString();
    }

    public String key() {
        return random.nextInt(8) == 0 ? string() : "\"" + KEYS[random.nextInt(KEYS.length)] + "\"";
    }

    public String value(int depth) {
        int kind = random.nextInt(depth > 3 ? 6 : 9);
        switch (kind) {
            case 0:
            case 1:
            case 2:
                return string();
            case 3:
                return NUMBERS[random.nextInt(NUMBERS.length)];
            case 4:
                return random.nextBoolean() ? "true" : "false";
            case 5:
                return "null";
            case 6:
            case 7:
                return object(depth);
            default:
                StringBuilder array = new StringBuilder("[");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    array.append(i > 0 ? "," : "").append(value(depth + 1));
                }
                return array.append(']').toString();
        }
    }

    /** A JSON string literal, quotes included. */
    public String string() {
        StringBuilder out = new StringBuilder("\"");
        int pieces = random.nextInt(6);
        for (int i = 0; i < pieces; i++) {
            out.append(STRING_PIECES[random.nextInt(STRING_PIECES.length)]);
        }
        if (random.nextInt(3) == 0) {
            out.append(random.nextBoolean() ? "\\n" : "\\\\n");
        }
        return out.append('"').toString();
    }

    /** Blanks a JSON reader skips, mostly none. */
    public String blanks() {
        return random.nextInt(6) != 0 ? "" : new String[] {" ", "\n", "\t", "\r\n", "  "}[random.nextInt(5)];
    }
}
