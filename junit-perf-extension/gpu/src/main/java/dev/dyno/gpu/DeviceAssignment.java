package dev.dyno.gpu;

import java.util.List;

/** Decides which device each worker gets. */
interface DeviceAssignment {

    /**
     * The device index for each of {@code workers} workers, in worker order.
     *
     * @param devices          the devices to use, in order; never empty
     * @param memoryPerWorkerMb what each worker allocates, for strategies that pack by memory
     */
    List<Integer> assign(int workers, List<GpuDevice> devices, long memoryPerWorkerMb);

    static DeviceAssignment of(GpuWorkers.Strategy strategy) {
        return switch (strategy) {
            case ROUND_ROBIN -> new RoundRobinAssignment();
            case PACKED -> new PackedAssignment();
        };
    }
}
