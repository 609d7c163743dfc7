package dev.dyno.workloads.scheduler;

import java.util.Objects;

/**
 * The outcome for one container: placed on a worker, or rejected with a reason.
 *
 * <p>A rejection is an ordinary outcome (the cluster is full, nothing has a GPU), so schedulers
 * complete their futures normally with a rejected placement; a future completes exceptionally
 * only when scheduling itself failed, for example because the scheduler was closed.
 *
 * <pre>{@code
 * Placement p = scheduler.submit(request).join();
 * if (p.isPlaced()) {
 *     System.out.println(p.containerId() + " runs on " + p.workerId());
 * } else {
 *     System.out.println(p.containerId() + " rejected: " + p.rejectionReason());
 * }
 * }</pre>
 *
 * @param containerId the request's id
 * @param workerId the worker that now holds the container's resources; {@code null} when rejected
 * @param rejectionReason why nothing could take it; {@code null} when placed
 */
public record Placement(String containerId, String workerId, String rejectionReason) {

    public Placement {
        Objects.requireNonNull(containerId, "containerId");
        if ((workerId == null) == (rejectionReason == null)) {
            throw new IllegalArgumentException(
                    "a placement has either a worker or a rejection reason, not both or neither");
        }
    }

    /** The container now holds capacity on {@code workerId}. */
    public static Placement placed(String containerId, String workerId) {
        return new Placement(containerId, Objects.requireNonNull(workerId, "workerId"), null);
    }

    /** The container was not placed. */
    public static Placement rejected(String containerId, String reason) {
        return new Placement(containerId, null, Objects.requireNonNull(reason, "reason"));
    }

    /** Whether the container got a worker. */
    public boolean isPlaced() {
        return workerId != null;
    }
}
