package dev.kubelogs.cwlocal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Logs_20140328 operations over awsJson1.1, by name: request JSON in, response JSON out, {@link ApiException}
 * for modeled errors. Member names, constraints and error shapes follow the service model; each operation lives in
 * the class named below.
 */
final class Operations {
    static final String TARGET_PREFIX = "Logs_20140328.";

    /** One call: the request body and the region named by the request's SigV4 credential scope. */
    record Call(byte[] body, String region) {}

    @FunctionalInterface
    interface Operation {
        byte[] apply(Call call) throws IOException;
    }

    private final Map<String, Operation> operations = new LinkedHashMap<>();

    Operations(LogStore store, ObjectMapper mapper) {
        JsonBodies bodies = new JsonBodies(mapper);
        LogGroupOperations groups = new LogGroupOperations(store, bodies);
        LogStreamOperations streams = new LogStreamOperations(store, bodies);
        operations.put("CreateLogGroup", groups::createLogGroup);
        operations.put("DeleteLogGroup", groups::deleteLogGroup);
        operations.put("DescribeLogGroups", groups::describeLogGroups);
        operations.put("CreateLogStream", streams::createLogStream);
        operations.put("DeleteLogStream", streams::deleteLogStream);
        operations.put("DescribeLogStreams", streams::describeLogStreams);
        operations.put("PutRetentionPolicy", groups::putRetentionPolicy);
        operations.put("DeleteRetentionPolicy", groups::deleteRetentionPolicy);
        operations.put("PutLogEvents", new PutLogEventsOperation(store, bodies));
        operations.put("GetLogEvents", new GetLogEventsOperation(store, bodies));
        operations.put("FilterLogEvents", new FilterLogEventsOperation(store, bodies));
    }

    Set<String> names() {
        return operations.keySet();
    }

    Operation get(String name) {
        return name == null ? null : operations.get(name);
    }
}
