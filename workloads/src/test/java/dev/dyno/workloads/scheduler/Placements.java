package dev.dyno.workloads.scheduler;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Checks on a scheduling run's outcome that several test classes share. */
final class Placements {

    private Placements() {}

    /** How many containers each worker received. */
    static Map<String, Long> perWorker(List<Placement> placements) {
        return placements.stream()
                .filter(Placement::isPlaced)
                .collect(Collectors.groupingBy(Placement::workerId, TreeMap::new, Collectors.counting()));
    }

    /**
     * What each worker should have free: its capacity minus the demand of every container placed
     * on it.
     */
    static Map<String, Resources> expectedFree(
            WorkerStore store, List<ContainerRequest> requests, List<Placement> placements) {
        Map<String, ContainerRequest> byId =
                requests.stream().collect(Collectors.toMap(ContainerRequest::id, Function.identity()));
        Map<String, Resources> free = new TreeMap<>(store.capacities());
        for (Placement placement : placements) {
            if (placement.isPlaced()) {
                free.merge(placement.workerId(), byId.get(placement.containerId()).demand(), Resources::minus);
            }
        }
        return free;
    }
}
