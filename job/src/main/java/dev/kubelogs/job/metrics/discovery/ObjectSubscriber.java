package dev.kubelogs.job.metrics.discovery;

/** What a role does with the objects of one shared watch. Calls for one watch come from one thread, in order. */
interface ObjectSubscriber<T> {

    /**
     * An object was added or changed (or listed again).
     *
     * @return whether this subscriber keeps something of it, so that its deletion must reach it
     */
    boolean upsert(T obj);

    /** A kept object was deleted (or was missing from a relist). */
    void delete(T obj);
}
