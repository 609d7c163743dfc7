package dev.dyno.workloads.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The per-container scheduler")
class PerContainerSchedulerTests {

    private final RecordingProbe probe = new RecordingProbe();

    @Test
    @DisplayName("takes one lock, one capacity update and one invalidation per container")
    void locksPerContainer() {
        WorkerStore store = WorkerStore.uniform(20, 16_000, 32_768, Duration.ZERO);

        List<Placement> placements;
        try (PerContainerScheduler scheduler = PerContainerScheduler.builder().store(store).probe(probe).build()) {
            placements = scheduler.scheduleAll(ContainerRequest.batch(100, 500, 512));
        }

        assertThat(placements).hasSize(100).allMatch(Placement::isPlaced);
        assertThat(probe.locks()).isEqualTo(100);
        assertThat(probe.capacityUpdates()).isEqualTo(100);
        assertThat(probe.invalidations()).isEqualTo(100);
        // Each worker was locked once for every container placed on it.
        Placements.perWorker(placements).forEach((workerId, count) ->
                assertThat(probe.locksPerWorker().get(workerId)).isEqualTo(count.intValue()));
        assertThat(probe.batchSizes).isEmpty();
    }

    @Test
    @DisplayName("misses the cache on every container because each placement invalidates it")
    void thrashesItsCache() {
        WorkerStore store = WorkerStore.uniform(20, 16_000, 32_768, Duration.ZERO);

        try (PerContainerScheduler scheduler = PerContainerScheduler.builder().store(store).probe(probe).build()) {
            scheduler.scheduleAll(ContainerRequest.batch(100, 500, 512));

            assertThat(scheduler.cache().misses()).isEqualTo(100);
            assertThat(scheduler.cache().hits()).isZero();
        }
        // A read and a write per container.
        assertThat(store.roundTrips()).isEqualTo(200);
        assertThat(probe.storeRoundTrips).hasValue(200);
    }

    @Test
    @DisplayName("leaves each worker with its capacity minus what was placed on it, and rejects the rest")
    void updatesCapacity() {
        WorkerStore store = WorkerStore.uniform(3, 1_000, 1_024, Duration.ZERO);
        List<ContainerRequest> requests = ContainerRequest.batch(10, 500, 512);

        List<Placement> placements;
        try (PerContainerScheduler scheduler = PerContainerScheduler.builder().store(store).build()) {
            placements = scheduler.scheduleAll(requests);
        }

        assertThat(placements).filteredOn(Placement::isPlaced).hasSize(6);
        assertThat(store.freeCapacities()).isEqualTo(Placements.expectedFree(store, requests, placements));
        assertThat(store.freeCapacities().values()).containsOnly(Resources.ZERO);
    }

    @Test
    @DisplayName("keeps every worker's capacity non-negative when eight threads schedule at once")
    void concurrentSchedulingNeverDoubleBooks() throws Exception {
        WorkerStore store = WorkerStore.uniform(5, 2_000, 2_048, Duration.ofMillis(1));
        List<ContainerRequest> requests = ContainerRequest.batch(80, 500, 512);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Placement> placements = new ArrayList<>();
        try (PerContainerScheduler scheduler = PerContainerScheduler.builder().store(store).probe(probe).build()) {
            List<Callable<List<Placement>>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                List<ContainerRequest> share = requests.subList(t * 10, (t + 1) * 10);
                tasks.add(() -> scheduler.scheduleAll(share));
            }
            for (Future<List<Placement>> result : threads.invokeAll(tasks)) {
                placements.addAll(result.get());
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(placements).hasSize(80);
        assertThat(store.freeCapacities().values()).noneMatch(Resources::isNegative);
        assertThat(store.freeCapacities()).isEqualTo(Placements.expectedFree(store, requests, placements));
        assertThat(placements).filteredOn(Placement::isPlaced).hasSizeLessThanOrEqualTo(20);
        assertThat(probe.placedOn).hasSize((int) placements.stream().filter(Placement::isPlaced).count());
    }

    @Test
    @DisplayName("rejects a request whose worker keeps being taken, after the maximum attempts")
    void givesUpAfterRepeatedConflicts() {
        WorkerStore store = WorkerStore.uniform(5, 1_000, 1_024, Duration.ZERO);
        RecordingProbe rival = new RecordingProbe() {
            @Override
            public void lockAcquired(String workerId) {
                super.lockAcquired(workerId);
                store.updateCapacity(workerId, store.freeCapacities().get(workerId).negated());
            }
        };

        Placement placement;
        try (PerContainerScheduler scheduler = PerContainerScheduler.builder().store(store).probe(rival).build()) {
            placement = scheduler.submit(new ContainerRequest("container-1", 500, 512)).join();
        }

        assertThat(placement.isPlaced()).isFalse();
        assertThat(rival.locks()).isEqualTo(PerContainerScheduler.MAX_ATTEMPTS);
        assertThat(rival.capacityUpdates()).isZero();
    }

    @Test
    @DisplayName("refuses requests once closed")
    void refusesAfterClose() {
        PerContainerScheduler scheduler = PerContainerScheduler.builder()
                .store(WorkerStore.uniform(1, 1_000, 1_024, Duration.ZERO))
                .build();
        scheduler.close();

        assertThatThrownBy(() -> scheduler.submit(new ContainerRequest("container-1", 500, 512)))
                .isInstanceOf(RejectedExecutionException.class);
    }
}
