package dev.kubelogs.cwlocal;

/**
 * Holds the end that a stream's consecutive messages share once (a container's {@code kubernetes} block, a host
 * record's {@code az}/{@code ec2_instance_id}), so a stored event keeps only the bytes of its own: a long run at
 * tens of thousands of events a second fits in the endpoint's heap. Guarded by the stream's monitor.
 */
final class MessageTails {
    /** Shorter common ends are not worth a shared object. */
    static final int MIN_SHARED_CHARS = 48;

    private String tail;
    /** The last message that did not end with {@link #tail}: a new tail is looked for against it. */
    private String previous;

    /** The shared end {@code message} has, or null; the event keeps the message without it. */
    String tailOf(String message) {
        String t = tail;
        if (t != null && message.endsWith(t)) {
            return t;
        }
        String p = previous;
        previous = message;
        if (p == null) {
            return null;
        }
        int cut = keyBoundary(message, message.length() - commonEndLength(p, message));
        if (cut < 0 || message.length() - cut < MIN_SHARED_CHARS) {
            return null;
        }
        tail = message.substring(cut);
        previous = null;
        return tail;
    }

    /**
     * The first {@code ,"} (the start of a JSON key) at or after {@code from}: consecutive events differ just before
     * their common end (the last digits of a time), so a tail cut there would not be shared by the next event.
     */
    private static int keyBoundary(String message, int from) {
        return message.indexOf(",\"", from);
    }

    private static int commonEndLength(String a, String b) {
        int i = a.length();
        int j = b.length();
        while (i > 0 && j > 0 && a.charAt(i - 1) == b.charAt(j - 1)) {
            i--;
            j--;
        }
        return b.length() - j;
    }
}
