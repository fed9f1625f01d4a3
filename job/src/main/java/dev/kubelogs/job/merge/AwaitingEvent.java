package dev.kubelogs.job.merge;

/**
 * An application event whose pod metadata has not arrived yet, parked in keyed state until it does or
 * until the wait runs out (then it leaves with the fields the file name gives). A Flink POJO.
 */
public class AwaitingEvent {
    public String containerKey;
    public String cluster;
    public String node;
    public String path;
    public String fileId;
    public String record;
    public long time;
    public long offset;
    public long deadline;

    public AwaitingEvent() {}
}
