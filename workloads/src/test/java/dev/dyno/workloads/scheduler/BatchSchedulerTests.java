package dev.dyno.workloads.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The batch scheduler")
class BatchSchedulerTests {

    private static final Duration LATENCY = Duration.ofMillis(1);

    private final RecordingProbe probe = new RecordingProbe();

    @Test
    @DisplayName("places 100 containers on 20 workers with one lock and one capacity update per worker used")
    void placesWithOneLockPerWorker() {
        WorkerStore store = WorkerStore.uniform(20, 16_000, 32_768, LATENCY);
        List<ContainerRequest> requests = ContainerRequest.batch(100, 500, 512);

        List<Placement> placements;
        try (BatchScheduler scheduler = BatchScheduler.builder().store(store).probe(probe).build()) {
            placements = scheduler.scheduleAll(requests);
        }

        assertThat(placements).hasSize(100).allMatch(Placement::isPlaced);
        Map<String, Long> used = Placements.perWorker(placements);
        assertThat(probe.locksPerWorker()).containsOnlyKeys(used.keySet());
        assertThat(probe.locksPerWorker().values()).containsOnly(1);
        assertThat(probe.updatesPerWorker()).containsOnlyKeys(used.keySet());
        assertThat(probe.updatesPerWorker().values()).containsOnly(1);
        assertThat(probe.invalidations()).isEqualTo(used.size());
        assertThat(probe.batchSizes).containsExactly(100);
        assertThat(probe.cacheHits.get() + probe.cacheMisses.get()).isEqualTo(1);
        assertThat(probe.decisions).hasValue(100);
        // One read for the snapshot, one write per worker used.
        assertThat(store.roundTrips()).isEqualTo(1 + used.size());
        assertThat(probe.storeRoundTrips.get()).isEqualTo(store.roundTrips());
    }

    @Test
    @DisplayName("leaves each worker with its capacity minus what was placed on it")
    void updatesCapacity() {
        WorkerStore store = WorkerStore.uniform(20, 4_000, 8_192, Duration.ZERO);
        List<ContainerRequest> requests = ContainerRequest.batch(100, 500, 512);

        List<Placement> placements;
        try (BatchScheduler scheduler = BatchScheduler.builder().store(store).build()) {
            placements = scheduler.scheduleAll(requests);
        }

        assertThat(placements).allMatch(Placement::isPlaced);
        assertThat(store.freeCapacities()).isEqualTo(Placements.expectedFree(store, requests, placements));
        assertThat(store.freeCapacities().values()).noneMatch(Resources::isNegative);
    }

    @Test
    @DisplayName("places each container on the worker its id hashes to when that worker has room")
    void followsAffinity() {
        WorkerStore store = WorkerStore.uniform(20, 64_000, 65_536, Duration.ZERO);
        List<String> workerIds = store.workerIds();

        List<Placement> placements;
        try (BatchScheduler scheduler = BatchScheduler.builder().store(store).build()) {
            placements = scheduler.scheduleAll(ContainerRequest.batch(100, 500, 512));
        }

        assertThat(placements).allSatisfy(p -> assertThat(p.workerId())
                .isEqualTo(workerIds.get(WorkerAffinity.preferredIndex(p.containerId(), 20))));
    }

    @Test
    @DisplayName("never over-books a worker within a batch: 3 workers with room for 2 take 6 of 10")
    void neverOverBooksWithinBatch() {
        WorkerStore store = WorkerStore.uniform(3, 1_000, 1_024, Duration.ZERO);

        List<Placement> placements;
        try (BatchScheduler scheduler = BatchScheduler.builder().store(store).probe(probe).build()) {
            placements = scheduler.scheduleAll(ContainerRequest.batch(10, 500, 512));
        }

        assertThat(placements).filteredOn(Placement::isPlaced).hasSize(6);
        assertThat(placements).filteredOn(p -> !p.isPlaced()).hasSize(4)
                .allSatisfy(p -> assertThat(p.rejectionReason()).contains("no worker has"));
        assertThat(Placements.perWorker(placements)).containsOnly(
                Map.entry("worker-1", 2L), Map.entry("worker-2", 2L), Map.entry("worker-3", 2L));
        assertThat(store.freeCapacities().values()).containsOnly(Resources.ZERO);
        assertThat(probe.rejectedWith).hasSize(4);
        // The store refused nothing: the batch's own bookkeeping kept it within capacity.
        assertThat(probe.locks()).isEqualTo(3);
    }

