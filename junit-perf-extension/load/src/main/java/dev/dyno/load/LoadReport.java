package dev.dyno.load;

import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.TimeSeriesSnapshot;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The guide's tables and graphs for one run: into the recorder (tables) and Allure (charts, JSON, CSV). */
final class LoadReport {

    private LoadReport() {
    }

    static void write(LoadRun run, Recorder recorder) {
        recorder.attribute("load.profile", run.profile());
        recorder.attribute("load.target", run.target());
        recorder.table("load phases", List.of("phase", "load", "requests", "ok", "failed", "success", "mean", "median",
                "p95", "p99", "max", "req/s", "answered req/s", "kept up", "queued", "abandoned"), run.phases().stream().map(LoadReport::phaseRow).toList());
        if (!run.stressSteps().isEmpty()) {
            recorder.table("stress steps", List.of("RPS", "Pods", "Success", "Avg Latency", "P95 Latency", "Status"),
                    run.stressSteps().stream().map(s -> List.of(
                            ArrivalRatePacer.fmt(s.rps()) + (s.narrowing() ? " (narrowing)" : ""),
                            s.replicas() < 0 ? "-" : String.valueOf(s.replicas()),
                            percent(s.stats().successRate()), DurationText.format(s.stats().mean()),
                            DurationText.format(s.stats().p95()), s.verdict().label())).toList());
        }
        if (!run.soakWindows().isEmpty()) {
            recorder.table("soak windows", List.of("Window", "Start", "Avg Latency", "P95 Latency", "P99 Latency",
                    "Success", "Memory", "CPU"), run.soakWindows().stream().map(w -> List.of(
                    String.valueOf(w.index()), DurationText.format(w.start()), DurationText.format(w.mean()),
                    DurationText.format(w.p95()), DurationText.format(w.p99()), percent(w.successRate()),
                    w.memoryBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.1f MB", w.memoryBytes() / 1048576.0),
                    Double.isNaN(w.cpuCores()) ? "-" : String.format(Locale.ROOT, "%.2f cores", w.cpuCores()))).toList());
        }
        if (!run.scaling().isEmpty()) {
            recorder.table("scaling", List.of("Time", "Phase", "Replicas"), run.scaling().stream().map(e -> List.of(
                    DurationText.format(e.at()), String.valueOf(e.phase()), String.valueOf(e.replicas()))).toList());
        }
        try {
            MetricsSnapshot metrics = recorder.snapshot();
            attachCharts(run, metrics);
            dev.dyno.spi.TransitionalReport.attach("load phases.json", "application/json", "json", json(run));
            dev.dyno.spi.TransitionalReport.attach("load phases.csv", "text/csv", "csv", csv(run));
        } catch (RuntimeException | LinkageError e) {
            System.err.println("[dyno] could not draw the load report: " + e);
        }
    }

    static List<String> phaseRow(PhaseStats p) {
        return List.of(p.name(), p.closedModel() ? p.users() + " users" : ArrivalRatePacer.fmt(p.targetRps()) + " req/s",
                String.valueOf(p.requests()), String.valueOf(p.ok()), String.valueOf(p.failed()), percent(p.successRate()),
                DurationText.format(p.mean()), DurationText.format(p.median()), DurationText.format(p.p95()),
                DurationText.format(p.p99()), DurationText.format(p.max()),
                String.format(Locale.ROOT, "%.2f", p.throughput()),
                String.format(Locale.ROOT, "%.2f", p.pace().achievedRps()),
                !p.pace().openModel() ? "-" : p.pace().keptUp() ? "yes" : "no (" + percent(p.pace().ratio()) + ")",
                String.valueOf(p.pace().queued()), String.valueOf(p.abandoned()));
    }

