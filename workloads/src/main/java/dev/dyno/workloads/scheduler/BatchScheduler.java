package dev.dyno.workloads.scheduler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A scheduler that places containers in batches, so that store round trips and worker locks are
 * paid per worker rather than per container.
 *
 * <p>Submitted requests wait in a queue. One processing thread takes them as a batch once the
 * oldest has waited the {@linkplain Builder#batchWindow batch window} or {@linkplain
 * Builder#maxBatchSize enough} have arrived, and then:
 *
 * <ol>
 *   <li>takes <em>one</em> snapshot of the workers from its {@link WorkerStateCache};</li>
 *   <li>decides every placement in memory: the worker the container id
 *       {@linkplain WorkerAffinity hashes to}, else the next worker with room, counting what
 *       earlier decisions in the batch already took so that a batch never over-books a worker;</li>
 *   <li>groups the placements by worker and, for each worker used, acquires its lock once, writes
 *       all its containers with one {@link WorkerStore#batchUpdateCapacity batch update},
 *       invalidates it in the cache and releases the lock.</li>
 * </ol>
 *
 * <p>Requests that fit on no worker in the snapshot are rejected. If the store refuses a worker's
 * update (another scheduler sharing the store took that capacity since the snapshot), that
 * worker's requests go back to the front of the queue and are decided again against a fresh
 * snapshot, up to {@value #MAX_ATTEMPTS} times in all.
 *
 * <pre>{@code
 * WorkerStore store = WorkerStore.uniform(20, 4_000, 8_192, Duration.ofMillis(1));
 * try (BatchScheduler scheduler = BatchScheduler.builder()
 *         .store(store)
 *         .batchWindow(Duration.ofMillis(10))
 *         .probe(probe)
 *         .build()) {
 *     List<Placement> placements = scheduler.scheduleAll(ContainerRequest.batch(100, 500, 512));
 * }
 * }</pre>
 */
public final class BatchScheduler implements ContainerScheduler {

    /** How long the oldest request waits for company, unless a full batch arrives first. */
    public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(10);

    /** The most requests decided against one snapshot, unless configured otherwise. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 256;

    /** How many times one request is decided before a store conflict becomes a rejection. */
    public static final int MAX_ATTEMPTS = 3;

    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();

    /** A request in the queue, with when it first arrived and how often it has been decided. */
    private record Pending(
            ContainerRequest request, CompletableFuture<Placement> result, long arrivedAtNanos, int attempts) {

        Pending retried() {
            return new Pending(request, result, arrivedAtNanos, attempts + 1);
        }
    }

    private final WorkerStore store;
    private final WorkerStateCache cache;
    private final SchedulerProbe probe;
    private final long batchWindowNanos;
    private final int maxBatchSize;
    private final Thread processor;

    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition queueChanged = queueLock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by queueLock
    private boolean closed; // guarded by queueLock

    private BatchScheduler(Builder builder) {
        this.store = builder.store;
        this.probe = builder.probe;
        this.batchWindowNanos = builder.batchWindow.toNanos();
        this.maxBatchSize = builder.maxBatchSize;
        this.cache = new WorkerStateCache(builder.store, builder.cacheTtl, builder.nanoClock, builder.probe);
        this.processor = new Thread(this::processRequests, "batch-scheduler-" + THREAD_NUMBERS.incrementAndGet());
        // A scheduler somebody forgot to close must not keep the JVM alive.
        this.processor.setDaemon(true);
    }

    /** Starts configuring a scheduler; only {@link Builder#store} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletableFuture<Placement> submit(ContainerRequest request) {
        Objects.requireNonNull(request, "request");
        CompletableFuture<Placement> result = new CompletableFuture<>();
        enqueue(List.of(new Pending(request, result, System.nanoTime(), 0)));
        return result;
    }

    /**
     * Queues all requests in one step, so that the processing thread cannot cut a batch in the
     * middle of them (unless there are more than the maximum batch size), then waits for all.
     */
    @Override
    public List<Placement> scheduleAll(List<ContainerRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        long now = System.nanoTime();
        List<Pending> pending = new ArrayList<>(requests.size());
        for (ContainerRequest request : requests) {
            pending.add(new Pending(Objects.requireNonNull(request, "request"), new CompletableFuture<>(), now, 0));
        }
        enqueue(pending);
        List<Placement> placements = new ArrayList<>(pending.size());
        for (Pending each : pending) {
            placements.add(each.result().join());
        }
        return placements;
    }

    @Override
    public WorkerStateCache cache() {
        return cache;
    }

    /**
     * Refuses new requests, schedules those already queued without waiting out the batch window,
     * and returns once the processing thread has stopped. Calling it again does nothing.
     */
    @Override
    public void close() {
        queueLock.lock();
        try {
            closed = true;
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
        if (Thread.currentThread() == processor) {
            return;
        }
        try {
            processor.join();
        } catch (InterruptedException e) {
            // The caller wants to stop waiting; the thread still finishes the queue on its own.
            Thread.currentThread().interrupt();
        }
    }

    private void start() {
        processor.start();
    }

    private void enqueue(List<Pending> arrivals) {
        queueLock.lock();
        try {
            if (closed) {
                throw new RejectedExecutionException("the scheduler is closed; " + arrivals.size()
                        + " request(s) starting with " + arrivals.get(0).request().id() + " were not scheduled");
            }
            queue.addAll(arrivals);
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    /** Puts requests whose worker update was refused back in front, keeping their order. */
    private void requeueFirst(List<Pending> retries) {
        queueLock.lock();
        try {
            for (int i = retries.size() - 1; i >= 0; i--) {
                queue.addFirst(retries.get(i));
            }
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Waits for the next batch: returns once the oldest queued request has waited the batch
     * window, a full batch is queued, or the scheduler is closing. Empty means stop.
     */
    private List<Pending> nextBatch() throws InterruptedException {
        queueLock.lock();
        try {
            while (true) {
                if (queue.isEmpty()) {
                    if (closed) {
                        return List.of();
                    }
                    queueChanged.await();
                    continue;
                }
                if (closed || queue.size() >= maxBatchSize) {
                    break;
                }
                long waitNanos = queue.peekFirst().arrivedAtNanos() + batchWindowNanos - System.nanoTime();
                if (waitNanos <= 0) {
                    break;
                }
                queueChanged.awaitNanos(waitNanos);
            }
            int size = Math.min(queue.size(), maxBatchSize);
            List<Pending> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(queue.pollFirst());
            }
            return batch;
        } finally {
            queueLock.unlock();
        }
    }

    private void processRequests() {
        try {
            for (List<Pending> batch = nextBatch(); !batch.isEmpty(); batch = nextBatch()) {
                try {
                    processBatch(batch);
                } catch (RuntimeException | Error e) {
                    // One broken batch must not strand its callers or the batches behind it.
                    // Futures already completed keep their outcome; completeExceptionally
                    // ignores them.
                    for (Pending each : batch) {
                        each.result().completeExceptionally(e);
                    }
                    if (e instanceof Error) {
                        throw (Error) e; // the finally below still fails everything queued
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            abandonQueue();
        }
    }

    /** If the thread stops early (interrupted, or an Error), nobody may wait forever. */
    private void abandonQueue() {
        List<Pending> left;
        queueLock.lock();
        try {
            closed = true;
            left = new ArrayList<>(queue);
            queue.clear();
        } finally {
            queueLock.unlock();
        }
        for (Pending each : left) {
            each.result().completeExceptionally(
                    new CancellationException("the scheduler stopped before " + each.request().id() + " was scheduled"));
        }
    }

    private void processBatch(List<Pending> batch) {
        probe.batchFormed(batch.size());
        List<Worker> snapshot = cache.snapshot();

        long decisionStart = System.nanoTime();
        CapacityPlan plan = new CapacityPlan(snapshot);
        Map<String, List<Pending>> byWorker = new LinkedHashMap<>();
        List<Pending> noRoom = new ArrayList<>();
        for (Pending each : batch) {
            Optional<String> workerId = plan.reserve(each.request());
            if (workerId.isPresent()) {
                byWorker.computeIfAbsent(workerId.get(), id -> new ArrayList<>()).add(each);
            } else {
                noRoom.add(each);
            }
        }
        probe.decisionsMade(batch.size(), System.nanoTime() - decisionStart);

        for (Pending each : noRoom) {
            reject(each, plan.noRoomReason(each.request()));
        }

        long updateStart = System.nanoTime();
        List<Pending> retries = new ArrayList<>();
        for (Map.Entry<String, List<Pending>> entry : byWorker.entrySet()) {
            String workerId = entry.getKey();
            List<Pending> placed = entry.getValue();
            if (commit(workerId, placed)) {
                for (Pending each : placed) {
                    probe.placed(each.request().id(), workerId);
                    each.result().complete(Placement.placed(each.request().id(), workerId));
                }
            } else {
                for (Pending each : placed) {
                    if (each.attempts() + 1 < MAX_ATTEMPTS) {
                        retries.add(each.retried());
                    } else {
                        reject(each, "worker capacity changed under concurrent scheduling "
                                + MAX_ATTEMPTS + " times in a row");
                    }
                }
            }
        }
        probe.batchUpdated(byWorker.size(), System.nanoTime() - updateStart);

        if (!retries.isEmpty()) {
            requeueFirst(retries);
        }
    }

    /**
     * Writes all of one worker's placements in one round trip, under the worker's lock.
     *
     * @return false when the store refused them because the snapshot was out of date
     */
    private boolean commit(String workerId, List<Pending> placed) {
        List<Resources> deltas = new ArrayList<>(placed.size());
        for (Pending each : placed) {
            deltas.add(each.request().demand().negated());
        }
        ReentrantLock lock = store.lockFor(workerId);
        lock.lock();
        try {
            probe.lockAcquired(workerId);
            boolean committed;
            try {
                store.batchUpdateCapacity(workerId, deltas);
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

    private void reject(Pending pending, String reason) {
        probe.rejected(pending.request().id(), reason);
        pending.result().complete(Placement.rejected(pending.request().id(), reason));
    }

    /**
     * Configures and starts a {@link BatchScheduler}.
     *
     * <pre>{@code
     * BatchScheduler.builder()
     *         .store(store)
     *         .cacheTtl(Duration.ofSeconds(1))
     *         .batchWindow(Duration.ofMillis(10))
     *         .maxBatchSize(256)
     *         .probe(probe)
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private WorkerStore store;
        private Duration cacheTtl = WorkerStateCache.DEFAULT_TTL;
        private Duration batchWindow = DEFAULT_BATCH_WINDOW;
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
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

        /**
         * How long the oldest queued request waits for others before its batch is cut; default
         * {@link #DEFAULT_BATCH_WINDOW}. Longer windows make bigger batches and add latency.
         */
        public Builder batchWindow(Duration batchWindow) {
            Objects.requireNonNull(batchWindow, "batchWindow");
            if (batchWindow.isNegative()) {
                throw new IllegalArgumentException("batchWindow must not be negative: " + batchWindow);
            }
            this.batchWindow = batchWindow;
            return this;
        }

        /** The most requests in one batch; default {@link #DEFAULT_MAX_BATCH_SIZE}. */
        public Builder maxBatchSize(int maxBatchSize) {
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException("maxBatchSize must be at least 1: " + maxBatchSize);
            }
            this.maxBatchSize = maxBatchSize;
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

        /** Builds the scheduler and starts its processing thread; {@link #close()} it when done. */
        public BatchScheduler build() {
            if (store == null) {
                throw new IllegalStateException("a scheduler needs a store: call store(...) first");
            }
            BatchScheduler scheduler = new BatchScheduler(this);
            scheduler.start();
            return scheduler;
        }
    }
}
