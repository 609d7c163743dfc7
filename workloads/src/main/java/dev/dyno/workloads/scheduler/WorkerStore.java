package dev.dyno.workloads.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The shared record of every worker's free capacity, and a lock per worker.
 *
 * <p>In the system this reproduces, that record lives in Redis and every read or write is a
 * network round trip. Here it lives in memory and each operation marked <em>one round trip</em>
 * first waits for the configured {@linkplain #latency() latency} (a real wait, not a counter), then
 * runs atomically, so the cost of chatty access patterns is paid in wall-clock time as it would
 * be against Redis. {@link #roundTrips()} counts them.
 *
 * <p>The store guards its own invariant whatever the callers do: an update that would make any
 * worker's free capacity negative, or larger than its capacity, throws
 * {@link CapacityRejectedException} and changes nothing. Double booking is therefore detectable
 * rather than silent.
 *
 * <p>{@link #lockFor(String) The per-worker locks} model the distributed locks schedulers take
 * around capacity updates; taking one costs no simulated latency here, because the comparison of
 * interest is how many are taken and how long they are held. All methods are thread-safe.
 *
 * <pre>{@code
 * WorkerStore store = WorkerStore.uniform(20, 4_000, 8_192, Duration.ofMillis(1)); // worker-1..worker-20
 * List<Worker> workers = store.readAllWorkers();                                   // one round trip
 * ReentrantLock lock = store.lockFor("worker-3");
 * lock.lock();
 * try {
 *     store.batchUpdateCapacity("worker-3", List.of(a.negated(), b.negated()));     // one round trip
 * } finally {
 *     lock.unlock();
 * }
 * }</pre>
 */
public final class WorkerStore {

    /** The latency used when none is given: about one hop inside a data centre. */
    public static final Duration DEFAULT_LATENCY = Duration.ofMillis(1);

    /** One worker's live state. */
    private static final class Slot {
        final String id;
        final Resources capacity;
        final AtomicReference<Resources> free;
        final ReentrantLock lock = new ReentrantLock();

        Slot(Worker worker) {
            this.id = worker.id();
            this.capacity = worker.capacity();
            this.free = new AtomicReference<>(worker.free());
        }

        Worker snapshot() {
            return new Worker(id, capacity, free.get());
        }
    }

    // Insertion order is the workers' order everywhere (reads, affinity), so it must be stable.
    private final Map<String, Slot> slots;
    private final long latencyNanos;
    private final Duration latency;
    private final AtomicLong roundTrips = new AtomicLong();

    /**
     * A store holding {@code workers}, in that order.
     *
     * @param latency the simulated round trip per operation; {@link Duration#ZERO} for none
     */
    public WorkerStore(List<Worker> workers, Duration latency) {
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        Map<String, Slot> byId = new LinkedHashMap<>();
        for (Worker worker : workers) {
            if (byId.putIfAbsent(worker.id(), new Slot(worker)) != null) {
                throw new IllegalArgumentException("two workers are called " + worker.id());
            }
        }
        // Never modified after construction, so reads need no synchronisation.
        this.slots = Collections.unmodifiableMap(byId);
        this.latency = latency;
        this.latencyNanos = latency.toNanos();
    }

    /** A store holding {@code workers} with the {@linkplain #DEFAULT_LATENCY default latency}. */
    public WorkerStore(List<Worker> workers) {
        this(workers, DEFAULT_LATENCY);
    }

    /**
     * {@code count} idle workers named {@code worker-1} to {@code worker-<count>}, each with
     * {@code cpuMillis} and {@code memoryMb} and no GPU.
     */
    public static WorkerStore uniform(int count, int cpuMillis, int memoryMb, Duration latency) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        List<Worker> workers = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            workers.add(Worker.idle("worker-" + i, Resources.of(cpuMillis, memoryMb)));
        }
        return new WorkerStore(workers, latency);
    }

    /** The simulated round-trip latency of each operation. */
    public Duration latency() {
        return latency;
    }

    /** How many simulated round trips the store has served since it was created. */
    public long roundTrips() {
        return roundTrips.get();
    }

    /** The workers' ids, in store order. Local metadata: no round trip. */
    public List<String> workerIds() {
        return List.copyOf(slots.keySet());
    }

    /** Every worker with its current free capacity, in store order. One round trip. */
    public List<Worker> readAllWorkers() {
        roundTrip();
        List<Worker> workers = new ArrayList<>(slots.size());
        for (Slot slot : slots.values()) {
            workers.add(slot.snapshot());
        }
        return List.copyOf(workers);
    }

    /** One worker with its current free capacity. One round trip. */
    public Worker readWorker(String workerId) {
        Slot slot = slot(workerId);
        roundTrip();
        return slot.snapshot();
    }

    /**
     * Adds {@code delta} to a worker's free capacity; negative components consume capacity.
     * One round trip.
     *
     * @return the worker after the update
     * @throws CapacityRejectedException if the result would be negative or above capacity;
     *     nothing is changed then
     */
    public Worker updateCapacity(String workerId, Resources delta) {
        Objects.requireNonNull(delta, "delta");
        return batchUpdateCapacity(workerId, List.of(delta));
    }

    /**
     * Applies several changes to one worker's free capacity, all or none. One round trip, however
     * many deltas: this is what makes batching pay.
     *
     * @return the worker after the update
     * @throws CapacityRejectedException if the summed result would be negative or above capacity;
     *     nothing is changed then
     */
    public Worker batchUpdateCapacity(String workerId, List<Resources> deltas) {
        Objects.requireNonNull(deltas, "deltas");
        Slot slot = slot(workerId);
        Resources total = Resources.sum(deltas);
        roundTrip();
        // Compare-and-set makes the check and the write one atomic step, like a Lua script in
        // Redis, so the invariant holds even for callers that skip the worker lock.
        while (true) {
            Resources before = slot.free.get();
            Resources after = before.plus(total);
            if (after.isNegative() || !slot.capacity.covers(after)) {
                throw new CapacityRejectedException(slot.id, slot.capacity, before, total);
            }
            if (slot.free.compareAndSet(before, after)) {
                return new Worker(slot.id, slot.capacity, after);
            }
        }
    }

    /**
     * The lock schedulers hold around a worker's capacity update. The same instance every time,
     * so {@link ReentrantLock#isHeldByCurrentThread()} tells whether the caller holds it.
     * Local: no round trip.
     */
    public ReentrantLock lockFor(String workerId) {
        return slot(workerId).lock;
    }

    /**
     * Every worker's free capacity now, in store order, for checking correctness after a run
     * (no negative capacity, capacity consumed equals what was placed). This is inspection from
     * outside the system under test: it costs no round trip and is not counted.
     */
    public Map<String, Resources> freeCapacities() {
        Map<String, Resources> free = new LinkedHashMap<>();
        for (Slot slot : slots.values()) {
            free.put(slot.id, slot.free.get());
        }
        return Collections.unmodifiableMap(free);
    }

    /** Every worker's total capacity, in store order. Inspection, like {@link #freeCapacities()}. */
    public Map<String, Resources> capacities() {
        Map<String, Resources> capacity = new LinkedHashMap<>();
        for (Slot slot : slots.values()) {
            capacity.put(slot.id, slot.capacity);
        }
        return Collections.unmodifiableMap(capacity);
    }

    private Slot slot(String workerId) {
        Slot slot = slots.get(Objects.requireNonNull(workerId, "workerId"));
        if (slot == null) {
            throw new IllegalArgumentException("no worker called " + workerId);
        }
        return slot;
    }

    private void roundTrip() {
        roundTrips.incrementAndGet();
        waitFor(latencyNanos);
    }

    // parkNanos may return early (spuriously or on interrupt), so wait until the deadline has
    // really passed: the latency is meant as a floor, as a network hop is.
    private static void waitFor(long nanos) {
        if (nanos <= 0) {
            return;
        }
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
