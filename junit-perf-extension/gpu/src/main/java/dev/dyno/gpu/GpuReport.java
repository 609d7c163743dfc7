package dev.dyno.gpu;

import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.Distribution;
import dev.dyno.runtime.DockerRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Puts a GPU run into the recorder (metrics, attributes, tables) and its charts and logs into Allure. */
final class GpuReport {

    private GpuReport() {
    }

    static void record(Recorder recorder, GpuPlan plan, GpuRun run) {
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

    /** Charts and the logs of failed workers, attached to the current Allure test. */
    static void attach(GpuRun run, UtilisationSampler sampler) {
        if (!run.devices().isEmpty()) {
            dev.dyno.spi.TransitionalReport.attach("GPU per-device breakdown", "image/png", "png", dev.dyno.allure.TransitionalCharts.png(breakdownChart(run)));
        }
        if (sampler != null && sampler.utilisation().values().stream().anyMatch(points -> points.size() > 1)) {
            dev.dyno.spi.TransitionalReport.attach("GPU utilisation over time", "image/png", "png",
                    dev.dyno.allure.TransitionalCharts.png(timelineChart(run, sampler.utilisation(), sampler.unit())));
        }
        for (WorkerResult worker : run.failures()) {
            String name = "worker " + worker.worker() + " on " + worker.deviceKey() + " (" + worker.failure().orElseThrow()
                    + ", exit " + worker.exitCode() + ")";
            dev.dyno.spi.TransitionalReport.attachLog(name + " stdout", worker.stdoutLog());
            dev.dyno.spi.TransitionalReport.attachLog(name + " stderr", worker.stderrLog());
        }
    }

    static CategoryChart breakdownChart(GpuRun run) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(420)
                .title("Per-device breakdown — " + run.label()).xAxisTitle("device").yAxisTitle("ops/s · workers").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        List<String> keys = run.devices().stream().map(DeviceSummary::key).toList();
        chart.addSeries("ops/s", keys, run.devices().stream().map(DeviceSummary::opsPerSecond).toList());
        chart.addSeries("workers", keys, run.devices().stream().map(d -> (double) d.workers()).toList());
        chart.addSeries("failed workers", keys, run.devices().stream().map(d -> (double) (d.workers() - d.succeeded())).toList());
        return chart;
    }

    static XYChart timelineChart(GpuRun run, Map<String, List<UtilisationSampler.Point>> timelines, String unit) {
        XYChart chart = new XYChartBuilder().width(900).height(420).title("Utilisation over time — " + run.label())
                .xAxisTitle("seconds since the workers started").yAxisTitle(unit).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        timelines.forEach((key, points) -> {
            if (points.size() > 1) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                points.forEach(p -> {
                    x.add(p.seconds());
                    y.add(p.value());
                });
                chart.addSeries(key, x, y).setMarker(SeriesMarkers.NONE);
            }
        });
        return chart;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }
}
