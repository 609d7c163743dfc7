package dev.dyno.workloads.scheduler;

import java.util.Objects;

/**
 * A worker machine as the scheduler sees it: its total capacity and what is still free.
 *
 * <p>Instances are immutable snapshots; the live free capacity is in the {@link WorkerStore}.
 *
 * <pre>{@code
 * Worker worker = Worker.idle("worker-1", Resources.of(4_000, 8_192, 1));
 * worker.canFit(Resources.of(500, 512));   // true
 * }</pre>
 *
 * @param id unique name, such as {@code worker-7}
 * @param capacity everything the worker has
 * @param free what no container holds yet; never negative, never above {@code capacity}
 */
public record Worker(String id, Resources capacity, Resources free) {

    public Worker {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(free, "free");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a worker needs a non-blank id");
        }
        if (capacity.isNegative()) {
            throw new IllegalArgumentException("worker " + id + " has negative capacity: " + capacity);
        }
        if (free.isNegative() || !capacity.covers(free)) {
            throw new IllegalArgumentException(
                    "worker " + id + " has free " + free + " outside 0.." + capacity);
        }
    }

    /** A worker with nothing on it yet. */
    public static Worker idle(String id, Resources capacity) {
        return new Worker(id, capacity, capacity);
    }

    /** Whether the free capacity has room for {@code demand}. */
    public boolean canFit(Resources demand) {
        return free.covers(demand);
    }

    /** What containers hold on this worker now. */
    public Resources used() {
        return capacity.minus(free);
    }

    /** The same worker with a different free capacity. */
    public Worker withFree(Resources newFree) {
        return new Worker(id, capacity, newFree);
    }
}
