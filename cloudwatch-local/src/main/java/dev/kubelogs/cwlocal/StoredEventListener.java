package dev.kubelogs.cwlocal;

import java.util.List;

/**
 * Receives the events the endpoint stores, as it stores them ({@link LocalCloudWatchLogs.Builder#eventListener}): a
 * consumer that checks every event (a benchmark's delivery check) needs neither the endpoint to keep them nor a read of
 * all of them at the end.
 */
@FunctionalInterface
public interface StoredEventListener {
    /**
     * The events one PutLogEvents stored in a stream, in request order, with their ingestion time: those the answer
     * does not reject as too old, expired or too new. Called on the request's thread once they are stored and before
     * the answer is sent, one call at a time per stream (calls for different streams may run at once). Events loaded
     * from a data directory at start are not handed over. An exception fails the request (the events stay stored).
     */
    void stored(String logGroupName, String logStreamName, List<StoredEvent> events);
}
