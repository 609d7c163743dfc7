package dev.dyno.workloads.scheduler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Placement decisions made in memory against a snapshot of the workers, remembering what each
 * decision consumed so that later decisions in the same plan never count the same capacity twice.
 *
 * <p>Not thread-safe: one plan belongs to one batch (or one request) on one thread.
 */
final class CapacityPlan {

    private final List<Worker> workers;
    private final Map<String, Resources> remaining = new LinkedHashMap<>();

    CapacityPlan(List<Worker> snapshot) {
        this.workers = List.copyOf(snapshot);
        for (Worker worker : workers) {
            remaining.put(worker.id(), worker.free());
        }
    }

    /**
     * Picks the worker for {@code request}, preferring the one its id hashes to and otherwise
     * the next one in order with room, and reserves the request's demand on it in this plan.
     *
     * @return the worker's id, or empty when no worker in the snapshot has room left
     */
    Optional<String> reserve(ContainerRequest request) {
        if (workers.isEmpty()) {
            return Optional.empty();
        }
        Resources demand = request.demand();
        int start = WorkerAffinity.preferredIndex(request.id(), workers.size());
        for (int step = 0; step < workers.size(); step++) {
            String workerId = workers.get((start + step) % workers.size()).id();
            Resources free = remaining.get(workerId);
            if (free.covers(demand)) {
                remaining.put(workerId, free.minus(demand));
                return Optional.of(workerId);
            }
        }
        return Optional.empty();
    }

    /** Why {@link #reserve} found nothing, for the rejection. */
    String noRoomReason(ContainerRequest request) {
        if (workers.isEmpty()) {
            return "no workers registered";
        }
        return "no worker has " + request.demand() + " free (checked " + workers.size() + " workers)";
    }
}
