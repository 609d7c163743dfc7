package dev.dyno.workloads.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The worker store")
class WorkerStoreTests {

    private static final Resources ONE_SLOT = Resources.of(500, 512);

    @Test
    @DisplayName("creates uniform workers named worker-1 to worker-N, in order and idle")
    void createsUniformWorkers() {
        WorkerStore store = WorkerStore.uniform(3, 4_000, 8_192, Duration.ZERO);

        assertThat(store.workerIds()).containsExactly("worker-1", "worker-2", "worker-3");
        assertThat(store.readAllWorkers())
                .extracting(Worker::free)
                .containsOnly(Resources.of(4_000, 8_192));
    }

    @Test
    @DisplayName("refuses an update that would make free capacity negative, and changes nothing")
    void refusesNegativeCapacity() {
        WorkerStore store = WorkerStore.uniform(1, 1_000, 1_024, Duration.ZERO);

        assertThatThrownBy(() -> store.updateCapacity("worker-1", Resources.of(-1_001, -1)))
                .isInstanceOf(CapacityRejectedException.class)
                .hasMessageContaining("worker-1");

        assertThat(store.freeCapacities()).containsEntry("worker-1", Resources.of(1_000, 1_024));
    }

    @Test
    @DisplayName("refuses a release that would leave more free than the worker has")
    void refusesOverRelease() {
        WorkerStore store = WorkerStore.uniform(1, 1_000, 1_024, Duration.ZERO);

        assertThatThrownBy(() -> store.updateCapacity("worker-1", Resources.of(1, 0)))
                .isInstanceOf(CapacityRejectedException.class);
    }

    @Test
    @DisplayName("applies a batch of deltas all or none")
    void appliesBatchAtomically() {
        WorkerStore store = WorkerStore.uniform(1, 1_000, 1_024, Duration.ZERO);
        Resources take = ONE_SLOT.negated();

        assertThatThrownBy(() -> store.batchUpdateCapacity("worker-1", List.of(take, take, take)))
                .isInstanceOf(CapacityRejectedException.class)
                .satisfies(e -> assertThat(((CapacityRejectedException) e).delta())
                        .isEqualTo(Resources.of(-1_500, -1_536)));
        assertThat(store.freeCapacities().get("worker-1")).isEqualTo(Resources.of(1_000, 1_024));

        Worker after = store.batchUpdateCapacity("worker-1", List.of(take, take));
        assertThat(after.free()).isEqualTo(Resources.of(0, 0));
        assertThat(store.freeCapacities().get("worker-1")).isEqualTo(Resources.of(0, 0));
    }

    @Test
    @DisplayName("counts one round trip per operation however many deltas it carries")
    void countsRoundTrips() {
        WorkerStore store = WorkerStore.uniform(2, 4_000, 8_192, Duration.ZERO);
        Resources take = ONE_SLOT.negated();

        store.readAllWorkers();
        store.batchUpdateCapacity("worker-1", List.of(take, take, take, take));
        store.updateCapacity("worker-2", take);
        store.readWorker("worker-2");
        store.freeCapacities(); // inspection, not part of the system under test
        store.lockFor("worker-1");

        assertThat(store.roundTrips()).isEqualTo(4);
    }

    @Test
    @DisplayName("makes every round trip wait at least its latency")
    void waitsForLatency() {
        Duration latency = Duration.ofMillis(20);
        WorkerStore store = WorkerStore.uniform(1, 1_000, 1_024, latency);

        long start = System.nanoTime();
        store.readAllWorkers();
        store.updateCapacity("worker-1", ONE_SLOT.negated());
        long elapsed = System.nanoTime() - start;

        assertThat(elapsed).isGreaterThanOrEqualTo(2 * latency.toNanos());
    }

    @Test
    @DisplayName("never double-books when threads update one worker without taking its lock")
    void staysConsistentUnderContention() throws Exception {
        // 50 slots, 8 threads trying 20 each: the store alone must make exactly 50 succeed.
        WorkerStore store = WorkerStore.uniform(1, 50 * 500, 50 * 512, Duration.ZERO);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                tasks.add(() -> {
                    int won = 0;
                    for (int i = 0; i < 20; i++) {
                        try {
                            store.updateCapacity("worker-1", ONE_SLOT.negated());
                            won++;
                        } catch (CapacityRejectedException full) {
                            // expected once the worker is full
                        }
                    }
                    return won;
                });
            }
            int total = 0;
            for (Future<Integer> result : threads.invokeAll(tasks)) {
                total += result.get();
            }
            assertThat(total).isEqualTo(50);
            assertThat(store.freeCapacities().get("worker-1")).isEqualTo(Resources.ZERO);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    @DisplayName("hands out the same lock for a worker every time, and none for an unknown worker")
    void locksPerWorker() {
        WorkerStore store = WorkerStore.uniform(2, 1_000, 1_024, Duration.ZERO);

        assertThat(store.lockFor("worker-1")).isSameAs(store.lockFor("worker-1"));
        assertThat(store.lockFor("worker-1")).isNotSameAs(store.lockFor("worker-2"));
        assertThatThrownBy(() -> store.lockFor("worker-9")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("refuses two workers with the same id")
    void refusesDuplicateIds() {
        Worker worker = Worker.idle("worker-1", Resources.of(1_000, 1_024));

        assertThatThrownBy(() -> new WorkerStore(List.of(worker, worker), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("worker-1");
    }

    @Test
    @DisplayName("reports free capacities in store order")
    void reportsFreeCapacities() {
        WorkerStore store = WorkerStore.uniform(3, 1_000, 1_024, Duration.ZERO);
        store.updateCapacity("worker-2", ONE_SLOT.negated());

        Map<String, Resources> free = store.freeCapacities();

        assertThat(free).containsExactly(
                Map.entry("worker-1", Resources.of(1_000, 1_024)),
                Map.entry("worker-2", Resources.of(500, 512)),
                Map.entry("worker-3", Resources.of(1_000, 1_024)));
    }
}
