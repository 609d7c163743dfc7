package dev.dyno.cpuboost;

import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Recorder;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Puts a {@link CpuBoostRun} into the test's recorder and report: the guide's two summary tables
 * and four plots, every start with its restoration, CPU timelines, the machine's memory and swap,
 * and the raw and improvement CSVs.
 */
final class CpuBoostReport {

    private static final Color BASE = new Color(0x1F, 0x77, 0xB4);
    private static final Color BOOST = new Color(0xFF, 0x7F, 0x0E);
    private static final Color LIMIT = new Color(0xD6, 0x27, 0x28);

    private CpuBoostReport() {
    }

    static void report(CpuBoostRun run, double baseCpus, Recorder recorder, Path resultsDir, String stem) {
        record(run, baseCpus, recorder);
        tables(run, recorder);
        String focus = focusConfiguration(run);
        attachPng("improvement by test case (" + focus + ", 95 % CI)", improvementByWorkload(run, focus));
        attachPng("start-up time: baseline vs " + focus, baselineVsBoosted(run, focus));
        attachPng("average improvement by configuration", improvementByConfiguration(run));
        attachPng("distribution of improvements", distribution(run));
        for (String workload : run.workloads()) {
            attachPng("CPU over time: " + workload, cpuTimeline(run, workload));
        }
        if (!run.hostSamples().isEmpty()) {
            attachPng("machine CPU, memory and swap over the experiment", host(run));
        }
        String raw = rawCsv(run);
        String improvements = improvementsCsv(run);
        dev.dyno.spi.TransitionalReport.attach("raw_results.csv", "text/csv", "csv", raw.getBytes(StandardCharsets.UTF_8));
        dev.dyno.spi.TransitionalReport.attach("improvements.csv", "text/csv", "csv", improvements.getBytes(StandardCharsets.UTF_8));
        try {
            Path dir = Files.createDirectories(resultsDir.resolve("cpuboost"));
            Files.writeString(dir.resolve(stem + "-raw_results.csv"), raw);
            Files.writeString(dir.resolve(stem + "-improvements.csv"), improvements);
        } catch (IOException e) {
            System.err.println("[dyno] could not write the CPU boost CSVs: " + e);
        }
        System.out.print(consoleSummary(run, focus));
    }

    static void record(CpuBoostRun run, double baseCpus, Recorder recorder) {
        recorder.attribute("cpuboost.runtime", run.runtime());
        recorder.attribute("cpuboost.base_cpus", String.format(Locale.ROOT, "%.2f of %d", baseCpus, run.machineCpus()));
        List<String> configurations = new ArrayList<>();
        for (BoostConfiguration c : run.configurations()) {
            double boosted = Math.min(baseCpus * c.factor(), run.machineCpus());
            configurations.add(c.id() + " (" + c.label() + (c.isBaseline() ? "" : String.format(Locale.ROOT,
                    ": %.2f CPUs%s", boosted, boosted < baseCpus * c.factor() ? ", capped at the machine" : "")) + ")");
        }
        recorder.attribute("cpuboost.configurations", String.join(", ", configurations));
        recorder.attribute("cpuboost.workloads", String.join(", ", run.workloads()));
        if (run.concurrent() > 1) {
            recorder.attribute("cpuboost.concurrent", Integer.toString(run.concurrent()));
        }
        for (BoostTrial t : run.trials()) {
            String p = "cpuboost." + t.workload() + "." + t.configuration().id() + ".";
            recorder.timer(p + "total").record(t.total());
            recorder.timer(p + "wall").record(t.wallTime());
            t.timings().forEach((name, value) -> {
                if (!name.equals(BoostTrial.TOTAL_TIME)) {
                    recorder.timer(p + name).record(value);
                }
            });
        }
        for (String workload : run.workloads()) {
            for (BoostConfiguration c : run.configurations()) {
                String p = "cpuboost." + workload + "." + c.id() + ".";
                List<BoostTrial> trials = run.trials(workload, c.id());
                recorder.gauge(p + "peak_cpu").set(trials.stream().mapToDouble(BoostTrial::peakCpu).max().orElse(0));
                List<BoostTrial> observable = trials.stream().filter(t -> t.restoration().observable()).toList();
                if (!observable.isEmpty()) {
                    recorder.gauge(p + "restored").set(observable.stream()
                            .filter(t -> t.restoration().proven().orElse(false)).count() / (double) observable.size());
                }
                if (!c.isBaseline()) {
                    BoostImprovement improvement = run.improvement(workload, c.id());
                    setIfFinite(recorder, p + "improvement", improvement.improvement().point());
                    setIfFinite(recorder, p + "improvement.lower", improvement.improvement().lower());
                    setIfFinite(recorder, p + "improvement.upper", improvement.improvement().upper());
                }
            }
        }
        run.hostMax(HostSample::memoryPercent).ifPresent(v -> recorder.gauge("cpuboost.host.max_memory_percent").set(v));
        run.hostMax(HostSample::swapPercent).ifPresent(v -> recorder.gauge("cpuboost.host.max_swap_percent").set(v));
        run.maxSlowdownAfterRestore().ifPresent(v -> recorder.gauge("cpuboost.max_slowdown_after_restore").set(v));
    }