    @Test
    @DisplayName("keeps every worker's capacity non-negative when eight threads submit at once")
    void concurrentSubmissionNeverDoubleBooks() throws Exception {
        // 5 workers with 4 slots each, 200 requests from 8 threads: exactly 20 can be placed.
        WorkerStore store = WorkerStore.uniform(5, 2_000, 2_048, Duration.ZERO);
        List<ContainerRequest> requests = ContainerRequest.batch(200, 500, 512);
        List<Placement> placements = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (BatchScheduler scheduler = BatchScheduler.builder()
                .store(store)
                .batchWindow(Duration.ofMillis(1))
                .maxBatchSize(16)
                .probe(probe)
                .build()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> submitters = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                List<ContainerRequest> share = requests.subList(t * 25, (t + 1) * 25);
                submitters.add(threads.submit(() -> {
                    start.await();
                    List<CompletableFuture<Placement>> futures = new ArrayList<>();
                    for (ContainerRequest request : share) {
                        futures.add(scheduler.submit(request));
                    }
                    for (CompletableFuture<Placement> future : futures) {
                        placements.add(future.get(5, TimeUnit.SECONDS));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> submitter : submitters) {
                submitter.get(10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(placements).hasSize(200);
        assertThat(placements).filteredOn(Placement::isPlaced).hasSize(20);
        assertThat(store.freeCapacities().values()).containsOnly(Resources.ZERO);
        assertThat(store.freeCapacities()).isEqualTo(Placements.expectedFree(store, requests, placements));
        assertThat(probe.batchSizes).allMatch(size -> size <= 16);
        assertThat(probe.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
    }

    @Test
    @DisplayName("cuts batches at the maximum size and takes one snapshot per batch")
    void cutsBatchesAtMaxSize() {
        WorkerStore store = WorkerStore.uniform(20, 16_000, 32_768, Duration.ZERO);

        try (BatchScheduler scheduler = BatchScheduler.builder().store(store).maxBatchSize(30).probe(probe).build()) {
            scheduler.scheduleAll(ContainerRequest.batch(100, 500, 512));
        }

        assertThat(probe.batchSizes).containsExactly(30, 30, 30, 10);
        assertThat(probe.cacheHits.get() + probe.cacheMisses.get()).isEqualTo(4);
        assertThat(probe.batchUpdates).hasValue(4);
    }

    @Test
    @DisplayName("serves a batch from a warmed cache with a hit and no store read")
    void warmedCacheHits() {
        WorkerStore store = WorkerStore.uniform(20, 16_000, 32_768, Duration.ZERO);

        try (BatchScheduler scheduler = BatchScheduler.builder().store(store).probe(probe).build()) {
            scheduler.cache().refresh();
            long readsBefore = store.roundTrips();
            List<Placement> placements = scheduler.scheduleAll(ContainerRequest.batch(100, 500, 512));

            assertThat(probe.cacheHits).hasValue(1);
            assertThat(probe.cacheMisses).hasValue(0);
            assertThat(store.roundTrips() - readsBefore).isEqualTo(Placements.perWorker(placements).size());
        }
    }

    @Test
    @DisplayName("updates a worker's capacity only while holding that worker's lock")
    void updatesUnderLock() {
        WorkerStore store = WorkerStore.uniform(20, 16_000, 32_768, Duration.ZERO);
        List<String> unlockedUpdates = new CopyOnWriteArrayList<>();
        SchedulerProbe lockChecker = new SchedulerProbe() {
            @Override
            public void capacityUpdated(String workerId) {
                if (!store.lockFor(workerId).isHeldByCurrentThread()) {
                    unlockedUpdates.add(workerId);
                }
            }
        };

        try (BatchScheduler scheduler = BatchScheduler.builder().store(store).probe(lockChecker).build()) {
            scheduler.scheduleAll(ContainerRequest.batch(100, 500, 512));
        }

        assertThat(unlockedUpdates).isEmpty();
        assertThat(store.workerIds()).allSatisfy(id -> assertThat(store.lockFor(id).isLocked()).isFalse());
    }

    @Test
    @DisplayName("decides again on a fresh snapshot when another scheduler took the capacity it saw")
    void retriesAfterStaleSnapshot() {
        WorkerStore store = WorkerStore.uniform(3, 1_000, 1_024, Duration.ZERO);
        int preferred = WorkerAffinity.preferredIndex("container-1", 3);
        String preferredWorker = store.workerIds().get(preferred);
        String nextWorker = store.workerIds().get((preferred + 1) % 3);

        try (BatchScheduler scheduler = BatchScheduler.builder()
                .store(store)
                .cacheTtl(Duration.ofMinutes(1))
                .probe(probe)
                .build()) {
            scheduler.cache().refresh();
            // Someone else fills the preferred worker; our cache still thinks it is empty.
            store.updateCapacity(preferredWorker, Resources.of(-1_000, -1_024));

            Placement placement = scheduler.submit(new ContainerRequest("container-1", 500, 512)).join();

            assertThat(placement.workerId()).isEqualTo(nextWorker);
        }
        assertThat(probe.locksPerWorker()).containsOnly(Map.entry(preferredWorker, 1), Map.entry(nextWorker, 1));
        assertThat(probe.updatesPerWorker()).containsOnly(Map.entry(nextWorker, 1));
        assertThat(probe.cacheHits).hasValue(1);
        assertThat(probe.cacheMisses).hasValue(1);
        assertThat(store.freeCapacities().values()).noneMatch(Resources::isNegative);
    }

    @Test
    @DisplayName("rejects a request whose worker keeps being taken, after the maximum attempts")
    void givesUpAfterRepeatedConflicts() {
        WorkerStore store = WorkerStore.uniform(5, 1_000, 1_024, Duration.ZERO);
        // A rival that empties each worker the moment we lock it, as a racing replica could.
        RecordingProbe rival = new RecordingProbe() {
            @Override
            public void lockAcquired(String workerId) {
                super.lockAcquired(workerId);
                store.updateCapacity(workerId, store.freeCapacities().get(workerId).negated());
            }
        };

        Placement placement;
        try (BatchScheduler scheduler = BatchScheduler.builder().store(store).probe(rival).build()) {
            placement = scheduler.submit(new ContainerRequest("container-1", 500, 512)).join();
        }

        assertThat(placement.isPlaced()).isFalse();
        assertThat(placement.rejectionReason()).contains("changed");
        assertThat(rival.locks()).isEqualTo(BatchScheduler.MAX_ATTEMPTS);
        assertThat(rival.capacityUpdates()).isZero();
    }

    @Test
    @DisplayName("rejects a GPU request unless a worker with a free GPU exists, then places it there")
    void placesGpuWorkOnGpuWorkers() {
        WorkerStore store = new WorkerStore(List.of(
                Worker.idle("cpu-1", Resources.of(8_000, 16_384)),
                Worker.idle("cpu-2", Resources.of(8_000, 16_384)),
                Worker.idle("gpu-1", Resources.of(8_000, 16_384, 1))), Duration.ZERO);

        List<Placement> placements;
        try (BatchScheduler scheduler = BatchScheduler.builder().store(store).build()) {
            placements = scheduler.scheduleAll(List.of(
                    new ContainerRequest("train-1", 1_000, 1_024, 1),
                    new ContainerRequest("train-2", 1_000, 1_024, 1)));
        }

        assertThat(placements.get(0).workerId()).isEqualTo("gpu-1");
        assertThat(placements.get(1).isPlaced()).isFalse();
        assertThat(store.freeCapacities().get("gpu-1").gpus()).isZero();
    }

    @Test
    @DisplayName("schedules what is queued when closed, without waiting out the window, then refuses more")
    void closesGracefully() {
        WorkerStore store = WorkerStore.uniform(2, 1_000, 1_024, Duration.ZERO);
        BatchScheduler scheduler = BatchScheduler.builder().store(store).batchWindow(Duration.ofMinutes(1)).build();

        CompletableFuture<Placement> queued = scheduler.submit(new ContainerRequest("container-1", 500, 512));
        long start = System.nanoTime();
        scheduler.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(queued).isCompletedWithValueMatching(Placement::isPlaced);
        assertThatThrownBy(() -> scheduler.submit(new ContainerRequest("container-2", 500, 512)))
                .isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    @DisplayName("needs a store")
    void needsStore() {
        assertThatThrownBy(() -> BatchScheduler.builder().build()).isInstanceOf(IllegalStateException.class);
    }
}
