package dev.dyno.gpu;

import dev.dyno.metrics.Distribution;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.DockerRuntime;
import dev.dyno.view.Attachment;
import dev.dyno.view.Axis;
import dev.dyno.view.Chart;
import dev.dyno.view.Step;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Puts a GPU run into the recorder: metrics, attributes and tables; the per-device breakdown and
 * the utilisation over time as charts; one step per worker with its real start and duration; and
 * the logs of the workers that failed. A CPU-fallback run is a stand-in for a GPU run, and says so
 * in its label, which every chart title and the {@code gpu.mode} attribute carry, and in its steps.
 */
final class GpuReport {

    private GpuReport() {
    }

    static void record(Recorder recorder, GpuRun run) {
        GpuPlan plan = run.plan();
        recorder.attribute("gpu.mode", run.label());
        recorder.attribute("gpu.inventory", run.inventory().source() + ": " + run.inventory().detail()
                + (run.inventory().isEmpty() ? "" : " " + run.inventory().devices().stream()
                        .map(d -> d.index() + "=" + d.name()).collect(Collectors.joining(", ", "[", "]"))));
        recorder.attribute("gpu.assignment", plan.strategy() + " over " + (run.devicesUsed().isEmpty() ? "the CPU"
                : "devices " + run.devicesUsed()) + ": " + run.assignment());
        recorder.attribute("gpu.workers", plan.workers() + " × " + DurationText.format(plan.duration()) + ", "
                + plan.memoryMb() + " MiB each, command " + plan.workerSpec().command());
        recorder.attribute("gpu.runtime", runtimeLine(run));

        recorder.counter("gpu.workers").add(run.workers().size());
        recorder.counter("gpu.workers.succeeded").add(run.workers().size() - run.failures().size());
        recorder.counter("gpu.workers.failed").add(run.failures().size());
        recorder.counter("gpu.operations").add(run.totalOperations());
        run.failures().forEach(w -> recorder.increment("gpu.failures." + w.failure().orElseThrow().name().toLowerCase(Locale.ROOT)));
        // The run summary's table across tests: one row per run, the stand-in labelled as such by its mode.
        java.util.Map<String, String> cells = new java.util.LinkedHashMap<>();
        cells.put("mode", run.label());
        cells.put("workers", Integer.toString(run.workers().size()));
        cells.put("success rate", format(100 * run.successRate()) + " %");
        cells.put("ops/s", format(run.opsPerSecond()));
        cells.put("imbalance", format(100 * run.imbalance()) + " %");
        cells.put("processes left", Long.toString(GpuRun.leakCount(run)));
        recorder.summary("GPU workers", cells);
        recorder.gauge("gpu.success_rate").set(run.successRate());
        recorder.gauge("gpu.ops_per_sec").set(run.opsPerSecond());
        recorder.gauge("gpu.imbalance").set(run.imbalance());
        recorder.gauge("gpu.processes.before").set(run.processesBefore());
        recorder.gauge("gpu.processes.after").set(run.processesAfter());
        recorder.gauge("gpu.processes.leaked").set(GpuRun.leakCount(run));
        Distribution workersPerDevice = recorder.distribution("gpu.workers.per.device");
        Distribution operationsPerDevice = recorder.distribution("gpu.operations.per.device");
        run.devices().forEach(d -> {
            workersPerDevice.add(d.key(), d.workers());
            operationsPerDevice.add(d.key(), d.operations());
        });
        run.workers().forEach(w -> recorder.record("gpu.worker.wall", w.wallTime()));

        recorder.table("GPU workers", List.of("worker", "device", "CUDA_VISIBLE_DEVICES", "ran on", "outcome", "exit",
                "operations", "ops/s", "wall", "peak MiB", "log"), run.workers().stream().map(w -> List.of(
                        String.valueOf(w.worker()), w.deviceKey(), visibleDevices(run, w),
                        w.mode() + " (" + w.backend() + ")",
                        w.failure().map(f -> "FAILED: " + f).orElse("ok"), String.valueOf(w.exitCode()),
                        String.valueOf(w.operations()), format(w.opsPerSecond()), DurationText.format(w.wallTime()),
                        w.peakMemoryMb().isPresent() ? format(w.peakMemoryMb().getAsDouble()) : "-",
                        w.stdoutLog().toString())).toList());
        String utilisationColumn = run.mode() == GpuRun.Mode.CUDA ? "mean GPU util %" : "mean CPU cores";
        recorder.table("GPU devices (" + run.label() + ")", List.of("device", "name", "workers", "succeeded",
                "operations", "ops/s", "share of ops/s", utilisationColumn, "peak memory MiB"), run.devices().stream()
                .map(d -> List.of(d.key(), d.name(), String.valueOf(d.workers()), String.valueOf(d.succeeded()),
                        String.valueOf(d.operations()), format(d.opsPerSecond()),
                        run.opsPerSecond() > 0 ? format(100 * d.opsPerSecond() / run.opsPerSecond()) + " %" : "-",
                        d.meanUtilization().isPresent() ? format(d.meanUtilization().getAsDouble()) : "-",
                        d.peakMemoryMb().isPresent() ? format(d.peakMemoryMb().getAsDouble()) : "-")).toList());
        recorder.table("GPU run", List.of("measure", "value"), List.of(
                List.of("success rate", format(100 * run.successRate()) + " % (at least "
                        + format(100 * plan.minSuccessRate()) + " % required)"),
                List.of("total operations", String.valueOf(run.totalOperations())),
                List.of("ops/s (sum of workers)", format(run.opsPerSecond())),
                List.of("imbalance across devices", format(100 * run.imbalance()) + " %"),
                List.of("processes before / after", run.processesBefore() + " / " + run.processesAfter()),
                List.of("processes left by workers", run.leftoverProcesses().isEmpty() ? "none"
                        : String.join("; ", run.leftoverProcesses())),
                List.of("containers left", DockerRuntime.NAME.equals(run.runtime())
                        ? (run.leftoverContainers().isEmpty() ? "none" : String.join("; ", run.leftoverContainers()))
                        : "not checked (workers ran as processes)"),
                List.of("CUDA compute processes left", run.mode() == GpuRun.Mode.CUDA
                        ? (run.leftoverCudaProcesses().isEmpty() ? "none" : run.leftoverCudaProcesses().toString())
                        : "not checked (no GPU in use)")));
        show(recorder, run);
    }

