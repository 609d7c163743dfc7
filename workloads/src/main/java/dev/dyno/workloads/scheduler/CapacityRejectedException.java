package dev.dyno.workloads.scheduler;

/**
 * The {@link WorkerStore} refused a capacity update because it would leave a worker with negative
 * free capacity (double booking) or more free capacity than it has (a double release).
 *
 * <p>Nothing was changed. A scheduler that sees this worked from a stale view of the worker.
 *
 * <pre>{@code
 * try {
 *     store.updateCapacity("worker-1", demand.negated());
 * } catch (CapacityRejectedException e) {
 *     cache.invalidate(e.workerId());   // our view was stale: reload before deciding again
 * }
 * }</pre>
 */
public final class CapacityRejectedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String workerId;
    private final Resources free;
    private final Resources delta;

    /**
     * @param workerId the worker whose update was refused
     * @param capacity its total capacity
     * @param free its free capacity at the time
     * @param delta the total change that was asked for
     */
    public CapacityRejectedException(String workerId, Resources capacity, Resources free, Resources delta) {
        super("worker " + workerId + " cannot take a change of " + delta + ": it has " + free
                + " free of " + capacity);
        this.workerId = workerId;
        this.free = free;
        this.delta = delta;
    }

    /** The worker whose update was refused. */
    public String workerId() {
        return workerId;
    }

    /** Its free capacity when the update was refused. */
    public Resources free() {
        return free;
    }

    /** The total change that was asked for. */
    public Resources delta() {
        return delta;
    }
}
