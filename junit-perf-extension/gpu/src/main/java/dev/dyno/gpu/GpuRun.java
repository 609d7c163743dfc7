package dev.dyno.gpu;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The finished run of a {@link GpuWorkers} test, given to the test method to assert on.
 *
 * <pre>{@code
 * @GpuWorkers(workers = 12, duration = "90s")
 * void multiWorkerIntensive(GpuRun run) {
 *     assertThat(run.successRate()).isGreaterThanOrEqualTo(0.8);
 *     assertThat(run.workersPerDevice().values()).containsOnly(3);        // round-robin over 4 GPUs
 *     assertThat(run.imbalance()).isLessThan(0.25);                       // ops/s per device within 25 %
 *     assertThat(run.leftoverProcesses()).isEmpty();
 * }
 * }</pre>
 *
 * <h2>Metrics</h2>
 * The same numbers are in the test's recorder, for thresholds and reports: counters
 * {@code gpu.workers}, {@code gpu.workers.succeeded}, {@code gpu.workers.failed},
 * {@code gpu.operations}, {@code gpu.failures.<class>}; gauges {@code gpu.success_rate},
 * {@code gpu.ops_per_sec}, {@code gpu.imbalance}, {@code gpu.processes.before},
 * {@code gpu.processes.after}, {@code gpu.processes.leaked} (processes, containers and CUDA
 * contexts left); distributions
 * {@code gpu.workers.per.device} and {@code gpu.operations.per.device}; timer
 * {@code gpu.worker.wall}; and time series per device, {@code gpu.<key>.utilization_pct} and
 * {@code gpu.<key>.memory_used_mb} in CUDA mode or {@code cpu.<key>.cores} and
 * {@code cpu.<key>.memory_mb} in CPU mode.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class GpuRun {

    /** The label every report of a CPU-mode run carries. */
    public static final String CPU_FALLBACK_LABEL = "CPU fallback: no GPU on this machine";

    /** Where the workers' work was meant to run. */
    public enum Mode {
        /** On GPUs, through CUDA. */
        CUDA,
        /**
         * On the CPU, as a stand-in: no GPU here, forced, or devices declared but not discoverable.
         * The same loop runs, so assignment, failures and leaks are checked for real, but no number
         * of such a run says anything about a GPU; every report of it carries {@link #CPU_FALLBACK_LABEL}.
         */
        CPU_FALLBACK
    }

    private final GpuPlan plan;
    private final List<WorkerResult> workers;
    private final List<DeviceSummary> devices;
    private final int processesBefore;
    private final int processesAfter;
    private final List<String> leftoverProcesses;
    private final List<Long> leftoverCudaProcesses;
    private final String runtime;
    private final List<String> leftoverContainers;
    private final Map<String, List<UtilisationSampler.Point>> utilisation;

    GpuRun(GpuPlan plan, List<WorkerResult> workers, List<DeviceSummary> devices, int processesBefore,
            int processesAfter, List<String> leftoverProcesses, List<Long> leftoverCudaProcesses, String runtime,
            List<String> leftoverContainers, Map<String, List<UtilisationSampler.Point>> utilisation) {
        this.plan = plan;
        this.workers = List.copyOf(workers);
        this.devices = List.copyOf(devices);
        this.processesBefore = processesBefore;
        this.processesAfter = processesAfter;
        this.leftoverProcesses = List.copyOf(leftoverProcesses);
        this.leftoverCudaProcesses = List.copyOf(leftoverCudaProcesses);
        this.runtime = runtime;
        this.leftoverContainers = List.copyOf(leftoverContainers);
        Map<String, List<UtilisationSampler.Point>> byDevice = new TreeMap<>(GpuExperiment::compareKeys);
        utilisation.forEach((key, points) -> byDevice.put(key, List.copyOf(points)));
        this.utilisation = java.util.Collections.unmodifiableMap(byDevice);
    }

    /** What was planned: the annotation's settings, for the report. */
    GpuPlan plan() {
        return plan;
    }

    /**
     * Per device key, the utilisation sampled while the workers ran: GPU utilisation in CUDA mode,
     * the CPU cores of the device's workers in CPU fallback. For the report's timeline.
     */
    Map<String, List<UtilisationSampler.Point>> utilisation() {
        return utilisation;
    }

    public Mode mode() {
        return plan.mode();
    }

    /** Why the work ran on the CPU, starting with {@link #CPU_FALLBACK_LABEL}; empty in CUDA mode. */
    public Optional<String> fallbackReason() {
        return plan.fallbackReason();
    }

    /** The GPUs found or declared, whether or not they were used. */
    public GpuInventory inventory() {
        return plan.inventory();
    }

    /** The device indexes workers were assigned to, in order; empty on the CPU without devices. */
    public List<Integer> devicesUsed() {
        return plan.devicesUsed();
    }

    public GpuWorkers.Strategy strategy() {
        return plan.strategy();
    }

    /** Every worker, in worker order. */
    public List<WorkerResult> workers() {
        return workers;
    }

    /** The device each worker was assigned, in worker order ({@code -1} for the CPU without devices). */
    public List<Integer> assignment() {
        return workers.stream().map(w -> w.device().orElse(-1)).toList();
    }

    /** Per device (or {@code cpu}), in device order. */
    public List<DeviceSummary> devices() {
        return devices;
    }

    /** The summary of one device by key ({@code gpu0}, …, {@code cpu}). */
    public Optional<DeviceSummary> device(String key) {
        return devices.stream().filter(d -> d.key().equals(key)).findFirst();
    }

    /** Workers per device key, in key order. */
    public Map<String, Integer> workersPerDevice() {
        return devices.stream().collect(Collectors.toMap(DeviceSummary::key, DeviceSummary::workers,
                Integer::sum, TreeMap::new));
    }

    /** The workers that failed. */
    public List<WorkerResult> failures() {
        return workers.stream().filter(w -> !w.succeeded()).toList();
    }

    /** Succeeded workers over all workers, from 0 to 1. */
    public double successRate() {
        return workers.isEmpty() ? 0 : (double) workers.stream().filter(WorkerResult::succeeded).count() / workers.size();
    }

    /** Operations of all workers. */
    public long totalOperations() {
        return workers.stream().mapToLong(WorkerResult::operations).sum();
    }

    /** The sum of the workers' operations per second. */
    public double opsPerSecond() {
        return workers.stream().mapToDouble(WorkerResult::opsPerSecond).sum();
    }

    /**
     * How unevenly the devices worked: the largest distance of one device's operations per second
     * from the mean over devices, as a fraction of that mean (0 when balanced, or with one device).
     */
    public double imbalance() {
        return imbalance(devices.stream().mapToDouble(DeviceSummary::opsPerSecond).toArray());
    }

    static double imbalance(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = java.util.Arrays.stream(values).average().orElse(0);
        if (mean <= 0) {
            return 0;
        }
        return java.util.Arrays.stream(values).map(v -> Math.abs(v - mean)).max().orElse(0) / mean;
    }

    /** Processes this JVM had started (its descendants) before the workers started. */
    public int processesBefore() {
        return processesBefore;
    }

    /** Processes this JVM had started after the workers were gone; equal to {@link #processesBefore()} unless one leaked. */
    public int processesAfter() {
        return processesAfter;
    }

    /** Processes a worker started that were still alive after all workers ended ({@code pid command}). */
    public List<String> leftoverProcesses() {
        return leftoverProcesses;
    }

    /** Pids of workers' processes nvidia-smi still lists as CUDA compute processes afterwards. */
    public List<Long> leftoverCudaProcesses() {
        return leftoverCudaProcesses;
    }

    /**
     * Containers of the run still running after all workers ended, or still there after teardown
     * ({@code id name (state)}); always empty when the workers ran as processes.
     */
    public List<String> leftoverContainers() {
        return leftoverContainers;
    }

    /** Where the workers ran: {@code process} (local processes) or {@code docker} (containers). */
    public String runtime() {
        return runtime;
    }

    /** Whether anything was left behind: processes, containers, CUDA contexts, or a process count above baseline. */
    public boolean leaked() {
        return leakCount(this) > 0;
    }

    /** How many things were left behind, as the gauge {@code gpu.processes.leaked} counts them. */
    static int leakCount(GpuRun run) {
        return run.leftoverProcesses.size() + run.leftoverCudaProcesses.size() + run.leftoverContainers.size()
                + Math.max(0, run.processesAfter - run.processesBefore);
    }

    /** One line for reports: {@code "CUDA on GPUs [0, 1]"} or the CPU fallback label and reason. */
    public String label() {
        return mode() == Mode.CUDA ? "CUDA on GPUs " + devicesUsed() : fallbackReason().orElse(CPU_FALLBACK_LABEL);
    }

    @Override
    public String toString() {
        return "GpuRun[" + label() + ", " + workers.size() + " workers, success " + Math.round(successRate() * 100)
                + " %, " + totalOperations() + " ops]";
    }
}