    private static String runtimeLine(GpuRun run) {
        boolean devices = run.mode() == GpuRun.Mode.CUDA;
        if (DockerRuntime.NAME.equals(run.runtime())) {
            return "Docker containers, " + (devices ? "each with a device request for its GPU (--gpus device=N)"
                    : "no GPU requested");
        }
        return "local processes, " + (devices ? "device by CUDA_VISIBLE_DEVICES" : "no GPU used");
    }

    /** What the worker saw in CUDA_VISIBLE_DEVICES; a container with a GPU sees it as device 0 instead. */
    private static String visibleDevices(GpuRun run, WorkerResult worker) {
        if (worker.cudaVisibleDevices().isPresent()) {
            String value = worker.cudaVisibleDevices().get();
            return value.isEmpty() ? "\"\"" : value;
        }
        return DockerRuntime.NAME.equals(run.runtime()) && run.mode() == GpuRun.Mode.CUDA && worker.device().isPresent()
                ? "(unset; --gpus device=" + worker.device().getAsInt() + ")" : "(unset)";
    }

    /** The charts, the workers' steps and the failed workers' logs. */
    private static void show(Recorder recorder, GpuRun run) {
        if (!run.devices().isEmpty()) {
            recorder.chart(breakdownChart(run));
        }
        if (run.utilisation().values().stream().anyMatch(points -> points.size() > 1)) {
            recorder.chart(timelineChart(run));
        }
        for (WorkerResult worker : run.workers()) {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("device", worker.deviceKey());
            parameters.put("ran on", worker.mode() + " (" + worker.backend() + ")");
            parameters.put("where", worker.where());
            parameters.put("outcome", worker.failure().map(f -> "FAILED: " + f).orElse("ok"));
            parameters.put("exit", String.valueOf(worker.exitCode()));
            parameters.put("operations", String.valueOf(worker.operations()));
            parameters.put("ops/s", format(worker.opsPerSecond()));
            recorder.step(new Step(stepName(run, worker), worker.started(), worker.wallTime(), worker.succeeded(),
                    parameters));
        }
        for (WorkerResult worker : run.failures()) {
            String name = "worker " + worker.worker() + " on " + worker.deviceKey() + " (" + worker.failure().orElseThrow()
                    + ", exit " + worker.exitCode() + ")";
            attachLog(recorder, name + " stdout", worker.stdoutLog());
            attachLog(recorder, name + " stderr", worker.stderrLog());
        }
    }

    /** {@code GPU worker 3 on gpu1}; in CPU fallback marked as the stand-in it is. */
    static String stepName(GpuRun run, WorkerResult worker) {
        return "GPU worker " + worker.worker() + " on " + worker.deviceKey()
                + (run.mode() == GpuRun.Mode.CPU_FALLBACK ? " (CPU stand-in)" : "");
    }

    private static void attachLog(Recorder recorder, String name, java.nio.file.Path log) {
        if (log != null) {
            recorder.attach(Attachment.log(name, log));
        }
    }

    /** Per device: its ops/s, workers and failed workers, side by side. */
    static Chart breakdownChart(GpuRun run) {
        List<String> keys = run.devices().stream().map(DeviceSummary::key).toList();
        return Chart.bars("Per-device breakdown — " + run.label())
                .x(Axis.linear("device"))
                .y(Axis.linear("ops/s · workers"))
                .bars("ops/s", keys, run.devices().stream().mapToDouble(DeviceSummary::opsPerSecond).toArray())
                .bars("workers", keys, run.devices().stream().mapToDouble(DeviceSummary::workers).toArray())
                .bars("failed workers", keys, run.devices().stream()
                        .mapToDouble(d -> d.workers() - d.succeeded()).toArray())
                .build();
    }

    /** One line per device with more than one sample: GPU utilisation, or in CPU fallback the workers' CPU cores. */
    static Chart timelineChart(GpuRun run) {
        Chart.Builder chart = Chart.xy("Utilisation over time — " + run.label())
                .x(Axis.linear("since the workers started", "s"))
                .y(run.mode() == GpuRun.Mode.CUDA ? Axis.linear("GPU utilisation", "%").range(0, 100)
                        : Axis.linear("CPU cores used by the device's workers").from(0));
        run.utilisation().forEach((key, points) -> {
            if (points.size() > 1) {
                chart.line(key, points.stream().mapToDouble(UtilisationSampler.Point::seconds).toArray(),
                        points.stream().mapToDouble(UtilisationSampler.Point::value).toArray());
            }
        });
        return chart.build();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }
}
