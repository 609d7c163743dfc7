package dev.dyno.gpu;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.apiguardian.api.API;

/**
 * One GPU as {@code nvidia-smi} reports it, or as {@value GpuWorkers#GPUS_PROPERTY} declares it.
 *
 * @param index             the device index nvidia-smi uses, which {@code CUDA_VISIBLE_DEVICES} takes
 * @param uuid              the device UUID ({@code GPU-5f2b...}); empty when declared
 * @param name              the product name, such as {@code NVIDIA H100 80GB HBM3}
 * @param memoryTotalMb     total memory in MiB; empty when unknown
 * @param memoryUsedMb      memory in use when it was read, in MiB; empty when unknown
 * @param utilizationPercent GPU utilisation when it was read; empty when unknown
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record GpuDevice(int index, String uuid, String name, OptionalLong memoryTotalMb, OptionalLong memoryUsedMb,
        OptionalDouble utilizationPercent) {

    public GpuDevice {
        if (index < 0) {
            throw new IllegalArgumentException("GPU index " + index + " is negative");
        }
        uuid = uuid == null ? "" : uuid;
        name = name == null || name.isBlank() ? "GPU " + index : name;
    }

    /** A declared device: index, name and memory only. */
    static GpuDevice declared(int index, String name, OptionalLong memoryTotalMb) {
        return new GpuDevice(index, "", name, memoryTotalMb, OptionalLong.empty(), OptionalDouble.empty());
    }

    /** Free memory in MiB when total and used are known; total alone when only it is. */
    public OptionalLong memoryFreeMb() {
        if (memoryTotalMb.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, memoryTotalMb.getAsLong() - memoryUsedMb.orElse(0)));
    }

    /** The key this device has in metrics and reports: {@code gpu0}, {@code gpu1}, … */
    public String key() {
        return "gpu" + index;
    }
}
