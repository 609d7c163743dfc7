package dev.dyno.workloads.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The worker state cache")
class WorkerStateCacheTests {

    private static final Duration TTL = Duration.ofSeconds(1);

    private final WorkerStore store = WorkerStore.uniform(3, 1_000, 1_024, Duration.ZERO);
    private final AtomicLong now = new AtomicLong(1_000_000L);
    private final RecordingProbe probe = new RecordingProbe();
    private final WorkerStateCache cache = new WorkerStateCache(store, TTL, now::get, probe);

    @Test
    @DisplayName("reads the store on the first lookup and serves the next one from memory")
    void missesThenHits() {
        cache.snapshot();
        cache.snapshot();

        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(store.roundTrips()).isEqualTo(1);
        assertThat(probe.cacheMisses).hasValue(1);
        assertThat(probe.cacheHits).hasValue(1);
        assertThat(probe.storeRoundTrips).hasValue(1);
    }

    @Test
    @DisplayName("misses once its time-to-live has passed, and not a nanosecond before")
    void expiresAfterTtl() {
        cache.snapshot();

        now.addAndGet(TTL.toNanos() - 1);
        cache.snapshot();
        assertThat(cache.hits()).isEqualTo(1);

        now.addAndGet(1);
        cache.snapshot();
        assertThat(cache.misses()).isEqualTo(2);
        assertThat(store.roundTrips()).isEqualTo(2);
    }

    @Test
    @DisplayName("keeps serving its old copy within the time-to-live, even when the store changed")
    void servesStaleDataWithinTtl() {
        cache.snapshot();
        store.updateCapacity("worker-1", Resources.of(-1_000, -1_024));

        assertThat(cache.snapshot().get(0).free()).isEqualTo(Resources.of(1_000, 1_024));
    }

    @Test
    @DisplayName("reads the store again after a worker is invalidated, and sees the change")
    void invalidationForcesReload() {
        cache.snapshot();
        store.updateCapacity("worker-1", Resources.of(-1_000, -1_024));
        cache.invalidate("worker-1");

        Worker first = cache.snapshot().get(0);

        assertThat(first.free()).isEqualTo(Resources.ZERO);
        assertThat(cache.misses()).isEqualTo(2);
        assertThat(cache.invalidations()).isEqualTo(1);
        assertThat(probe.invalidationsByWorker.get("worker-1")).hasValue(1);
    }

    @Test
    @DisplayName("loads on refresh without counting a hit or a miss, so the next lookup hits")
    void refreshWarmsWithoutCounting() {
        cache.refresh();
        cache.snapshot();

        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isZero();
        assertThat(cache.hitRate()).isEqualTo(1.0);
        assertThat(store.roundTrips()).isEqualTo(1);
    }

    @Test
    @DisplayName("misses on every lookup when its time-to-live is zero")
    void zeroTtlAlwaysMisses() {
        WorkerStateCache uncached = new WorkerStateCache(store, Duration.ZERO, now::get, probe);

        uncached.snapshot();
        uncached.snapshot();

        assertThat(uncached.misses()).isEqualTo(2);
        assertThat(uncached.hitRate()).isZero();
    }
}