    static void tables(CpuBoostRun run, Recorder recorder) {
        List<List<String>> byConfiguration = new ArrayList<>();
        for (CpuBoostRun.ConfigurationSummary row : run.byConfiguration()) {
            byConfiguration.add(List.of(row.configuration(), pct(row.mean()), pct(row.std()), pct(row.min()),
                    pct(row.max()), Integer.toString(row.workloads())));
        }
        recorder.table("Average improvement by configuration",
                List.of("config", "mean", "std", "min", "max", "test cases"), byConfiguration);

        String focus = focusConfiguration(run);
        List<List<String>> byWorkload = new ArrayList<>();
        run.workloads().stream().map(w -> run.improvement(w, focus))
                .sorted(Comparator.comparingDouble((BoostImprovement i) -> i.improvement().point()).reversed())
                .forEach(i -> byWorkload.add(List.of(i.workload(), i.improvement().toPercentText(),
                        DurationText.format(i.baselineMean()), DurationText.format(i.boostedMean()), verdict(i))));
        recorder.table("Improvement by test case (" + focus + ")",
                List.of("test case", "improvement (95 % CI)", "baseline time", "boosted time", "verdict"), byWorkload);

        for (String workload : run.workloads()) {
            List<List<String>> rows = new ArrayList<>();
            for (String metric : run.metrics(workload)) {
                for (BoostConfiguration c : run.boosts()) {
                    BoostImprovement i = run.improvement(workload, c.id(), metric);
                    rows.add(List.of(metric, c.id(), DurationText.format(i.baselineMean()),
                            DurationText.format(i.boostedMean()), i.improvement().toPercentText(), verdict(i)));
                }
            }
            recorder.table("Improvement by phase: " + workload,
                    List.of("timing", "config", "baseline mean", "boosted mean", "improvement (95 % CI)", "verdict"), rows);
        }

        List<List<String>> starts = new ArrayList<>();
        for (BoostTrial t : run.trials()) {
            Restoration r = t.restoration();
            starts.add(List.of(t.workload(), t.configuration().id(), Integer.toString(t.round() + 1)
                            + (run.concurrent() > 1 ? "." + (t.instance() + 1) : ""),
                    DurationText.format(t.total()), DurationText.format(t.wallTime()),
                    t.readyAfter().map(DurationText::format).orElse("-"),
                    String.format(Locale.ROOT, "%.2f → %.2f", t.boostedCpus(), t.baseCpus()),
                    r.trigger().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    r.after().map(DurationText::format).orElse("-"),
                    r.lateness().map(DurationText::format).orElse("-"),
                    r.cpuAfter().isPresent() ? String.format(Locale.ROOT, "%.2f", r.cpuAfter().getAsDouble()) : "-",
                    r.proven().map(p -> p ? "yes" : "NO").orElse("-"),
                    String.format(Locale.ROOT, "%.2f", t.peakCpu()),
                    String.format(Locale.ROOT, "%.0f MiB", t.peakMemoryBytes() / 1048576.0),
                    t.cpuAllocated().isPresent() ? Integer.toString(t.cpuAllocated().getAsInt()) : "-",
                    Integer.toString(t.visibleCpus()),
                    t.slowdownAfterRestore().isPresent()
                            ? String.format(Locale.ROOT, "%.2f×", t.slowdownAfterRestore().getAsDouble()) : "-"));
        }
        recorder.table("Every start, in the order run",
                List.of("workload", "config", "round", "start-up", "wall", "ready", "CPUs boosted → base", "boost ended by",
                        "restored at", "late by", "CPU after", "restored (proven)", "peak CPU", "peak memory",
                        "cpu_allocated", "visible CPUs", "slowdown after"), starts);

        if (run.concurrent() > 1) {
            List<List<String>> rows = new ArrayList<>();
            for (String workload : run.workloads()) {
                for (BoostConfiguration c : run.configurations()) {
                    rows.add(List.of(workload, c.id(), DurationText.format(run.completionSpread(workload, c.id())),
                            String.format(Locale.ROOT, "%.2f×", run.slowestToFastest(workload, c.id()))));
                }
            }
            recorder.table("Concurrent starts (" + run.concurrent() + " at once)",
                    List.of("workload", "config", "completion spread (worst round)", "slowest / fastest"), rows);
        }
        List<String> warnings = run.memoryWarnings();
        if (!run.hostSamples().isEmpty()) {
            recorder.table("Machine during the experiment", List.of("reading", "value"), List.of(
                    List.of("max memory in use", String.format(Locale.ROOT, "%.1f %%",
                            run.hostMax(HostSample::memoryPercent).orElse(0.0))),
                    List.of("max swap in use", String.format(Locale.ROOT, "%.1f %%",
                            run.hostMax(HostSample::swapPercent).orElse(0.0))),
                    List.of("max CPU busy", String.format(Locale.ROOT, "%.2f of %d cores",
                            run.hostMax(HostSample::busyCores).orElse(0.0), run.machineCpus())),
                    List.of("warnings", warnings.isEmpty() ? "none" : String.join("; ", warnings))));
        }
    }

