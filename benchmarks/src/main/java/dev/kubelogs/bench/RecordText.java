package dev.kubelogs.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The text of generated records: each source format's line, the pieces of a stack trace, the {@code kl=} token and
 * the filler that brings a line to its drawn size. Times are those of the current tick, formatted once per tick
 * (syslog and access-log times once per second), so writing a line formats no date.
 */
final class RecordText {
    private static final DateTimeFormatter SYSLOG_TIME =
            DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter KLOG_TIME =
            DateTimeFormatter.ofPattern("MMdd HH:mm:ss.SSS000", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern(
                    "dd/MMM/yyyy:HH:mm:ss +0000", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final String FILLER;

    static {
        StringBuilder b = new StringBuilder(2 * LineSizes.MAX);
        SplittableRandom r = new SplittableRandom(42);
        String words = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        while (b.length() < 2 * LineSizes.MAX) {
            int w = 3 + r.nextInt(9);
            for (int i = 0; i < w; i++) {
                b.append(words.charAt(r.nextInt(words.length())));
            }
            b.append(' ');
        }
        FILLER = b.toString();
    }

    private long tickMillis = -1;
    private String iso;
    private String syslogTime;
    private String klogTime;
    private String clfTime;
    private long tickSecond = -1;

    /** Sets the time of the records that follow. */
    void tick(long millis) {
        if (millis == tickMillis) {
            return;
        }
        tickMillis = millis;
        Instant now = Instant.ofEpochMilli(millis);
        iso = DateTimeFormatter.ISO_INSTANT.format(now);
        klogTime = KLOG_TIME.format(now);
        long sec = millis / 1000;
        if (sec != tickSecond) {
            tickSecond = sec;
            syslogTime = SYSLOG_TIME.format(now);
            clfTime = CLF_TIME.format(now);
        }
    }

    long tickMillis() {
        return tickMillis;
    }

    /**
     * Appends one single-line record of a source, with its newline, of about {@code target} bytes.
     *
     * @param journalCursor the source's journal cursor (journal entries only)
     */
    void line(
            StringBuilder b,
            LoadGenerator.SourceSpec spec,
            int node,
            int source,
            String shortHost,
            long seq,
            int target,
            long journalCursor) {
        switch (spec.format()) {
            case DOCKER: {
                // an app that logs JSON: Merge_Log adds log_processed
                b.append("{\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"msg\\\":\\\"order created ");
                token(b, node, source, seq);
                b.append("\\\",\\\"orderId\\\":").append(seq).append(",\\\"pad\\\":\\\"");
                int tail = "\\\"}\\n\",\"stream\":\"stdout\",\"time\":\"\"}".length() + iso.length();
                filler(b, target - b.length() - tail);
                b.append("\\\"}\\n\",\"stream\":\"stdout\",\"time\":\"")
                        .append(iso)
                        .append("\"}");
                break;
            }
            case CRI: {
                b.append(iso).append(" stdout F ");
                body(b, spec.name(), node, source, seq);
                filler(b, target - b.length());
                break;
            }
            case SYSLOG: {
                b.append(syslogTime).append(' ').append(shortHost);
                if (spec.name().equals("secure")) {
                    b.append(" sshd[4242]: Accepted publickey for ec2-user from 10.0.0.7 port 40022 ssh2 ");
                } else {
                    b.append(" kubelet[3366]: I")
                            .append(klogTime)
                            .append(" 3366 kubelet_node_status.go:486] \"Recording event\" ");
                }
                token(b, node, source, seq);
                b.append(' ');
                filler(b, target - b.length());
                break;
            }
            case DMESG: {
                b.append('[')
                        .append(String.format(Locale.ROOT, "%6d.%06d", seq / 1000, (seq % 1000) * 1000))
                        .append("] ena 0000:00:05.0 eth0: Link is up ");
                token(b, node, source, seq);
                b.append(' ');
                filler(b, target - b.length());
                break;
            }
            case JOURNAL: {
                journal(b, node, source, shortHost, seq, target, journalCursor);
                break;
            }
            default:
                throw new IllegalStateException();
        }
        b.append('\n');
    }

    private void body(StringBuilder b, String name, int node, int source, long seq) {
        switch (name) {
            case "frontend":
                b.append("10.0.1.")
                        .append(seq % 250)
                        .append(" - - [")
                        .append(clfTime)
                        .append("] \"GET /api/orders/")
                        .append(seq % 100000)
                        .append(" HTTP/1.1\" 200 ")
                        .append(seq % 20000)
                        .append(" \"-\" \"Mozilla/5.0\" ");
                token(b, node, source, seq);
                b.append(' ');
                break;
            case "coredns":
                b.append("[INFO] 10.0.1.")
                        .append(seq % 250)
                        .append(":5")
                        .append(seq % 10000)
                        .append(
                                " - 4711 \"A IN orders.shop.svc.cluster.local. udp 47 false 512\" NOERROR qr,aa,rd 106 0.0001s ");
                token(b, node, source, seq);
                b.append(' ');
                break;
            case "aws-node":
                b.append("{\"level\":\"info\",\"ts\":\"")
                        .append(iso)
                        .append("\",\"caller\":\"ipamd/ipamd.go:")
                        .append(600 + seq % 900)
                        .append("\",\"msg\":\"Received ADD for pod ");
                token(b, node, source, seq);
                b.append("\"} ");
                break;
            default: // kube-proxy
                b.append('I').append(klogTime).append("       1 proxier.go:812] \"SyncProxyRules complete\" ");
                token(b, node, source, seq);
                b.append(' ');
        }
    }

    private void journal(
            StringBuilder b, int node, int source, String shortHost, long seq, int target, long journalCursor) {
        long micros = tickMillis * 1000;
        int type = (int) (seq % 3);
        b.append("{\"__CURSOR\":\"s=bench;i=")
                .append(Long.toHexString(journalCursor))
                .append("\",\"__REALTIME_TIMESTAMP\":\"")
                .append(micros)
                .append("\",\"__MONOTONIC_TIMESTAMP\":\"")
                .append(micros)
                .append("\",\"_HOSTNAME\":\"")
                .append(shortHost)
                .append('"');
        String message;
        switch (type) {
            case 0: // kubelet unit, debug priority: dataplane only
                b.append(",\"_SYSTEMD_UNIT\":\"kubelet.service\",\"SYSLOG_IDENTIFIER\":\"kubelet\",\"_PID\":\"3366\","
                        + "\"PRIORITY\":\"7\",\"SYSLOG_FACILITY\":\"3\",\"_TRANSPORT\":\"stdout\"");
                message = "I" + klogTime
                        + " 3366 kubelet.go:2458] \\\"SyncLoop (PLEG)\\\" "; // quotes escaped: this is JSON
                break;
            case 1: // a plain daemon at info: host messages only
                b.append(
                        ",\"SYSLOG_IDENTIFIER\":\"systemd-logind\",\"_PID\":\"812\",\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"4\","
                                + "\"_TRANSPORT\":\"syslog\"");
                message = "New session 42 of user ec2-user. ";
                break;
            default: // authpriv: host secure only
                b.append(
                        ",\"SYSLOG_IDENTIFIER\":\"sshd\",\"_PID\":\"4242\",\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"10\","
                                + "\"_TRANSPORT\":\"syslog\"");
                message = "Accepted publickey for ec2-user from 10.0.0.7 port 40022 ssh2 ";
        }
        b.append(",\"MESSAGE\":\"").append(message);
        token(b, node, source, seq);
        b.append(' ');
        filler(b, target - b.length() - 2);
        b.append("\"}");
    }

    /**
     * Appends one line of a stack trace in a container format; the first line ({@code seq >= 0}) carries the token
     * and the number of frames that follow.
     */
    void tracePiece(
            StringBuilder b, LoadGenerator.Format format, int node, int source, String text, long seq, int frames) {
        if (format == LoadGenerator.Format.DOCKER) {
            b.append("{\"log\":\"").append(text.replace("\t", "\\t"));
            if (seq >= 0) {
                token(b, node, source, seq);
                b.append(" frames=").append(frames);
            }
            b.append("\\n\",\"stream\":\"stdout\",\"time\":\"").append(iso).append("\"}\n");
        } else {
            b.append(iso).append(" stdout F ").append(text);
            if (seq >= 0) {
                token(b, node, source, seq);
                b.append(" frames=").append(frames);
            }
            b.append('\n');
        }
    }

    /** {@code kl=<node>.<source>.<seq>.<writeMillis>}: what lands in CloudWatch is matched back by it. */
    private void token(StringBuilder b, int node, int source, long seq) {
        b.append("kl=")
                .append(node)
                .append('.')
                .append(source)
                .append('.')
                .append(seq)
                .append('.')
                .append(tickMillis);
    }

    private static void filler(StringBuilder b, int n) {
        if (n > 0) {
            int from = (int) ((b.length() * 7919L) % LineSizes.MAX);
            b.append(FILLER, from, from + n);
        }
    }
}
