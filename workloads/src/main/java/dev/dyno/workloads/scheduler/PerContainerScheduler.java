package dev.dyno.workloads.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The scheduler {@link BatchScheduler} replaces, kept as the baseline to compare against: every
 * container is scheduled on its own, on the thread that submits it.
 *
 * <p>For each request it takes a snapshot of the workers from its cache, picks a worker with the
 * same {@linkplain WorkerAffinity affinity} rule, locks that worker, writes the one container's
 * capacity to the store, invalidates the worker in the cache and unlocks. Because each placement
 * invalidates a worker, the next request's snapshot is a cache miss and another store read: per
 * container that is a lock, a capacity update, an invalidation and two store round trips, which
 * is what the batch scheduler saves.
 *
 * <p>If the store refuses the update because another scheduler took the capacity meanwhile, the
 * request is decided again on a fresh snapshot, up to {@value #MAX_ATTEMPTS} times in all. It
 * reports {@link SchedulerProbe#decisionsMade decisions} one at a time and never calls the
 * batch events ({@link SchedulerProbe#batchFormed}, {@link SchedulerProbe#batchUpdated}).
 *
 * <pre>{@code
 * try (var scheduler = PerContainerScheduler.builder().store(store).probe(probe).build()) {
 *     List<Placement> placements = scheduler.scheduleAll(ContainerRequest.batch(100, 500, 512));
 * }
 * }</pre>
 */
public final class PerContainerScheduler implements ContainerScheduler {

    /** How many times one request is decided before a store conflict becomes a rejection. */
    public static final int MAX_ATTEMPTS = 3;

    private final WorkerStore store;
    private final WorkerStateCache cache;
    private final SchedulerProbe probe;
    private volatile boolean closed;

    private PerContainerScheduler(Builder builder) {
        this.store = builder.store;
        this.probe = builder.probe;
        this.cache = new WorkerStateCache(builder.store, builder.cacheTtl, builder.nanoClock, builder.probe);
    }

    /** Starts configuring a scheduler; only {@link Builder#store} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Schedules {@code request} on the calling thread; the returned future is already complete. */
    @Override
    public CompletableFuture<Placement> submit(ContainerRequest request) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new RejectedExecutionException("the scheduler is closed; " + request.id() + " was not scheduled");
        }
        try {
            return CompletableFuture.completedFuture(schedule(request));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public WorkerStateCache cache() {
        return cache;
    }

    /** Refuses further requests. Nothing runs in the background, so there is nothing to wait for. */
    @Override
    public void close() {
        closed = true;
    }

    private Placement schedule(ContainerRequest request) {
        for (int attempt = 1; ; attempt++) {
            List<Worker> snapshot = cache.snapshot();

            long decisionStart = System.nanoTime();
            CapacityPlan plan = new CapacityPlan(snapshot);
            Optional<String> chosen = plan.reserve(request);
            probe.decisionsMade(1, System.nanoTime() - decisionStart);

            if (chosen.isEmpty()) {
                return reject(request, plan.noRoomReason(request));
            }
            String workerId = chosen.get();
            if (commit(workerId, request)) {
                probe.placed(request.id(), workerId);
                return Placement.placed(request.id(), workerId);
            }
            if (attempt == MAX_ATTEMPTS) {
                return reject(request, "worker capacity changed under concurrent scheduling "
                        + MAX_ATTEMPTS + " times in a row");
            }
        }
    }

    /** Writes one container's demand to its worker under that worker's lock. */
    private boolean commit(String workerId, ContainerRequest request) {
        ReentrantLock lock = store.lockFor(workerId);
        lock.lock();
        try {
            probe.lockAcquired(workerId);
            boolean committed;
            try {
                store.updateCapacity(workerId, request.demand().negated());
                committed = true;
            } catch (CapacityRejectedException stale) {
                committed = false;
            } finally {
                probe.storeRoundTrip();
            }
            if (committed) {
                probe.capacityUpdated(workerId);
            }
            // After a write our copy is out of date; after a refusal it was already wrong.
            cache.invalidate(workerId);
            return committed;
        } finally {
            lock.unlock();
        }
    }

    private Placement reject(ContainerRequest request, String reason) {
        probe.rejected(request.id(), reason);
        return Placement.rejected(request.id(), reason);
    }

    /**
     * Configures a {@link PerContainerScheduler}.
     *
     * <pre>{@code
     * PerContainerScheduler.builder().store(store).cacheTtl(Duration.ofMillis(500)).probe(probe).build();
     * }</pre>
     */
    public static final class Builder {
        private WorkerStore store;
        private Duration cacheTtl = WorkerStateCache.DEFAULT_TTL;
        private SchedulerProbe probe = SchedulerProbe.NONE;
        private LongSupplier nanoClock = System::nanoTime;

        private Builder() {}

        /** The store holding the workers; required. */
        public Builder store(WorkerStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** How long a cached snapshot of the workers stays fresh; default one second. */
        public Builder cacheTtl(Duration cacheTtl) {
            this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
            return this;
        }

        /** Told what the scheduler does; default {@link SchedulerProbe#NONE}. */
        public Builder probe(SchedulerProbe probe) {
            this.probe = Objects.requireNonNull(probe, "probe");
            return this;
        }

        /** The monotonic nanosecond clock the cache ages snapshots by; default {@link System#nanoTime()}. */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        public PerContainerScheduler build() {
            if (store == null) {
                throw new IllegalStateException("a scheduler needs a store: call store(...) first");
            }
            return new PerContainerScheduler(this);
        }
    }
}