    /** The configuration the guide's per-test-case table and plots show: 2x if run, else the first boost. */
    static String focusConfiguration(CpuBoostRun run) {
        return run.boosts().stream().filter(c -> c.factor() == 2.0).findFirst().orElse(run.boosts().get(0)).id();
    }

    private static String verdict(BoostImprovement i) {
        if (i.improvement().lower() > 0) {
            return "shorter";
        }
        if (i.improvement().upper() < 0) {
            return "LONGER";
        }
        return "no significant change";
    }

    static CategoryChart improvementByWorkload(CpuBoostRun run, String focus) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(450)
                .title("CPU boost improvement by test case (" + focus + ")").yAxisTitle("improvement (%)").build();
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        for (String workload : run.workloads()) {
            BoostImprovement i = run.improvement(workload, focus);
            names.add(workload);
            values.add(i.improvement().point() * 100);
            errors.add(i.improvement().halfWidth() * 100);
        }
        chart.addSeries("improvement", names, values, errors).setFillColor(BOOST);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        return chart;
    }

    static CategoryChart baselineVsBoosted(CpuBoostRun run, String focus) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(450)
                .title("Loading time: baseline vs boosted (" + focus + ")").yAxisTitle("seconds").build();
        List<Double> base = new ArrayList<>();
        List<Double> boosted = new ArrayList<>();
        for (String workload : run.workloads()) {
            BoostImprovement i = run.improvement(workload, focus);
            base.add(seconds(i.baselineMean()));
            boosted.add(seconds(i.boostedMean()));
        }
        chart.addSeries("baseline", run.workloads(), base).setFillColor(BASE);
        chart.addSeries("boosted (" + focus + ")", run.workloads(), boosted).setFillColor(BOOST);
        return chart;
    }

    static CategoryChart improvementByConfiguration(CpuBoostRun run) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(450)
                .title("Average improvement by boost configuration").yAxisTitle("average improvement (%)").build();
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (CpuBoostRun.ConfigurationSummary row : run.byConfiguration()) {
            names.add(row.configuration());
            values.add(row.mean() * 100);
        }
        chart.addSeries("mean improvement", names, values).setFillColor(BOOST);
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    /**
     * Each boosted start's improvement over its workload's mean baseline: the spread the summary
     * tables average away.
     */
    static CategoryChart distribution(CpuBoostRun run) {
        List<List<Double>> perConfiguration = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (BoostConfiguration c : run.boosts()) {
            List<Double> values = new ArrayList<>();
            for (String workload : run.workloads()) {
                double base = run.trials(workload, BoostConfiguration.BASELINE).stream()
                        .mapToDouble(t -> seconds(t.total())).average().orElse(Double.NaN);
                for (BoostTrial t : run.trials(workload, c.id())) {
                    double value = (1 - seconds(t.total()) / base) * 100;
                    values.add(value);
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                }
            }
            perConfiguration.add(values);
        }
        CategoryChart chart = new CategoryChartBuilder().width(900).height(450).title("Distribution of improvements")
                .xAxisTitle("improvement (%)").yAxisTitle("starts").build();
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisDecimalPattern("0");
        if (max - min < 1) {
            min -= 1;
            max += 1;
        }
        for (int i = 0; i < run.boosts().size(); i++) {
            Histogram histogram = new Histogram(perConfiguration.get(i), 10, min, max);
            chart.addSeries(run.boosts().get(i).id(), histogram.getxAxisData(), histogram.getyAxisData());
        }
        return chart;
    }

    /** For each configuration, the CPU of the workload's first start over time, with the limit in force. */
    static XYChart cpuTimeline(CpuBoostRun run, String workload) {
        XYChart chart = new XYChartBuilder().width(900).height(450)
                .title("CPU used by " + workload + " (first start of each configuration)")
                .xAxisTitle("seconds from the start request").yAxisTitle("CPUs").build();
        Set<String> seen = new LinkedHashSet<>();
        for (BoostTrial t : run.trials()) {
            if (!t.workload().equals(workload) || t.instance() != 0 || !seen.add(t.configuration().id())
                    || t.samples().isEmpty()) {
                continue;
            }
            double[] x = t.samples().stream().mapToDouble(s -> seconds(s.offset())).toArray();
            XYSeries used = chart.addSeries(t.configuration().id() + " used", x,
                    t.samples().stream().mapToDouble(CpuSample::cores).toArray());
            used.setMarker(SeriesMarkers.NONE);
            if (!t.configuration().isBaseline()) {
                XYSeries limit = chart.addSeries(t.configuration().id() + " limit", x,
                        t.samples().stream().mapToDouble(CpuSample::limit).toArray());
                limit.setMarker(SeriesMarkers.NONE);
                limit.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {6f, 4f}, 0f));
            }
        }
        if (seen.isEmpty()) {
            chart.addSeries("no readings", new double[] {0}, new double[] {0});
        }
        return chart;
    }

    static XYChart host(CpuBoostRun run) {
        XYChart chart = new XYChartBuilder().width(900).height(450)
                .title("Machine over the experiment: CPU busy (cores ×100), memory and swap (%)")
                .xAxisTitle("seconds from the first start").yAxisTitle("percent").build();
        double[] x = run.hostSamples().stream().mapToDouble(s -> seconds(s.offset())).toArray();
        XYSeries cpu = chart.addSeries("CPU busy (cores × 100)", x,
                run.hostSamples().stream().mapToDouble(s -> s.busyCores() * 100).toArray());
        cpu.setMarker(SeriesMarkers.NONE);
        cpu.setLineColor(BOOST);
        XYSeries memory = chart.addSeries("memory %", x,
                run.hostSamples().stream().mapToDouble(HostSample::memoryPercent).toArray());
        memory.setMarker(SeriesMarkers.NONE);
        memory.setLineColor(BASE);
        XYSeries swap = chart.addSeries("swap %", x, run.hostSamples().stream().mapToDouble(HostSample::swapPercent)
                .toArray());
        swap.setMarker(SeriesMarkers.NONE);
        swap.setLineColor(LIMIT);
        return chart;
    }

    static String rawCsv(CpuBoostRun run) {
        Set<String> phases = new LinkedHashSet<>();
        run.trials().forEach(t -> phases.addAll(t.timings().keySet()));
        List<String> header = new ArrayList<>(List.of("test_case", "config", "run", "instance", "runtime",
                "base_cpus", "boosted_cpus", "wall_seconds", "ready_seconds", "restored_by", "restored_at_seconds",
                "restore_late_seconds", "cpu_usage_post_boost", "restoration_success", "cpu_usage_peak",
                "memory_used_bytes", "cpu_allocated", "visible_cpus", "slowdown_after_restore"));
        header.addAll(phases);
        return csv(header, printer -> {
            for (BoostTrial t : run.trials()) {
                Restoration r = t.restoration();
                List<Object> row = new ArrayList<>(List.of(t.workload(), t.configuration().id(), t.round() + 1,
                        t.instance() + 1, t.runtime(), t.baseCpus(), t.boostedCpus(), seconds(t.wallTime()),
                        t.readyAfter().map(CpuBoostReport::secondsText).orElse(""),
                        r.trigger().name().toLowerCase(Locale.ROOT),
                        r.after().map(CpuBoostReport::secondsText).orElse(""),
                        r.lateness().map(CpuBoostReport::secondsText).orElse(""),
                        r.cpuAfter().isPresent() ? r.cpuAfter().getAsDouble() : "",
                        r.proven().map(String::valueOf).orElse(""), t.peakCpu(), t.peakMemoryBytes(),
                        t.cpuAllocated().isPresent() ? t.cpuAllocated().getAsInt() : "", t.visibleCpus(),
                        t.slowdownAfterRestore().isPresent() ? t.slowdownAfterRestore().getAsDouble() : ""));
                for (String phase : phases) {
                    row.add(t.timings().containsKey(phase) ? secondsText(t.timings().get(phase)) : "");
                }
                printer.printRecord(row);
            }
        });
    }

    static String improvementsCsv(CpuBoostRun run) {
        return csv(List.of("test_case", "config", "metric", "improvement_pct", "ci_lower_pct", "ci_upper_pct",
                "baseline_time", "boosted_time", "baseline_runs", "boosted_runs"), printer -> {
                    for (String workload : run.workloads()) {
                        for (String metric : run.metrics(workload)) {
                            for (BoostConfiguration c : run.boosts()) {
                                BoostImprovement i = run.improvement(workload, c.id(), metric);
                                printer.printRecord(workload, c.id(), metric, round(i.improvement().point() * 100),
                                        round(i.improvement().lower() * 100), round(i.improvement().upper() * 100),
                                        secondsText(i.baselineMean()), secondsText(i.boostedMean()), i.baselineRuns(),
                                        i.boostedRuns());
                            }
                        }
                    }
                });
    }

    /** The guide's printed summary. */
    static String consoleSummary(CpuBoostRun run, String focus) {
        StringBuilder out = new StringBuilder();
        String rule = "=".repeat(80) + "\n";
        out.append(rule).append("CPU BOOST TEST RESULTS SUMMARY\n").append(rule).append('\n');
        out.append("Average Improvement by Configuration:\n").append("-".repeat(80)).append('\n');
        out.append(String.format(Locale.ROOT, "%-16s %8s %8s %8s %8s%n", "config", "mean", "std", "min", "max"));
        for (CpuBoostRun.ConfigurationSummary row : run.byConfiguration()) {
            out.append(String.format(Locale.ROOT, "%-16s %8s %8s %8s %8s%n", row.configuration(), pct(row.mean()),
                    pct(row.std()), pct(row.min()), pct(row.max())));
        }
        out.append('\n').append("Improvement by Test Case (").append(focus).append("):\n").append("-".repeat(80)).append('\n');
        for (String workload : run.workloads()) {
            BoostImprovement i = run.improvement(workload, focus);
            out.append(String.format(Locale.ROOT, "%-24s %-34s %10s → %s%n", workload, i.improvement().toPercentText(),
                    DurationText.format(i.baselineMean()), DurationText.format(i.boostedMean())));
        }
        run.memoryWarnings().forEach(w -> out.append(w).append('\n'));
        return out.toString();
    }

    private interface Rows {
        void print(CSVPrinter printer) throws IOException;
    }

    private static String csv(List<String> header, Rows rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get()
                .print(out)) {
            rows.print(printer);
        } catch (IOException e) {
            throw new IllegalStateException("writing CSV to memory failed", e);
        }
        return out.toString();
    }

    private static void attachPng(String name, Chart<?, ?> chart) {
        try {
            dev.dyno.spi.TransitionalReport.attach(name, "image/png", "png", dev.dyno.allure.TransitionalCharts.png(chart));
        } catch (RuntimeException e) {
            System.err.println("[dyno] could not draw " + name + ": " + e);
        }
    }

    private static void setIfFinite(Recorder recorder, String gauge, double value) {
        if (Double.isFinite(value)) {
            recorder.gauge(gauge).set(value);
        }
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static String secondsText(Duration duration) {
        return String.format(Locale.ROOT, "%.4f", seconds(duration));
    }
}
