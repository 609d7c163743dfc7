package dev.dyno.gpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Fills one device before the next: a device takes as many workers as its free memory holds
 * ({@code free / memoryPerWorker}), or an even share ({@code ceil(workers / devices)}) when its
 * memory is unknown. Workers beyond what all devices hold are spread round-robin (overcommitted;
 * they may run out of memory, which is what a packed stress test wants to see).
 */
final class PackedAssignment implements DeviceAssignment {

    @Override
    public List<Integer> assign(int workers, List<GpuDevice> devices, long memoryPerWorkerMb) {
        int evenShare = (workers + devices.size() - 1) / devices.size();
        List<Integer> assignment = new ArrayList<>(workers);
        for (GpuDevice device : devices) {
            long capacity = device.memoryFreeMb().isPresent() && memoryPerWorkerMb > 0
                    ? device.memoryFreeMb().getAsLong() / memoryPerWorkerMb
                    : evenShare;
            for (long taken = 0; taken < capacity && assignment.size() < workers; taken++) {
                assignment.add(device.index());
            }
        }
        for (int i = 0; assignment.size() < workers; i++) {
            assignment.add(devices.get(i % devices.size()).index());
        }
        return assignment;
    }
}
