package dev.kubelogs.cwlocal;

/** The ARNs the service reports, in the partition of the request's region. */
final class Arns {
    private Arns() {}

    static String logGroup(String region, String group) {
        String partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        return "arn:" + partition + ":logs:" + region + ":" + LocalCloudWatchLogs.ACCOUNT_ID + ":log-group:" + group;
    }

    static String logStream(String region, String group, String stream) {
        return logGroup(region, group) + ":log-stream:" + stream;
    }
}
