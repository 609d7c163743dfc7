package dev.dyno.workloads.scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts every probe event, per worker where there is one. Thread-safe. */
class RecordingProbe implements SchedulerProbe {

    final Map<String, AtomicInteger> locksByWorker = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> updatesByWorker = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> invalidationsByWorker = new ConcurrentHashMap<>();
    final Map<String, String> placedOn = new ConcurrentHashMap<>();
    final Map<String, String> rejectedWith = new ConcurrentHashMap<>();
    final AtomicInteger cacheHits = new AtomicInteger();
    final AtomicInteger cacheMisses = new AtomicInteger();
    final AtomicInteger storeRoundTrips = new AtomicInteger();
    final AtomicInteger decisions = new AtomicInteger();
    final AtomicInteger batchUpdates = new AtomicInteger();
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void lockAcquired(String workerId) {
        count(locksByWorker, workerId);
    }

    @Override
    public void cacheHit() {
        cacheHits.incrementAndGet();
    }

    @Override
    public void cacheMiss() {
        cacheMisses.incrementAndGet();
    }

    @Override
    public void capacityUpdated(String workerId) {
        count(updatesByWorker, workerId);
    }

    @Override
    public void cacheInvalidated(String workerId) {
        count(invalidationsByWorker, workerId);
    }

    @Override
    public void storeRoundTrip() {
        storeRoundTrips.incrementAndGet();
    }

    @Override
    public void placed(String containerId, String workerId) {
        placedOn.put(containerId, workerId);
    }

    @Override
    public void rejected(String containerId, String reason) {
        rejectedWith.put(containerId, reason);
    }

    @Override
    public void decisionsMade(int count, long nanos) {
        decisions.addAndGet(count);
    }

    @Override
    public void batchUpdated(int workers, long nanos) {
        batchUpdates.incrementAndGet();
    }

    @Override
    public void batchFormed(int size) {
        batchSizes.add(size);
    }

    int locks() {
        return sum(locksByWorker);
    }

    int capacityUpdates() {
        return sum(updatesByWorker);
    }

    int invalidations() {
        return sum(invalidationsByWorker);
    }

    Map<String, Integer> locksPerWorker() {
        return snapshot(locksByWorker);
    }

    Map<String, Integer> updatesPerWorker() {
        return snapshot(updatesByWorker);
    }

    private static void count(Map<String, AtomicInteger> counts, String workerId) {
        counts.computeIfAbsent(workerId, id -> new AtomicInteger()).incrementAndGet();
    }

    private static int sum(Map<String, AtomicInteger> counts) {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private static Map<String, Integer> snapshot(Map<String, AtomicInteger> counts) {
        Map<String, Integer> copy = new TreeMap<>();
        counts.forEach((id, n) -> copy.put(id, n.get()));
        return copy;
    }
}
