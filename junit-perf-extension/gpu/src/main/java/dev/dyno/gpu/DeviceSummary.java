package dev.dyno.gpu;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.OptionalDouble;
import org.apiguardian.api.API;

/**
 * One device's share of a run.
 *
 * @param key             {@code gpu0}, {@code gpu1}, … or {@code cpu}
 * @param name            the device's name, or {@code CPU}
 * @param workers         workers assigned to it
 * @param succeeded       of those, how many succeeded
 * @param operations      operations its workers completed
 * @param opsPerSecond    the sum of its workers' operations per second
 * @param meanUtilization mean utilisation while workers ran: GPU percent (nvidia-smi) in CUDA mode,
 *                        CPU cores used by its workers in CPU mode; empty when not sampled
 * @param peakMemoryMb    the most device memory in use (CUDA mode) or the most its workers held
 *                        together (CPU mode); empty when not sampled
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record DeviceSummary(String key, String name, int workers, int succeeded, long operations,
        double opsPerSecond, OptionalDouble meanUtilization, OptionalDouble peakMemoryMb) {
}
