package dev.dyno.examples.scheduler;

import dev.dyno.metrics.Counter;
import dev.dyno.metrics.Distribution;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.Timer;
import dev.dyno.workloads.scheduler.SchedulerProbe;

/**
 * Bridges the scheduler's probe to Dyno's recorder: every lock, cache lookup and capacity update is
 * counted where the scheduler does it. Metrics are looked up once, so counting costs no allocation
 * while the scheduler holds its locks.
 */
final class RecorderProbe implements SchedulerProbe {

    private final Counter locks;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter capacityUpdates;
    private final Counter invalidations;
    private final Counter roundTrips;
    private final Counter rejected;
    private final Distribution perWorker;
    private final Timer decide;
    private final Timer batchUpdate;

    /** Names every metric {@code prefix + name}, so two schedulers can be compared in one test. */
    RecorderProbe(Recorder recorder, String prefix) {
        locks = recorder.counter(prefix + "locks.acquired");
        cacheHits = recorder.counter(prefix + "cache.hit");
        cacheMisses = recorder.counter(prefix + "cache.miss");
        capacityUpdates = recorder.counter(prefix + "capacity.updates");
        invalidations = recorder.counter(prefix + "cache.invalidations");
        roundTrips = recorder.counter(prefix + "store.round_trips");
        rejected = recorder.counter(prefix + "containers.rejected");
        perWorker = recorder.distribution(prefix + "containers.per.worker");
        decide = recorder.timer(prefix + "decide");
        batchUpdate = recorder.timer(prefix + "batch.update");
    }

    void expectWorkers(Iterable<String> workerIds) {
        perWorker.expectKeys(workerIds);
    }

    @Override
    public void lockAcquired(String workerId) {
        locks.increment();
    }

    @Override
    public void cacheHit() {
        cacheHits.increment();
    }

    @Override
    public void cacheMiss() {
        cacheMisses.increment();
    }

    @Override
    public void capacityUpdated(String workerId) {
        capacityUpdates.increment();
    }

    @Override
    public void cacheInvalidated(String workerId) {
        invalidations.increment();
    }

    @Override
    public void storeRoundTrip() {
        roundTrips.increment();
    }

    @Override
    public void placed(String containerId, String workerId) {
        perWorker.increment(workerId);
    }

    @Override
    public void rejected(String containerId, String reason) {
        rejected.increment();
    }

    @Override
    public void decisionsMade(int count, long nanos) {
        decide.recordNanos(nanos);
    }

    @Override
    public void batchUpdated(int workers, long nanos) {
        batchUpdate.recordNanos(nanos);
    }
}
