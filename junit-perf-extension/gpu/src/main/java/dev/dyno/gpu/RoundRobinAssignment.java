package dev.dyno.gpu;

import java.util.ArrayList;
import java.util.List;

/** Worker {@code i} gets device {@code i mod n}: 0, 1, 2, 3, 0, 1, … (the guide's assignment). */
final class RoundRobinAssignment implements DeviceAssignment {

    @Override
    public List<Integer> assign(int workers, List<GpuDevice> devices, long memoryPerWorkerMb) {
        List<Integer> assignment = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            assignment.add(devices.get(i % devices.size()).index());
        }
        return assignment;
    }
}
