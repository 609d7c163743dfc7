package dev.dyno.gpu;

import dev.dyno.metrics.MalformedMetricsJsonException;
import dev.dyno.metrics.MetricsJson;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.DockerRuntime;
import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.Runtimes;
import dev.dyno.runtime.WorkloadException;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import dev.dyno.spi.ClosedWithTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Runs the workers of one plan: starts them all, samples while they run, kills those past the
 * timeout, classifies each, then checks that nothing was left behind (processes, and containers
 * where the workers ran in containers). Closing it stops whatever is still running, so it is closed
 * with the test.
 *
 * <p>Interrupted (the test's {@code @Timeout}), it stops the workers still running, reports them as
 * {@link WorkerFailure#STOPPED}, still checks for leftovers, and returns with the thread's interrupt
 * set again, so the caller sees the timeout.
 */
final class GpuExperiment implements ClosedWithTest {

    private static final Duration POLL = Duration.ofMillis(25);
    private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(2);
    private static final Duration BASELINE_GRACE = Duration.ofSeconds(10);
    private static final int OUTPUT_TAIL_CHARS = 8 * 1024;

    private final GpuPlan plan;
    private final Supplier<WorkloadRuntime> runtimes;
    private final NvidiaSmi smi;
    private WorkloadRuntime runtime;
    private UtilisationSampler sampler;
    /** Whether the run was interrupted: the waits that follow are cut short, and the interrupt is restored at the end. */
    private boolean interrupted;

    GpuExperiment(GpuPlan plan, Supplier<WorkloadRuntime> runtimes, NvidiaSmi smi) {
        this.plan = plan;
        this.runtimes = runtimes;
        this.smi = smi;
    }

    GpuRun run(Recorder recorder) {
        int processesBefore = ProcessCensus.descendants();
        Set<Long> cudaBefore = cudaPids();
        runtime = runtimes.get();
        String runId = runtime.runId().value();
        boolean inContainers = runtime instanceof DockerRuntime;
        List<WorkloadSpec> specs = new ArrayList<>();
        for (int i = 0; i < plan.workers(); i++) {
            specs.add(spec(i));
        }
        // GPUs are counted, assigned and watched on this machine (its nvidia-smi); on several engines a worker's
        // device 0 would be another host's, which that inventory does not know
        if (runtime instanceof DockerRuntime docker && docker.engines().size() > 1
                && specs.stream().anyMatch(spec -> !spec.gpuDevices().isEmpty())) {
            throw new ExtensionConfigurationException("@GpuWorkers gives its workers GPUs on one Docker engine only: it "
                    + "counts, assigns and watches them with this machine's nvidia-smi, and dyno.docker.hosts lists "
                    + docker.engines().size() + " engines " + docker.engines() + "; run it with one engine (the GPU "
                    + "host's), or without GPUs (whenNoGpu = FALL_BACK_TO_CPU on a machine with none), whose CPU stand-in workers are spread over the engines");
        }
        // all or nothing: such as GPUs asked of an engine without the NVIDIA runtime
        for (WorkloadSpec spec : specs) {
            runtime.unsupportedReason(spec).ifPresent(why -> {
                throw new ExtensionConfigurationException("@GpuWorkers cannot run its workers on the " + runtime.name()
                        + " runtime (" + Runtimes.RUNTIME_PROPERTY + "): " + why);
            });
        }

        List<RunningWorkload> workloads = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        List<Instant> startedAt = new ArrayList<>();
        Map<RunningWorkload, String> keys = new LinkedHashMap<>();
        long origin = System.nanoTime();
        Instant launched = Instant.now();
        // together, as the guide's stress test starts its workers; each worker's time counts from the launch
        workloads.addAll(runtime.startAll(specs));
        for (int i = 0; i < workloads.size(); i++) {
            starts.add(origin);
            startedAt.add(launched);
            keys.put(workloads.get(i), key(plan.assignment().get(i)));
        }
        sampler = new UtilisationSampler(plan.mode(), smi, recorder, keys, plan.sampleInterval(), origin);

        long[] ends = new long[workloads.size()];
        Ending[] endings = new Ending[workloads.size()];
        try {
            awaitAll(workloads, starts, ends, endings);
        } finally {
            // an interrupt that came between waits: held until the run returns, as pause() holds one
            interrupted |= Thread.interrupted();
            sampler.close();
        }

        List<WorkerResult> results = new ArrayList<>();
        Set<Long> workerPids = new HashSet<>();
        for (int i = 0; i < workloads.size(); i++) {
            results.add(result(i, workloads.get(i), startedAt.get(i), Duration.ofNanos(ends[i] - starts.get(i)),
                    endings[i]));
            parsePid(workloads.get(i).id()).ifPresent(workerPids::add);
        }

        // Leak check, first for what the workers left (before Dyno's own teardown hides it): processes
        // carrying the run id, or, in containers (whose processes end with them), running containers
        // carrying the run's label ...
        List<String> leftovers = inContainers ? List.of() : awaitLeftovers(runId);
        List<String> leftoverContainers = new ArrayList<>(awaitContainers(true));
        leftovers.forEach(p -> workerPids.add(Long.parseLong(p.substring(0, p.indexOf(' ')))));
        Set<Long> cudaAfter = cudaPids();
        cudaAfter.removeAll(cudaBefore);
        cudaAfter.retainAll(workerPids);
        leftovers.forEach(p -> ProcessHandle.of(Long.parseLong(p.substring(0, p.indexOf(' '))))
                .ifPresent(ProcessHandle::destroyForcibly));
        // ... then for what Dyno started: after teardown the JVM's process count is back at its
        // baseline, and no container of the run is left, running or not.
        runtime.close();
        int processesAfter = awaitBaseline(processesBefore);
        for (String container : awaitContainers(false)) {
            if (leftoverContainers.stream().noneMatch(c -> sameContainer(c, container))) {
                leftoverContainers.add(container);
            }
        }
        if (!leftoverContainers.isEmpty()) {
            ProcessCensus.removeContainersOfRun(runtime);
        }

        List<DeviceSummary> devices = summarize(results);
        if (interrupted) {
            Thread.currentThread().interrupt(); // for the caller: the test's timeout, not a worker's, ended the run
        }
        return new GpuRun(plan, results, devices, processesBefore, processesAfter, leftovers,
                List.copyOf(new java.util.TreeSet<>(cudaAfter)), runtime.name(), leftoverContainers, sampler.utilisation());
    }

    /** How a worker's run ended, as this JVM saw it. */
    private enum Ending {
        /** It exited by itself. */
        EXITED,
        /** It was killed at the plan's timeout. */
        TIMED_OUT,
        /** It was stopped because the test's timeout interrupted the run. */
        STOPPED
    }

    private WorkloadSpec spec(int worker) {
        WorkloadSpec spec = plan.specOf(worker);
        if (plan.mode() == GpuRun.Mode.CPU_FALLBACK && plan.memoryCapsMb().get(worker).isPresent()) {
            // A declared device's memory, enforced on the CPU stand-in by its memory cgroup (or the container's limit).
            WorkloadSpec capped = spec.withMemoryLimit(Math.max(WorkloadSpec.MIN_MEMORY_LIMIT_BYTES,
                    plan.memoryCapsMb().get(worker).getAsLong() << 20));
            spec = runtime.supports(capped) ? capped : spec;
        }
        return spec;
    }

    private void awaitAll(List<RunningWorkload> workloads, List<Long> starts, long[] ends, Ending[] endings) {
        int left = workloads.size();
        while (left > 0) {
            for (int i = 0; i < workloads.size(); i++) {
                if (endings[i] != null) {
                    continue;
                }
                RunningWorkload workload = workloads.get(i);
                if (!workload.isRunning()) {
                    endings[i] = Ending.EXITED;
                } else if (interrupted) {
                    workload.kill();
                    endings[i] = Ending.STOPPED;
                } else if (System.nanoTime() - starts.get(i) > plan.timeout().toNanos()) {
                    workload.kill();
                    endings[i] = Ending.TIMED_OUT;
                } else {
                    continue;
                }
                ends[i] = System.nanoTime();
                left--;
            }
            if (left > 0 && !interrupted) {
                pause(POLL); // interrupted here, the next round stops those still running
            }
        }
    }

    private WorkerResult result(int worker, RunningWorkload workload, Instant started, Duration wall, Ending ending) {
        int exitCode;
        try {
            exitCode = workload.awaitExit(Duration.ofSeconds(10));
        } catch (WorkloadException e) {
            workload.kill();
            exitCode = workload.awaitExit(Duration.ofSeconds(10));
        }
        Optional<MetricsJson> metrics;
        try {
            metrics = workload.metrics();
        } catch (MalformedMetricsJsonException e) {
            metrics = Optional.empty();
        }
        Map<String, Object> fields = metrics.map(MetricsJson::fields).orElse(Map.of());
        Optional<String> error = Optional.ofNullable(fields.get("error")).map(String::valueOf)
                .filter(s -> !s.isBlank() && !s.equals("null"));
        String tail = tail(workload.stdout()) + "\n" + tail(workload.stderr());
        Optional<WorkerFailure> failure = ending == Ending.STOPPED ? Optional.of(WorkerFailure.STOPPED)
                : WorkerFailure.classify(exitCode, ending == Ending.TIMED_OUT, error, metrics.isPresent(), tail);
        long operations = metrics.flatMap(m -> m.number("operations")).map(Math::round).orElse(0L);
        double opsPerSecond = metrics.flatMap(m -> m.number("ops_per_sec"))
                .orElse(wall.isZero() ? 0 : operations / (wall.toNanos() / 1e9));
        OptionalDouble peak = metrics.flatMap(m -> m.number("peak_memory_mb"))
                .map(OptionalDouble::of).orElse(OptionalDouble.empty());
        OptionalInt device = plan.assignment().get(worker);
        Optional<String> visible = visibleDevices(workload.spec());
        return new WorkerResult(worker, device, visible, text(fields, "mode"), text(fields, "backend"), failure,
                exitCode, operations, opsPerSecond, started, wall, peak, workload.stdoutFile(), workload.stderrFile(),
                workload.where());
    }

    private List<DeviceSummary> summarize(List<WorkerResult> results) {
        Map<String, List<WorkerResult>> byKey = new TreeMap<>(GpuExperiment::compareKeys);
        results.forEach(r -> byKey.computeIfAbsent(r.deviceKey(), k -> new ArrayList<>()).add(r));
        List<DeviceSummary> devices = new ArrayList<>();
        byKey.forEach((key, workers) -> {
            String name = workers.get(0).device().isPresent()
                    ? plan.inventory().device(workers.get(0).device().getAsInt()).map(GpuDevice::name).orElse(key)
                    : "CPU";
            devices.add(new DeviceSummary(key, name, workers.size(),
                    (int) workers.stream().filter(WorkerResult::succeeded).count(),
                    workers.stream().mapToLong(WorkerResult::operations).sum(),
                    workers.stream().mapToDouble(WorkerResult::opsPerSecond).sum(),
                    sampler.meanUtilisation(key), sampler.peakMemoryMb(key)));
        });
        return devices;
    }

    /** gpu2 before gpu10; cpu last. */
    static int compareKeys(String a, String b) {
        boolean gpuA = a.startsWith("gpu");
        boolean gpuB = b.startsWith("gpu");
        if (gpuA && gpuB) {
            return Integer.compare(Integer.parseInt(a.substring(3)), Integer.parseInt(b.substring(3)));
        }
        return gpuA ? -1 : gpuB ? 1 : a.compareTo(b);
    }

    /**
     * What the worker's program finds in {@code CUDA_VISIBLE_DEVICES}: its GPUs as a process; in a
     * container, none (the container's only GPUs are its own, from device 0); else what its spec sets.
     */
    private Optional<String> visibleDevices(WorkloadSpec spec) {
        if (!spec.gpuDevices().isEmpty()) {
            return runtime instanceof DockerRuntime ? Optional.empty() : Optional.of(String.join(",", spec.gpuDevices()));
        }
        return Optional.ofNullable(spec.env().get(GpuPlan.CUDA_VISIBLE_DEVICES));
    }

    /** Containers of the run (running ones only, or all), given a moment to go away. */
    private List<String> awaitContainers(boolean runningOnly) {
        long deadline = System.nanoTime() + LEFTOVER_GRACE.toNanos();
        List<String> containers = ProcessCensus.containersOfRun(runtime, runningOnly);
        while (!containers.isEmpty() && System.nanoTime() < deadline && pause(Duration.ofMillis(100))) {
            containers = ProcessCensus.containersOfRun(runtime, runningOnly);
        }
        return containers;
    }

    private static boolean sameContainer(String a, String b) {
        return a.substring(0, a.indexOf(' ')).equals(b.substring(0, b.indexOf(' ')));
    }

    private List<String> awaitLeftovers(String runId) {
        long deadline = System.nanoTime() + LEFTOVER_GRACE.toNanos();
        List<String> leftovers = ProcessCensus.carryingRunId(runId);
        while (!leftovers.isEmpty() && System.nanoTime() < deadline && pause(Duration.ofMillis(100))) {
            leftovers = ProcessCensus.carryingRunId(runId);
        }
        return leftovers;
    }

    private int awaitBaseline(int baseline) {
        long deadline = System.nanoTime() + BASELINE_GRACE.toNanos();
        int count = ProcessCensus.descendants();
        while (count > baseline && System.nanoTime() < deadline && pause(Duration.ofMillis(100))) {
            count = ProcessCensus.descendants();
        }
        return count;
    }

    private Set<Long> cudaPids() {
        Set<Long> pids = new HashSet<>();
        if (plan.mode() == GpuRun.Mode.CUDA) {
            smi.computeProcesses().ifPresent(list -> list.forEach(p -> pids.add(p.pid())));
        }
        return pids;
    }

    private static String key(OptionalInt device) {
        return device.isPresent() ? "gpu" + device.getAsInt() : "cpu";
    }

    private static String text(Map<String, Object> fields, String name) {
        Object value = fields.get(name);
        return value == null ? "unknown" : String.valueOf(value);
    }

    private static String tail(String text) {
        return text.length() <= OUTPUT_TAIL_CHARS ? text : text.substring(text.length() - OUTPUT_TAIL_CHARS);
    }

    private static Optional<Long> parsePid(String id) {
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty(); // a container id
        }
    }

    /**
     * Waits, unless interrupted: then it remembers the interrupt (restored when the run returns, so
     * that stopping the workers and checking for leftovers is not cut off by it) and returns false.
     */
    private boolean pause(Duration duration) {
        if (interrupted) {
            return false;
        }
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            interrupted = true;
            return false;
        }
    }

    @Override
    public void close() {
        if (sampler != null) {
            sampler.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }
}
