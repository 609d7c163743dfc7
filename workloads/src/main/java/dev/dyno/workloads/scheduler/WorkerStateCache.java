package dev.dyno.workloads.scheduler;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A scheduler's local copy of every worker's state, reloaded from the {@link WorkerStore} when it
 * is older than its time-to-live or when a worker in it was invalidated.
 *
 * <p>A {@link #snapshot()} is a <em>hit</em> when the copy is fresh and a <em>miss</em> when it
 * has to be read again (one store round trip for all workers). Whoever changes a worker's
 * capacity {@linkplain #invalidate(String) invalidates} that worker, so the next snapshot sees
 * the change; how often that happens decides the hit rate.
 *
 * <p>Time comes from an injectable monotonic clock in nanoseconds, so tests can expire entries
 * without sleeping. Thread-safe: concurrent misses are served by one store read, not one each.
 *
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * var cache = new WorkerStateCache(store, Duration.ofSeconds(1), now::get, SchedulerProbe.NONE);
 * cache.snapshot();                  // miss: reads the store
 * cache.snapshot();                  // hit
 * now.addAndGet(1_000_000_000L);     // one second later
 * cache.snapshot();                  // miss: expired
 * }</pre>
 */
public final class WorkerStateCache {

    /** The time-to-live used when none is given. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(1);

    private final WorkerStore store;
    private final Duration ttl;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final SchedulerProbe probe;

    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong invalidations = new AtomicLong();

    // Guarded by "this". The store read on a miss happens under the lock on purpose: callers
    // that miss at the same time wait for that one read instead of each making their own.
    private List<Worker> workers;
    private long loadedAtNanos;
    private final Set<String> staleWorkers = new HashSet<>();

    /**
     * @param ttl how long a snapshot stays fresh; {@link Duration#ZERO} makes every lookup a miss
     * @param nanoClock a monotonic clock in nanoseconds, such as {@code System::nanoTime}
     * @param probe told about hits, misses, invalidations and store round trips
     */
    public WorkerStateCache(WorkerStore store, Duration ttl, LongSupplier nanoClock, SchedulerProbe probe) {
        this.store = Objects.requireNonNull(store, "store");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative: " + ttl);
        }
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /** A cache with the {@linkplain #DEFAULT_TTL default time-to-live} on the system clock. */
    public WorkerStateCache(WorkerStore store) {
        this(store, DEFAULT_TTL, System::nanoTime, SchedulerProbe.NONE);
    }

    /**
     * Every worker's state, in store order: from memory when fresh (a hit), otherwise read from
     * the store with one round trip (a miss).
     */
    public synchronized List<Worker> snapshot() {
        if (isFresh()) {
            hits.incrementAndGet();
            probe.cacheHit();
            return workers;
        }
        misses.incrementAndGet();
        probe.cacheMiss();
        load();
        return workers;
    }

    /**
     * Reads the store now, whatever the state of the copy, as a scheduler does when it starts.
     * Neither a hit nor a miss, since nobody looked anything up; still one store round trip.
     */
    public synchronized void refresh() {
        load();
    }

    /** Marks one worker's cached state stale, so the next snapshot reads the store. */
    public synchronized void invalidate(String workerId) {
        Objects.requireNonNull(workerId, "workerId");
        staleWorkers.add(workerId);
        invalidations.incrementAndGet();
        probe.cacheInvalidated(workerId);
    }

    /** How many snapshots were served from memory. */
    public long hits() {
        return hits.get();
    }

    /** How many snapshots had to read the store. */
    public long misses() {
        return misses.get();
    }

    /** How many times a worker was invalidated. */
    public long invalidations() {
        return invalidations.get();
    }

    /** Hits over lookups, from 0 to 1; 0 before the first lookup. */
    public double hitRate() {
        long h = hits.get();
        long lookups = h + misses.get();
        return lookups == 0 ? 0.0 : (double) h / lookups;
    }

    /** How long a snapshot stays fresh. */
    public Duration ttl() {
        return ttl;
    }

    private boolean isFresh() {
        return workers != null
                && staleWorkers.isEmpty()
                && nanoClock.getAsLong() - loadedAtNanos < ttlNanos;
    }

    private void load() {
        // Take the time before the read: the data may have changed while it was on the wire, so
        // its age counts from when it was asked for.
        long askedAt = nanoClock.getAsLong();
        List<Worker> read = store.readAllWorkers();
        probe.storeRoundTrip();
        workers = read;
        loadedAtNanos = askedAt;
        staleWorkers.clear();
    }
}
