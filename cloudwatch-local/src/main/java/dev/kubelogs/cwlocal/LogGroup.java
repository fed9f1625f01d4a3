package dev.kubelogs.cwlocal;

import java.util.concurrent.ConcurrentSkipListMap;

/** A log group: its settings and its streams, sorted by name. */
final class LogGroup {
    final String name;
    final long creationTime;
    final String logGroupClass;
    /** Directory name under the data directory; null when the store is in memory. */
    final String dirName;

    final ConcurrentSkipListMap<String, LogStream> streams = new ConcurrentSkipListMap<>();
    private volatile Integer retentionInDays;

    LogGroup(String name, long creationTime, String logGroupClass, Integer retentionInDays, String dirName) {
        this.name = name;
        this.creationTime = creationTime;
        this.logGroupClass = logGroupClass;
        this.retentionInDays = retentionInDays;
        this.dirName = dirName;
    }

    Integer retentionInDays() {
        return retentionInDays;
    }

    void retentionInDays(Integer days) {
        this.retentionInDays = days;
    }

    LogGroupInfo info() {
        long events = 0;
        long bytes = 0;
        int count = 0;
        for (LogStream s : streams.values()) {
            LogStreamInfo i = s.info();
            events += i.eventCount();
            bytes += i.storedBytes();
            count++;
        }
        return new LogGroupInfo(name, creationTime, retentionInDays, logGroupClass, count, events, bytes);
    }
}
