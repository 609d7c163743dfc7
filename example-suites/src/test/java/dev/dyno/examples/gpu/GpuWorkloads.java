package dev.dyno.examples.gpu;

import dev.dyno.gpu.GpuWorkers;
import dev.dyno.runtime.WorkloadCatalog;
import dev.dyno.runtime.WorkloadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The GPU stress worker of {@code workloads/gpu} under {@value GpuWorkers#DEFAULT_WORKER}, the
 * name {@code @GpuWorkers} uses by default: PyTorch or CUDA C with a GPU, the CPU stand-in without.
 * In containers ({@code dyno.runtime=docker}) it runs in {@code dyno.docker.image}'s image, which
 * needs Python 3 (and PyTorch, to use a GPU).
 */
public final class GpuWorkloads implements WorkloadCatalog {

    static final String SCRIPT = "workloads/gpu/gpu_stress_worker.py";

    @Override
    public Map<String, Supplier<WorkloadSpec>> workloads() {
        // copied into the working directory, so the same spec runs as a process and in a container
        return Map.of(GpuWorkers.DEFAULT_WORKER, () -> WorkloadSpec.ofCommand("python3", "gpu_stress_worker.py")
                .withFile(script(), "gpu_stress_worker.py")
                .withName("gpu-stress"));
    }

    /** The worker script, found from the working directory upwards (the module's or the project's). */
    static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SCRIPT);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(SCRIPT + " not found in " + Path.of("").toAbsolutePath() + " or above");
    }
}