    private static void attachCharts(LoadRun run, MetricsSnapshot metrics) {
        List<String> names = run.phases().stream().map(PhaseStats::name).toList();
        if (!names.isEmpty()) {
            CategoryChart latency = category("latency by phase", "latency (ms)");
            latency.addSeries("mean", names, run.phases().stream().map(p -> p.mean().toNanos() / 1e6).toList());
            latency.addSeries("p95", names, run.phases().stream().map(p -> p.p95().toNanos() / 1e6).toList());
            latency.addSeries("p99", names, run.phases().stream().map(p -> p.p99().toNanos() / 1e6).toList());
            dev.dyno.spi.TransitionalReport.attach("latency_comparison.png", "image/png", "png", dev.dyno.allure.TransitionalCharts.png(latency));
            CategoryChart throughput = category("throughput by phase", "requests per second");
            throughput.addSeries("req/s", names, run.phases().stream().map(PhaseStats::throughput).toList());
            dev.dyno.spi.TransitionalReport.attach("throughput_comparison.png", "image/png", "png", dev.dyno.allure.TransitionalCharts.png(throughput));
            CategoryChart success = category("success rate by phase", "success (%)");
            success.addSeries("success", names, run.phases().stream()
                    .map(p -> Double.isNaN(p.successRate()) ? 0 : 100 * p.successRate()).toList());
            dev.dyno.spi.TransitionalReport.attach("success_rate.png", "image/png", "png", dev.dyno.allure.TransitionalCharts.png(success));
        }
        Optional<TimeSeriesSnapshot> p99 = metrics.series("latency.p99.ms");
        Optional<TimeSeriesSnapshot> phase = metrics.series("load.phase");
        Optional<TimeSeriesSnapshot> throughput = metrics.series("throughput.rps");
        if (throughput.isPresent() && throughput.get().size() > 1 && phase.isPresent()) {
            XYChart chart = new XYChartBuilder().width(900).height(420).title("latency and throughput over time, by phase")
                    .xAxisTitle("time (s)").yAxisTitle("p99 latency (ms)").build();
            chart.getStyler().setMarkerSize(3);
            chart.setYAxisGroupTitle(1, "answers per second");
            p99.ifPresent(s -> byPhase(chart, "p99 ms", s, phase.get(), names));
            byPhase(chart, "req/s", throughput.get(), phase.get(), names);
            dev.dyno.spi.TransitionalReport.attach("latency_over_time.png", "image/png", "png", dev.dyno.allure.TransitionalCharts.png(chart));
        }
        List<String> resourceSeries = List.of("replicas", "target.cpu.cores", "target.memory.mb");
        if (resourceSeries.stream().anyMatch(n -> metrics.series(n).map(s -> s.size() > 1).orElse(false))) {
            XYChart chart = new XYChartBuilder().width(900).height(420).title("service replicas, CPU and memory over time")
                    .xAxisTitle("time (s)").yAxisTitle("replicas / cores / MB ÷ 100").build();
            chart.getStyler().setMarkerSize(0);
            for (String n : resourceSeries) {
                metrics.series(n).filter(s -> s.size() > 1).ifPresent(s -> {
                    double factor = n.endsWith(".mb") ? 0.01 : 1;
                    double[] x = new double[s.size()];
                    double[] y = new double[s.size()];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = s.offsetsNanos()[i] / 1e9;
                        y[i] = s.values()[i] * factor;
                    }
                    XYSeries series = chart.addSeries(factor == 1 ? n : n + " ÷ 100", x, y);
                    series.setMarker(SeriesMarkers.NONE);
                });
            }
            dev.dyno.spi.TransitionalReport.attach("replicas_and_resources.png", "image/png", "png", dev.dyno.allure.TransitionalCharts.png(chart));
        }
    }

    /** One XY series per phase, so each phase shows as a band of its own colour. */
    private static void byPhase(XYChart chart, String label, TimeSeriesSnapshot values, TimeSeriesSnapshot phases,
            List<String> names) {
        Map<Integer, List<double[]>> points = new LinkedHashMap<>();
        int n = Math.min(values.size(), phases.size());
        for (int i = 0; i < values.size(); i++) {
            long offset = values.offsetsNanos()[i];
            int phase = (int) Math.round(phaseAt(phases, offset, n));
            points.computeIfAbsent(phase, k -> new ArrayList<>()).add(new double[] {offset / 1e9, values.values()[i]});
        }
        points.forEach((index, list) -> {
            String name = index >= 0 && index < names.size() ? names.get(index) : "between phases";
            double[] x = list.stream().mapToDouble(p -> p[0]).toArray();
            double[] y = list.stream().mapToDouble(p -> p[1]).toArray();
            String key = label + " " + name;
            if (!chart.getSeriesMap().containsKey(key)) {
                XYSeries series = chart.addSeries(key, x, y);
                if (label.equals("req/s")) {
                    series.setYAxisGroup(1);
                    series.setMarker(SeriesMarkers.NONE);
                }
            }
        });
    }

    private static double phaseAt(TimeSeriesSnapshot phases, long offset, int n) {
        double value = -1;
        for (int i = 0; i < phases.size(); i++) {
            if (phases.offsetsNanos()[i] <= offset) {
                value = phases.values()[i];
            }
        }
        return value;
    }

    private static CategoryChart category(String title, String yAxis) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(420).title(title).xAxisTitle("phase")
                .yAxisTitle(yAxis).build();
        chart.getStyler().setXAxisLabelRotation(30);
        return chart;
    }

    static byte[] json(LoadRun run) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("profile", run.profile());
        root.put("target", run.target());
        root.put("phases", run.phases().stream().map(LoadReport::phaseJson).toList());
        if (!run.stressSteps().isEmpty()) {
            root.put("stress", run.stressSteps().stream().map(s -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rps", s.rps());
                m.put("replicas", s.replicas());
                m.put("success_rate", s.stats().successRate());
                m.put("avg_latency_ms", ms(s.stats().mean()));
                m.put("status", s.verdict().name().toLowerCase(Locale.ROOT));
                m.put("narrowing", s.narrowing());
                return m;
            }).toList());
            run.breakingPoint().ifPresent(b -> root.put("breaking_point", Map.of("rps", b.rps(),
                    "last_good_rps", b.lastGoodRps(), "reason", b.reason())));
        }
        if (!run.soakWindows().isEmpty()) {
            root.put("soak_windows", run.soakWindows().stream().map(w -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("window", w.index());
                m.put("start_s", w.start().toMillis() / 1000.0);
                m.put("requests", w.requests());
                m.put("success_rate", w.successRate());
                m.put("avg_latency_ms", ms(w.mean()));
                m.put("p95_latency_ms", ms(w.p95()));
                m.put("p99_latency_ms", ms(w.p99()));
                m.put("memory_bytes", w.memoryBytes());
                m.put("cpu_cores", Double.isNaN(w.cpuCores()) ? null : w.cpuCores());
                return m;
            }).toList());
            run.drift().ifPresent(d -> root.put("drift", Map.of("latency_change", d.latencyChange(),
                    "memory_change", Double.isNaN(d.memoryChange()) ? "not sampled" : d.memoryChange(),
                    "stable", d.stable())));
        }
        root.put("generator", Map.of("lag_p99_ms", ms(run.generator().lag().percentile(99)), "late", run.generator().late(),
                "sent", run.generator().sent(), "behind_schedule", run.generator().behindSchedule()));
        run.abortReason().ifPresent(r -> root.put("aborted", r));
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> phaseJson(PhaseStats p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", p.name());
        m.put("target_rps", Double.isNaN(p.targetRps()) ? null : p.targetRps());
        m.put("users", p.users());
        m.put("total_requests", p.requests());
        m.put("successful", p.ok());
        m.put("failed", p.failed());
        m.put("late", p.late());
        m.put("failures", p.failures());
        m.put("success_rate", p.successRate());
        m.put("avg_latency_ms", ms(p.mean()));
        m.put("median_latency_ms", ms(p.median()));
        m.put("p95_latency_ms", ms(p.p95()));
        m.put("p99_latency_ms", ms(p.p99()));
        m.put("max_latency_ms", ms(p.max()));
        m.put("avg_service_time_ms", ms(p.serviceTime().mean()));
        m.put("p99_service_time_ms", ms(p.serviceTime().percentile(99)));
        m.put("requests_per_sec", p.throughput());
        m.put("answered_per_sec", p.pace().achievedRps());
        m.put("kept_up", p.pace().openModel() ? p.pace().keptUp() : null);
        m.put("queued", p.pace().queued());
        m.put("p99_queue_wait_ms", ms(p.pace().queueWait().percentile(99)));
        m.put("abandoned", p.abandoned());
        m.put("duration_s", p.duration().toMillis() / 1000.0);
        return m;
    }

    static byte[] csv(LoadRun run) {
        StringBuilder out = new StringBuilder("phase,target_rps,users,total,ok,failed,late,success_rate,mean_ms,median_ms,"
                + "p95_ms,p99_ms,max_ms,service_p99_ms,requests_per_sec,duration_s,answered_per_sec,queued,abandoned\n");
        for (PhaseStats p : run.phases()) {
            out.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%.4f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d%n",
                    p.name(), Double.isNaN(p.targetRps()) ? "" : ArrivalRatePacer.fmt(p.targetRps()), p.users(),
                    p.requests(), p.ok(), p.failed(), p.late(), p.successRate(), ms(p.mean()), ms(p.median()),
                    ms(p.p95()), ms(p.p99()), ms(p.max()), ms(p.serviceTime().percentile(99)), p.throughput(),
                    p.duration().toMillis() / 1000.0, p.pace().achievedRps(), p.pace().queued(), p.abandoned()));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
