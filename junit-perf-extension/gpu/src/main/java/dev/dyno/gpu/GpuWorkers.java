package dev.dyno.gpu;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.PerfTest;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @GpuWorkers} is used to run a pool of parallel GPU stress workers, one process (or
 * container) each, with their devices assigned round-robin, and to measure
 * what the guide "GPU allocation stress test" asks: the success rate, operations per second per
 * worker and per device, per-device utilisation over time, and whether every process (and every
 * CUDA context) is gone afterwards. Without a GPU the workers fall back to the CPU, and the report
 * says so.
 *
 * <p>It is a {@link PerfTest}: the method may take a {@link dev.dyno.metrics.Recorder}, and gets the
 * finished run as a {@link GpuRun} parameter. The workers run before the method; the method
 * asserts on the result. They run within the method's invocation, so JUnit's {@code @Timeout}
 * covers them: at the timeout the workers still running are stopped
 * ({@link WorkerFailure#STOPPED}), and what finished is reported before the test fails.
 *
 * <pre>{@code
 * class GpuAllocationStressTest {
 *     @GpuWorkers(workers = 8, duration = "30s", memoryMb = 128)
 *     void allocatesRoundRobin(GpuRun run) {
 *         assertThat(run.successRate()).isGreaterThanOrEqualTo(0.8);
 *         assertThat(run.workersPerDevice()).allSatisfy((device, workers) -> assertThat(workers).isEqualTo(2));
 *         assertThat(run.leftoverProcesses()).isEmpty();
 *     }
 * }
 * }</pre>
 *
 * <h2>What runs</h2>
 * Each worker is the {@link #worker()} workload from a {@link dev.dyno.runtime.WorkloadCatalog}
 * (default {@value #DEFAULT_WORKER}: the guide's worker in {@code workloads/gpu}, which multiplies
 * matrices with PyTorch or CUDA C, or on the CPU without a GPU), or the {@link #command()} given.
 * Its device is given with {@link dev.dyno.runtime.WorkloadSpec#withGpuDevices}. It runs as a
 * local process, which sees its device in {@code CUDA_VISIBLE_DEVICES}, or, where the
 * configuration parameter {@code dyno.runtime} is {@code docker}, as a container with a device
 * request for it (which needs the NVIDIA Container Toolkit on the engine; without it the test
 * fails before any container starts). Its environment has
 * {@code CUDA_DEVICE_ORDER=PCI_BUS_ID} (so indexes mean what nvidia-smi says) and
 * {@code DYNO_GPU_WORKER}, {@code DYNO_GPU_DURATION_S}, {@code DYNO_GPU_MEMORY_MB},
 * {@code DYNO_GPU_MODE} ({@code cuda} or {@code cpu}) and, in CPU mode, {@code DYNO_GPU_FORCE_CPU=1}.
 * A worker reports with a {@code METRICS_JSON} block: {@code operations}, {@code ops_per_sec},
 * {@code mode}, {@code error} and more (see the worker).
 *
 * <h2>Devices</h2>
 * GPUs are discovered with {@code nvidia-smi}, restricted to the JVM's own
 * {@code CUDA_VISIBLE_DEVICES}. Where nvidia-smi cannot be run, the configuration parameter
 * {@value #GPUS_PROPERTY} (or {@link #inventory()}) declares them, such as {@code "4"} or
 * {@code "0:NVIDIA H100 80GB HBM3:81559,1:NVIDIA H100 80GB HBM3:81559"}. Declared devices without
 * nvidia-smi are assigned like real ones (each worker still gets its {@code CUDA_VISIBLE_DEVICES}),
 * but no device is requested, the work runs on the CPU, and the report says the devices were
 * declared, not discovered;
 * where a declared device has a memory size, each worker's memory is capped at it.
 *
 * <h2>Without a GPU</h2>
 * {@link #whenNoGpu()} decides: fall back to the CPU (the default; reported as
 * "CPU fallback: no GPU on this machine") or skip the test with the reason.
 *
 * <h2>Pass or fail</h2>
 * The test fails when fewer than {@link #minSuccessRate()} of the workers succeed, when a process
 * a worker started is still alive after the workers ended, when a container of the run is (in
 * containers), or when a worker's CUDA context is left (all checked as the threshold
 * {@code gpu.processes.leaked == 0}), or on any of {@link #thresholds()}.
 *
 * @since 0.1
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@PerfTest
@ExtendWith(GpuWorkersExtension.class)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface GpuWorkers {

    /**
     * Configuration parameter declaring the GPUs instead of discovering them;
     * {@link dev.dyno.config.DynoConfiguration#GPUS_PROPERTY}.
     */
    String GPUS_PROPERTY = dev.dyno.config.DynoConfiguration.GPUS_PROPERTY;

    /** The catalog name of the default worker, the guide's stress worker. */
    String DEFAULT_WORKER = "gpu-stress";

    /** {@link #workers()} value meaning two workers per device used (two in CPU mode), as the guide does. */
    int TWO_PER_DEVICE = 0;

    /** The most workers one test may start. */
    int MAX_WORKERS = 256;

    /** How workers are spread over devices. */
    enum Strategy {
        /** Worker {@code i} gets device {@code i mod n}. */
        ROUND_ROBIN,
        /** Fill a device up to what its free memory holds, then the next. */
        PACKED
    }

    /** What to do when no GPU is there (or {@link #devices()} names none that is). */
    enum WhenNoGpu {
        /** Run the same workers on the CPU, labelled as CPU fallback. */
        FALL_BACK_TO_CPU,
        /** Skip the test with the reason; with {@code dyno.skips = fail}, fail it (see {@link dev.dyno.config.DynoAssumptions}). */
        SKIP
    }

    /** How many workers run in parallel; {@link #TWO_PER_DEVICE} (the default) is two per device used. */
    int workers() default TWO_PER_DEVICE;

    /** How long each worker runs, such as {@code "60s"} (the guide's default) or {@code "500ms"}. */
    String duration() default "60s";

    /**
     * In {@link dev.dyno.config.RunMode#CI} (the default for {@code mvn verify}), {@link #duration()} is
     * multiplied by this, from 0.001 to 1 (default 1: no change), so the guide's durations can be
     * written as they are and CI stays short. {@code -Pperf} ({@code dyno.mode=full}) runs them in full.
     */
    double ciScale() default 1.0;

    /** Memory each worker allocates in every loop, in MiB (the guide's {@code --memory}; default 256). */
    int memoryMb() default 256;

    /** Device indexes to use, such as {@code {0, 2}} or {@code {1}}; empty (the default) for all visible GPUs. */
    int[] devices() default {};

    /** Runs on the CPU even where GPUs are visible (the guide's "force CPU" launch configuration). */
    boolean forceCpu() default false;

    /** How workers are assigned to devices: round-robin (the default) or packed. */
    Strategy assignment() default Strategy.ROUND_ROBIN;

    /** What happens where no GPU is there: fall back to the CPU (the default) or skip. */
    WhenNoGpu whenNoGpu() default WhenNoGpu.FALL_BACK_TO_CPU;

    /** The fraction of workers that must succeed, from 0 to 1 (default 0.8, the guide's 80 %). */
    double minSuccessRate() default 0.8;

    /** The worker, by {@link dev.dyno.runtime.WorkloadCatalog} name; ignored when {@link #command()} is given. */
    String worker() default DEFAULT_WORKER;

    /** A worker command of your own, program first, instead of {@link #worker()}. */
    String[] command() default {};

    /**
     * How long a worker may run before it is killed and counted as timed out; empty (the default)
     * for twice {@link #duration()} plus 30 s.
     */
    String timeout() default "";

    /** How often utilisation is sampled while workers run. */
    String sampleInterval() default "1s";

    /**
     * Devices to assume instead of discovering them, in {@value #GPUS_PROPERTY}'s notation; for
     * checking assignment on a machine without those GPUs. Empty (the default) uses
     * {@value #GPUS_PROPERTY} if set, else nvidia-smi.
     */
    String inventory() default "";

    /** More thresholds, like {@link PerfTest#thresholds()}, on the metrics listed in {@link GpuRun}. */
    String[] thresholds() default {};
}
