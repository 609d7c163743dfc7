package dev.dyno.workloads.scheduler;

/**
 * What a scheduler tells an observer, at the moment each thing happens: a lock taken, a cache
 * lookup, a store round trip, a decision, a placement.
 *
 * <p>Every method has a no-op default, so an observer implements only what it counts. Schedulers
 * call the probe from their processing thread and from the threads that submit requests, so an
 * implementation must be thread-safe, and should be quick: it runs inside the measured code, and
 * {@link #lockAcquired} and {@link #capacityUpdated} run while a worker lock is held.
 *
 * <p>This keeps the scheduler free of any metrics library: a test bridges the probe to its
 * own recorder.
 *
 * <pre>{@code
 * AtomicInteger locks = new AtomicInteger();
 * SchedulerProbe probe = new SchedulerProbe() {
 *     @Override
 *     public void lockAcquired(String workerId) {
 *         locks.incrementAndGet();
 *     }
 * };
 * BatchScheduler scheduler = BatchScheduler.builder().store(store).probe(probe).build();
 * }</pre>
 */
public interface SchedulerProbe {

    /** A probe that ignores everything. */
    SchedulerProbe NONE = new SchedulerProbe() {};

    /** A worker's lock was acquired (called with the lock held). */
    default void lockAcquired(String workerId) {}

    /** A snapshot of worker states came from the cache, without a store round trip. */
    default void cacheHit() {}

    /** The cache had no fresh snapshot and must read the store. */
    default void cacheMiss() {}

    /** A worker's free capacity was written to the store (called with the worker's lock held). */
    default void capacityUpdated(String workerId) {}

    /** A worker's cached state was marked stale. */
    default void cacheInvalidated(String workerId) {}

    /** One round trip to the {@link WorkerStore} completed, whether it succeeded or was refused. */
    default void storeRoundTrip() {}

    /** A container's capacity is committed on a worker. */
    default void placed(String containerId, String workerId) {}

    /** A container could not be placed. */
    default void rejected(String containerId, String reason) {}

    /** {@code count} placement decisions were made in memory, taking {@code nanos} in all. */
    default void decisionsMade(int count, long nanos) {}

    /**
     * The capacity updates of one batch went to the store: {@code workers} workers, each locked,
     * updated and invalidated once, taking {@code nanos} in all.
     */
    default void batchUpdated(int workers, long nanos) {}

    /** Requests were taken from the queue as one batch of {@code size}. */
    default void batchFormed(int size) {}
}
