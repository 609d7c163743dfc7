package dev.dyno.workloads.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Places containers on workers. Implementations are thread-safe: any number of threads may
 * submit at once.
 *
 * <p>A container that fits nowhere is not an error: its future completes normally with a
 * {@linkplain Placement#rejected rejected} placement. A future completes exceptionally only
 * when scheduling itself failed.
 *
 * <pre>{@code
 * try (ContainerScheduler scheduler = BatchScheduler.builder().store(store).build()) {
 *     CompletableFuture<Placement> one = scheduler.submit(new ContainerRequest("web-1", 250, 256));
 *     List<Placement> many = scheduler.scheduleAll(ContainerRequest.batch(100, 500, 512));
 * }
 * }</pre>
 */
public interface ContainerScheduler extends AutoCloseable {

    /**
     * Queues or schedules one request.
     *
     * @return completes with the outcome once the container's capacity is committed or refused
     * @throws java.util.concurrent.RejectedExecutionException if the scheduler is closed
     */
    CompletableFuture<Placement> submit(ContainerRequest request);

    /**
     * Submits every request and waits for all outcomes.
     *
     * @return one placement per request, in the order of {@code requests}
     * @throws java.util.concurrent.CompletionException if scheduling failed for any request
     */
    default List<Placement> scheduleAll(List<ContainerRequest> requests) {
        List<CompletableFuture<Placement>> futures = new ArrayList<>(requests.size());
        for (ContainerRequest request : requests) {
            futures.add(submit(request));
        }
        List<Placement> placements = new ArrayList<>(futures.size());
        for (CompletableFuture<Placement> future : futures) {
            placements.add(future.join());
        }
        return placements;
    }

    /** The cache this scheduler reads worker states through; for warming it and for its counts. */
    WorkerStateCache cache();

    /** Stops accepting requests; requests already accepted are still scheduled. */
    @Override
    void close();
}
