package dev.dyno.gpu;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.config.RunMode;
import dev.dyno.metrics.DurationText;
import dev.dyno.runtime.DockerRuntime;
import dev.dyno.runtime.ProcessRuntime;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.WorkloadCatalog;
import dev.dyno.runtime.WorkloadSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * A validated {@link GpuWorkers} annotation, with its devices resolved: what will run, where, and
 * in which mode. Made in {@code beforeEach}, before anything is started.
 *
 * @param mode           CUDA, or CPU fallback
 * @param fallbackReason the report's CPU-fallback line; empty in CUDA mode
 * @param inventory      the GPUs found or declared
 * @param devicesUsed    the devices workers are spread over; empty without devices
 * @param assignment     each worker's device, in worker order (empty entries without devices)
 * @param memoryCapsMb   each worker's memory cap in CPU mode (a declared device's memory), in worker order
 * @param runtime        where the workers run: {@link ProcessRuntime#NAME} or {@link DockerRuntime#NAME}
 */
record GpuPlan(
        GpuWorkers.Strategy strategy,
        Duration duration,
        int memoryMb,
        double minSuccessRate,
        Duration timeout,
        Duration sampleInterval,
        WorkloadSpec workerSpec,
        GpuRun.Mode mode,
        Optional<String> fallbackReason,
        GpuInventory inventory,
        List<Integer> devicesUsed,
        List<OptionalInt> assignment,
        List<OptionalLong> memoryCapsMb,
        boolean forceCpu,
        String runtime) {

    static final int MAX_MEMORY_MB = 1 << 20;
    static final Duration MIN_SAMPLE_INTERVAL = Duration.ofMillis(100);
    static final Duration TIMEOUT_MARGIN = Duration.ofSeconds(30);

    static final String CUDA_VISIBLE_DEVICES = "CUDA_VISIBLE_DEVICES";

    /**
     * Where the inputs of a plan come from, apart from the annotation; tests replace it.
     *
     * @param declaredGpus  {@value GpuWorkers#GPUS_PROPERTY}, if set
     * @param configuration the rest of the test's configuration: runtime and mode
     */
    record Environment(Optional<String> declaredGpus, Supplier<GpuInventory> discovery,
            Supplier<Boolean> nvidiaSmiAvailable, DynoConfiguration configuration) {

        static Environment of(DynoConfiguration configuration) {
            NvidiaSmi smi = NvidiaSmi.onPath();
            return new Environment(configuration.gpus(), () -> smi.discover(System.getenv(CUDA_VISIBLE_DEVICES)),
                    smi::available, configuration);
        }
    }

    /** What decides that the test is skipped instead of run. */
    static final class Skip extends RuntimeException {
        Skip(String reason) {
            super(reason, null, false, false);
        }
    }

    int workers() {
        return assignment.size();
    }

    /**
     * What worker {@code worker} runs, without its memory cap (which only some runtimes enforce).
     * In CUDA mode its device is requested with {@link WorkloadSpec#withGpuDevices}: a process
     * sees it in {@code CUDA_VISIBLE_DEVICES}, a container gets it by a device request. In CPU
     * fallback no device is requested; where declared devices were assigned, the worker still
     * sees its assignment in {@code CUDA_VISIBLE_DEVICES}, and forced to the CPU it sees none.
     */
    WorkloadSpec specOf(int worker) {
        OptionalInt device = assignment.get(worker);
        WorkloadSpec spec = workerSpec
                .withName("gpu-worker-" + worker)
                .withEnv("DYNO_GPU_WORKER", String.valueOf(worker))
                .withEnv("DYNO_GPU_DURATION_S", String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e9))
                .withEnv("DYNO_GPU_MEMORY_MB", String.valueOf(memoryMb))
                .withEnv("DYNO_GPU_MODE", mode == GpuRun.Mode.CUDA ? "cuda" : "cpu")
                .withEnv("CUDA_DEVICE_ORDER", "PCI_BUS_ID")
                .withReadiness(Readiness.started());
        if (device.isPresent() && mode == GpuRun.Mode.CUDA) {
            spec = spec.withGpuDevices(List.of(String.valueOf(device.getAsInt())));
        } else if (device.isPresent()) {
            // declared, not discovered: the assignment is real, the device is not, so nothing is requested
            spec = spec.withEnv(CUDA_VISIBLE_DEVICES, String.valueOf(device.getAsInt()));
        } else if (forceCpu) {
            spec = spec.withEnv(CUDA_VISIBLE_DEVICES, ""); // hides every GPU, as the guide's "force CPU" does
        }
        if (mode == GpuRun.Mode.CPU_FALLBACK) {
            spec = spec.withEnv("DYNO_GPU_FORCE_CPU", "1");
        }
        return spec;
    }

    /**
     * Validates every attribute, then resolves the devices.
     *
     * @throws ExtensionConfigurationException naming the attribute, the value and what is allowed
     * @throws Skip                            when there is no GPU and the annotation says to skip
     */
    static GpuPlan of(GpuWorkers annotation, Environment environment) {
        // 1. Every attribute, before anything is looked at or started.
        if (annotation.workers() < 0 || annotation.workers() > GpuWorkers.MAX_WORKERS) {
            throw invalid("workers", annotation.workers(), "allowed are 1 to " + GpuWorkers.MAX_WORKERS
                    + ", or GpuWorkers.TWO_PER_DEVICE (0, the default) for two workers per device");
        }
        Duration written = DurationText.parsePositive("@GpuWorkers(duration)", annotation.duration());
        double scale = annotation.ciScale();
        if (!(scale >= 0.001 && scale <= 1)) {
            throw invalid("ciScale", scale, "allowed is a factor from 0.001 to 1 for CI runs, such as 0.1");
        }
        Duration duration = environment.configuration().mode() == RunMode.CI && scale < 1
                ? Duration.ofNanos(Math.max(1_000_000, Math.round(written.toNanos() * scale)))
                : written;
        if (annotation.memoryMb() < 1 || annotation.memoryMb() > MAX_MEMORY_MB) {
            throw invalid("memoryMb", annotation.memoryMb(), "allowed are 1 to " + MAX_MEMORY_MB + " MiB per worker, "
                    + "such as 256");
        }
        int[] requested = annotation.devices();
        Set<Integer> seen = new HashSet<>();
        for (int device : requested) {
            if (device < 0) {
                throw invalid("devices", Arrays.toString(requested), "device indexes are 0 or more, such as {0, 2}");
            }
            if (!seen.add(device)) {
                throw invalid("devices", Arrays.toString(requested), "names device " + device + " twice");
            }
        }
        if (annotation.forceCpu() && requested.length > 0) {
            throw invalid("devices", Arrays.toString(requested), "cannot be combined with forceCpu = true; "
                    + "give devices to run on GPUs, or forceCpu = true to run on the CPU");
        }
        double rate = annotation.minSuccessRate();
        if (!(rate >= 0 && rate <= 1)) {
            throw invalid("minSuccessRate", rate, "allowed is a fraction from 0 to 1, such as 0.8 for 80 %");
        }
        WorkloadSpec spec = workerSpec(annotation);
        // Workers run as local processes unless the configuration asks for Docker by name.
        String runtime = environment.configuration().runtime().equals(DockerRuntime.NAME) ? DockerRuntime.NAME
                : ProcessRuntime.NAME;
        Duration timeout = annotation.timeout().isBlank()
                ? duration.multipliedBy(2).plus(TIMEOUT_MARGIN)
                : DurationText.parsePositive("@GpuWorkers(timeout)", annotation.timeout());
        if (timeout.compareTo(duration) <= 0) {
            throw invalid("timeout", annotation.timeout(), "must be longer than duration (" + DurationText.format(duration)
                    + " in this run), or every worker times out; leave it empty for twice the duration plus 30 s");
        }
        Duration interval = DurationText.parsePositive("@GpuWorkers(sampleInterval)", annotation.sampleInterval());
        if (interval.compareTo(MIN_SAMPLE_INTERVAL) < 0) {
            throw invalid("sampleInterval", annotation.sampleInterval(), "must be at least 100ms: nvidia-smi "
                    + "takes tens of milliseconds to answer");
        }
        Optional<GpuInventory> declared = annotation.inventory().isBlank()
                ? environment.declaredGpus().filter(s -> !s.isBlank())
                        .map(s -> GpuInventory.declared(GpuWorkers.GPUS_PROPERTY, s))
                : Optional.of(GpuInventory.declared("@GpuWorkers(inventory)", annotation.inventory()));

        // 2. The devices.
        GpuInventory inventory = declared.orElseGet(environment.discovery());
        List<GpuDevice> selected = new ArrayList<>();
        String noGpu = null;
        if (!annotation.forceCpu()) {
            if (inventory.isEmpty()) {
                noGpu = inventory.detail();
            } else if (requested.length == 0) {
                selected.addAll(inventory.devices());
            } else {
                List<Integer> missing = Arrays.stream(requested).filter(i -> inventory.device(i).isEmpty()).boxed().toList();
                if (!missing.isEmpty()) {
                    noGpu = "devices " + Arrays.toString(requested) + " asked for, but " + missing + " not among the GPUs "
                            + inventory.indexes() + " (" + inventory.detail() + ")";
                } else {
                    Arrays.stream(requested).forEach(i -> selected.add(inventory.device(i).orElseThrow()));
                }
            }
        }
        if (noGpu != null && annotation.whenNoGpu() == GpuWorkers.WhenNoGpu.SKIP) {
            throw new Skip("@GpuWorkers needs a GPU and whenNoGpu = SKIP: " + noGpu);
        }

        GpuRun.Mode mode;
        String fallback = null;
        if (annotation.forceCpu()) {
            mode = GpuRun.Mode.CPU_FALLBACK;
            fallback = "CPU fallback: forced by @GpuWorkers(forceCpu = true)";
        } else if (noGpu != null) {
            mode = GpuRun.Mode.CPU_FALLBACK;
            fallback = GpuRun.CPU_FALLBACK_LABEL + " (" + noGpu + ")";
        } else if (inventory.source() == GpuInventory.Source.DECLARED && !environment.nvidiaSmiAvailable().get()) {
            mode = GpuRun.Mode.CPU_FALLBACK;
            fallback = GpuRun.CPU_FALLBACK_LABEL + " (" + inventory.detail() + "; nvidia-smi is not available, so "
                    + "workers get CUDA_VISIBLE_DEVICES per the assignment and run on the CPU)";
        } else {
            mode = GpuRun.Mode.CUDA;
        }

        int workers = annotation.workers() != GpuWorkers.TWO_PER_DEVICE ? annotation.workers()
                : 2 * Math.max(1, selected.size());
        List<OptionalInt> assignment = new ArrayList<>();
        List<OptionalLong> caps = new ArrayList<>();
        if (selected.isEmpty()) {
            for (int i = 0; i < workers; i++) {
                assignment.add(OptionalInt.empty());
                caps.add(OptionalLong.empty());
            }
        } else {
            for (int device : DeviceAssignment.of(annotation.assignment()).assign(workers, selected, annotation.memoryMb())) {
                assignment.add(OptionalInt.of(device));
                caps.add(mode == GpuRun.Mode.CPU_FALLBACK
                        ? inventory.device(device).map(GpuDevice::memoryTotalMb).orElse(OptionalLong.empty())
                        : OptionalLong.empty());
            }
        }
        return new GpuPlan(annotation.assignment(), duration, annotation.memoryMb(), rate, timeout, interval, spec,
                mode, Optional.ofNullable(fallback), inventory, selected.stream().map(GpuDevice::index).toList(),
                assignment, caps, annotation.forceCpu(), runtime);
    }

    private static WorkloadSpec workerSpec(GpuWorkers annotation) {
        String[] command = annotation.command();
        if (command.length > 0) {
            if (command[0].isBlank()) {
                throw invalid("command", Arrays.toString(command), "the program (first element) must not be blank");
            }
            return WorkloadSpec.ofCommand(command).withName("gpu-worker");
        }
        if (annotation.worker().isBlank()) {
            throw invalid("worker", annotation.worker(), "give a workload name from a WorkloadCatalog, such as \""
                    + GpuWorkers.DEFAULT_WORKER + "\", or a command");
        }
        WorkloadSpec spec = WorkloadCatalog.require("@GpuWorkers(worker)", annotation.worker());
        if (spec.env().containsKey(CUDA_VISIBLE_DEVICES) || !spec.gpuDevices().isEmpty()) {
            throw invalid("worker", annotation.worker(), "a workload that chooses its own GPUs ("
                    + (spec.gpuDevices().isEmpty() ? CUDA_VISIBLE_DEVICES + "=" + spec.env().get(CUDA_VISIBLE_DEVICES)
                            : "gpuDevices " + spec.gpuDevices()) + "); @GpuWorkers assigns them: drop them from its spec");
        }
        return spec;
    }

    private static ExtensionConfigurationException invalid(String attribute, Object value, String allowed) {
        return new ExtensionConfigurationException("@GpuWorkers(" + attribute + ") value " + (value instanceof String
                ? "\"" + value + "\"" : String.valueOf(value)) + " is not allowed: " + allowed);
    }
}
