package dev.dyno.benchmarks;

import dev.dyno.workloads.scheduler.BatchScheduler;
import dev.dyno.workloads.scheduler.ContainerRequest;
import dev.dyno.workloads.scheduler.ContainerScheduler;
import dev.dyno.workloads.scheduler.PerContainerScheduler;
import dev.dyno.workloads.scheduler.Placement;
import dev.dyno.workloads.scheduler.Resources;
import dev.dyno.workloads.scheduler.WorkerStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scheduler's own CPU cost: 100 containers placed on 20 workers by the {@link BatchScheduler}
 * against the {@link PerContainerScheduler} it replaces (the Java analogue of
 * {@code go test -bench=BenchmarkBatchScheduling -benchmem}).
 *
 * <p>The {@link WorkerStore}'s simulated round-trip latency is zero, so what is measured is the
 * schedulers' computation, locking, allocation and (for the batch scheduler) the hand-off to and
 * from its processing thread, not the waiting that batching exists to save. Performance tests with
 * a real latency show that saving; this benchmark shows what the batching machinery costs, and
 * {@code -prof gc} ({@code gc.alloc.rate.norm}, summed over all threads, so the batch scheduler's
 * processing thread counts) what it allocates per 100 containers.
 *
 * <p>The batch scheduler is given a maximum batch size of exactly 100 and no batch window, so
 * {@code scheduleAll} of 100 requests is cut into one batch at once instead of waiting out the
 * default 10 ms window. Each operation is one {@code scheduleAll} of the same 100 requests
 * ({@code container-1} .. {@code container-100}, 500m CPU and 512 MB each) on 20 idle workers of
 * 4000m CPU and 8192 MB (room for 160). After each operation, outside the measured time, the
 * placements are checked (all 100 placed) and the workers are emptied again through the store, so
 * every operation schedules onto idle workers; the schedulers' caches see the change as they would
 * see another scheduler's, through their invalidations.
 *
 * <p>Each benchmark thread has its own store and scheduler, so {@code -t 2} measures two
 * independent schedulers sharing the machine's cores, not contention on one store.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BatchSchedulingBenchmark {

    static final int CONTAINERS = 100;
    static final int WORKERS = 20;
    static final int CONTAINER_CPU_MILLIS = 500;
    static final int CONTAINER_MEMORY_MB = 512;
    static final int WORKER_CPU_MILLIS = 4_000;
    static final int WORKER_MEMORY_MB = 8_192;

    /** One thread's store and scheduler, and the requests it schedules on every operation. */
    @State(Scope.Thread)
    public static class Cluster {

        @Param({"batch", "perContainer"})
        public String scheduler;

        WorkerStore store;
        ContainerScheduler containerScheduler;
        List<ContainerRequest> requests;
        List<Placement> lastPlacements;

        @Setup(Level.Trial)
        public void startScheduler() {
            store = WorkerStore.uniform(WORKERS, WORKER_CPU_MILLIS, WORKER_MEMORY_MB, Duration.ZERO);
            containerScheduler = switch (scheduler) {
                case "batch" -> BatchScheduler.builder()
                        .store(store)
                        .batchWindow(Duration.ZERO)
                        .maxBatchSize(CONTAINERS)
                        .build();
                case "perContainer" -> PerContainerScheduler.builder().store(store).build();
                default -> throw new IllegalArgumentException("unknown scheduler: " + scheduler);
            };
            requests = ContainerRequest.batch(CONTAINERS, CONTAINER_CPU_MILLIS, CONTAINER_MEMORY_MB);
            // One unmeasured round, so a broken setup fails here rather than producing numbers.
            lastPlacements = containerScheduler.scheduleAll(requests);
            checkAllPlacedAndEmptyWorkers();
        }

        /** Outside the measured time: every operation must have placed everything, on idle workers. */
        @TearDown(Level.Invocation)
        public void checkAllPlacedAndEmptyWorkers() {
            long placed = lastPlacements.stream().filter(Placement::isPlaced).count();
            if (placed != CONTAINERS) {
                throw new IllegalStateException(scheduler + " placed " + placed + " of " + CONTAINERS
                        + " containers: " + lastPlacements);
            }
            Map<String, Resources> free = store.freeCapacities();
            store.capacities().forEach((workerId, capacity) -> {
                Resources used = capacity.minus(free.get(workerId));
                if (!used.equals(Resources.ZERO)) {
                    store.updateCapacity(workerId, used);
                }
            });
            lastPlacements = null;
        }

        @TearDown(Level.Trial)
        public void stopScheduler() {
            containerScheduler.close();
        }
    }

    /** Schedules 100 containers on 20 idle workers and returns the placements. */
    @Benchmark
    public List<Placement> scheduleAll100ContainersOn20Workers(Cluster cluster) {
        List<Placement> placements = cluster.containerScheduler.scheduleAll(cluster.requests);
        cluster.lastPlacements = placements;
        return placements;
    }
}
