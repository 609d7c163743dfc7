/**
 * {@link dev.dyno.gpu.GpuWorkers @GpuWorkers}: parallel GPU stress workers, as processes or
 * containers, with round-robin (or packed) device assignment through
 * {@link dev.dyno.runtime.WorkloadSpec#withGpuDevices}, discovery with {@code nvidia-smi} (or a
 * declared inventory, {@code dyno.gpus}), per-device utilisation sampling, failure
 * classification, leak checks, and a CPU fallback that says it is one.
 *
 * <pre>{@code
 * @GpuWorkers(workers = 8, duration = "30s", memoryMb = 128)
 * void basicValidation(GpuRun run) {
 *     assertThat(run.successRate()).isGreaterThanOrEqualTo(0.8);
 *     assertThat(run.leftoverProcesses()).isEmpty();
 * }
 * }</pre>
 */
package dev.dyno.gpu;
