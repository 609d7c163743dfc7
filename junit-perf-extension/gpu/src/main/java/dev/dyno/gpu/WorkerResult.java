package dev.dyno.gpu;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * What one GPU worker did.
 *
 * @param worker             its number, from 0
 * @param device             the device index it was assigned; empty on the CPU without devices
 * @param cudaVisibleDevices the {@code CUDA_VISIBLE_DEVICES} it was given; empty when none (as in a
 *                           container given a GPU, which it sees as its device 0)
 * @param mode               where its work ran, as it reported: {@code cuda} or {@code cpu}
 *                           ({@code unknown} without METRICS_JSON)
 * @param backend            what did the work, as it reported: {@code torch}, {@code cuda-c},
 *                           {@code python-cpu}, or {@code unknown}
 * @param failure            why it failed; empty when it succeeded
 * @param exitCode           its exit code (128 + signal when a signal ended it)
 * @param operations         loops of allocate, multiply, free it completed
 * @param opsPerSecond       operations per second of its own run time
 * @param started            when this JVM launched the workers, all at once
 * @param wallTime           from the launch of all workers (they start together) to its exit, as this JVM saw it
 * @param peakMemoryMb       the most memory it held, as it reported
 * @param stdoutLog          its whole standard output
 * @param stderrLog          its whole standard error
 * @param where              where it ran, as {@code RunningWorkload.where()} says: {@code this machine}, or its
 *                           Docker engine (which differs from worker to worker where {@code dyno.docker.hosts} lists
 *                           several)
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record WorkerResult(
        int worker,
        OptionalInt device,
        Optional<String> cudaVisibleDevices,
        String mode,
        String backend,
        Optional<WorkerFailure> failure,
        int exitCode,
        long operations,
        double opsPerSecond,
        Instant started,
        Duration wallTime,
        OptionalDouble peakMemoryMb,
        Path stdoutLog,
        Path stderrLog,
        String where) {

    /** Whether it finished its run and reported it. */
    public boolean succeeded() {
        return failure.isEmpty();
    }

    /** The key of its device in metrics and reports: {@code gpu0}, …, or {@code cpu}. */
    public String deviceKey() {
        return device.isPresent() ? "gpu" + device.getAsInt() : "cpu";
    }
}
