package dev.dyno.workloads.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A container waiting to be placed, with what it needs.
 *
 * <pre>{@code
 * var one = new ContainerRequest("web-1", 250, 256);
 * var gpuJob = new ContainerRequest("train-1", 2_000, 16_384, 1);
 * List<ContainerRequest> hundred = ContainerRequest.batch(100, 500, 512); // container-1..container-100
 * }</pre>
 *
 * @param id unique name; the scheduler's worker affinity hashes it
 * @param cpuMillis CPU in millicores
 * @param memoryMb memory in megabytes
 * @param gpus whole GPUs
 */
public record ContainerRequest(String id, int cpuMillis, int memoryMb, int gpus) {

    public ContainerRequest {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a container request needs a non-blank id");
        }
        if (cpuMillis < 0 || memoryMb < 0 || gpus < 0) {
            throw new IllegalArgumentException("container " + id + " asks for a negative amount: "
                    + cpuMillis + "m CPU, " + memoryMb + " MB, " + gpus + " GPU");
        }
    }

    /** A request without GPUs. */
    public ContainerRequest(String id, int cpuMillis, int memoryMb) {
        this(id, cpuMillis, memoryMb, 0);
    }

    /** {@code count} identical requests named {@code container-1} to {@code container-<count>}. */
    public static List<ContainerRequest> batch(int count, int cpuMillis, int memoryMb) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        List<ContainerRequest> requests = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            requests.add(new ContainerRequest("container-" + i, cpuMillis, memoryMb));
        }
        return List.copyOf(requests);
    }

    /** What the container needs, as one amount. */
    public Resources demand() {
        return new Resources(cpuMillis, memoryMb, gpus);
    }
}
