package dev.dyno.longtail;

import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Recorder;
import dev.dyno.stats.ComparisonResult;
import dev.dyno.stats.Estimate;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Puts a {@link LongTailRun} into the test's recorder, tables and charts, and the guide's JSON result. */
final class LongTailReport {

    private static final Color LONG = new Color(0xD6, 0x27, 0x28);
    private static final Color SHORT = new Color(0x1F, 0x77, 0xB4);

    private LongTailReport() {
    }

    static void report(LongTailRun result, Recorder recorder, Path resultsDir, String fileStem) {
        record(result, recorder);
        tables(result, recorder);
        for (String policy : result.policies()) {
            attachPng("timeline: " + policy + " (median run)", timeline(result, policy));
        }
        attachPng("makespan by policy, with the lower bound", makespans(result));
        if (result.policies().size() > 1) {
            attachPng("improvement over default (95 % CI)", improvements(result));
        }
        String json = result.guideResultsJson();
        dev.dyno.spi.TransitionalReport.attach("result (guide format)", "application/json", "json", json.getBytes(StandardCharsets.UTF_8));
        try {
            Path file = resultsDir.resolve("longtail").resolve(fileStem + ".json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, json);
        } catch (IOException e) {
            System.err.println("[dyno] could not write the long-tail result: " + e);
        }
    }

    static void record(LongTailRun result, Recorder recorder) {
        recorder.attribute("longtail.task_set", result.taskSet().name());
        recorder.attribute("longtail.tasks", result.taskSet().tasks(TaskSpec.Kind.SHORT).size() + " short + "
                + result.taskSet().tasks(TaskSpec.Kind.LONG).size() + " long");
        recorder.attribute("longtail.cores", Integer.toString(result.cores()));
        recorder.attribute("longtail.policies", String.join(", ", result.policies()));
        recorder.attribute("longtail.bounded_by", boundText(result));
        recorder.attribute("longtail.lower_bound.method", result.lowerBoundMethod());
        recorder.timer("longtail.lower_bound").record(result.lowerBound());
        setIfDefined(recorder, "longtail.noise", result.noise());
        if (Double.isNaN(result.noise())) {
            recorder.attribute("longtail.noise", "unknown: /proc/stat could not be read");
        }
        for (PolicyRun run : result.runs()) {
            String p = "longtail." + run.policy() + ".";
            recorder.timer(p + "makespan").record(run.makespan());
            run.shortCompletion().ifPresent(d -> recorder.timer(p + "short_completion").record(d));
            run.longCompletion().ifPresent(d -> recorder.timer(p + "long_completion").record(d));
            run.tasks().forEach(t -> recorder.timer(p + "task").record(t.runtime()));
            // Each run's bound from its own CPU times: beside the policy-independent one, it shows what a policy inflates.
            recorder.timer(p + "run_lower_bound").record(run.lowerBound());
        }
        for (String policy : result.policies()) {
            String p = "longtail." + policy + ".";
            PolicyRun typical = result.representative(policy);
            setIfDefined(recorder, p + "vs_lower_bound", result.ratioToLowerBound(policy));
            setIfDefined(recorder, p + "skew_ratio", typical.skewRatio());
            setIfDefined(recorder, p + "imbalance_ratio", typical.imbalanceRatio());
            setIfDefined(recorder, p + "parallel_efficiency", typical.parallelEfficiency());
            recorder.gauge(p + "long_tail_detected").set(typical.longTailDetected() ? 1 : 0);
            if (!policy.equals(DefaultPolicy.NAME)) {
                Estimate improvement = result.improvement(policy);
                setIfDefined(recorder, p + "improvement", improvement.point());
                setIfDefined(recorder, p + "improvement.lower", improvement.lower());
                setIfDefined(recorder, p + "improvement.upper", improvement.upper());
            }
        }
    }

    /**
     * Ratios are undefined (NaN) when their denominator is zero, e.g. the skew of tasks too short
     * to register a clock tick; such a metric is left out rather than recorded as a number.
     */
    private static void setIfDefined(Recorder recorder, String gauge, double value) {
        if (Double.isFinite(value)) {
            recorder.gauge(gauge).set(value);
        }
    }

    static void tables(LongTailRun result, Recorder recorder) {
        List<List<String>> rows = new ArrayList<>();
        for (String policy : result.policies()) {
            List<PolicyRun> runs = result.runs(policy);
            PolicyRun typical = result.representative(policy);
            String improvement = "baseline";
            String verdict = "";
            if (!policy.equals(DefaultPolicy.NAME)) {
                ComparisonResult comparison = result.comparison(policy);
                improvement = comparison.improvement().toPercentText();
                verdict = comparison.verdict().toString();
            }
            rows.add(List.of(policy, Integer.toString(runs.size()), DurationText.format(result.makespan(policy)),
                    DurationText.format(runs.stream().map(PolicyRun::makespan).min(Duration::compareTo).orElseThrow()) + "–"
                            + DurationText.format(runs.stream().map(PolicyRun::makespan).max(Duration::compareTo).orElseThrow()),
                    DurationText.format(result.lowerBound()),
                    String.format(Locale.ROOT, "%.2f×", result.ratioToLowerBound(policy)),
                    improvement, verdict,
                    typical.shortCompletion().map(DurationText::format).orElse("-"),
                    typical.longCompletion().map(DurationText::format).orElse("-"),
                    String.format(Locale.ROOT, "%.1f", typical.skewRatio()),
                    String.format(Locale.ROOT, "%.1f", typical.imbalanceRatio()),
                    String.format(Locale.ROOT, "%.0f %%", typical.parallelEfficiency() * 100),
                    typical.longTailDetected() ? "yes (" + typical.longRunning().size() + " > 0.5 s)" : "no",
                    noiseText(runs)));
        }
        recorder.table("makespan by policy: " + result.taskSet().name() + ", " + taskCount(result) + " on "
                        + result.cores() + " cores; bounded by " + boundText(result) + "; lower bound "
                        + result.lowerBoundMethod(),
                List.of("policy", "runs", "makespan (median)", "range", "lower bound", "× lower bound",
                        "improvement over default", "verdict", "shorts done", "long done", "skew", "imbalance",
                        "efficiency", "long tail", "CPU elsewhere"),
                rows);
        for (String policy : result.policies()) {
            PolicyRun typical = result.representative(policy);
            List<List<String>> taskRows = new ArrayList<>();
            for (TaskRecord t : typical.tasks()) {
                taskRows.add(List.of(t.id(), t.kind().label(), Integer.toString(t.nice()),
                        t.cpuWeight() + " (" + t.cpuWeightDetail() + ")", DurationText.format(t.start()),
                        DurationText.format(t.end()), DurationText.format(t.runtime()), DurationText.format(t.cpuTime()),
                        String.format(Locale.ROOT, "%.2f", t.cpuCores()), t.reason()));
            }
            recorder.table("tasks under " + policy + " (median run, round " + (typical.round() + 1) + ")",
                    List.of("task", "kind", "nice", "CPU weight", "start", "end", "runtime", "CPU", "cores used", "why"),
                    taskRows);
        }
    }

    private static String taskCount(LongTailRun result) {
        return result.taskSet().tasks(TaskSpec.Kind.SHORT).size() + " short + "
                + result.taskSet().tasks(TaskSpec.Kind.LONG).size() + " long tasks";
    }

    /** The median share of CPU elsewhere, or "unknown" when a run could not read it. */
    private static String noiseText(List<PolicyRun> runs) {
        double[] noise = runs.stream().mapToDouble(PolicyRun::noise).toArray();
        return java.util.Arrays.stream(noise).anyMatch(Double::isNaN) ? "unknown"
                : String.format(Locale.ROOT, "%.0f %%", MakespanMath.median(noise) * 100);
    }

    static String boundText(LongTailRun result) {
        return result.boundedByLongestTask() ? "the longest task"
                : "the total work / cores, not the long task (size the set to the cores so the long task matters)";
    }

    static XYChart timeline(LongTailRun result, String policy) {
        PolicyRun run = result.representative(policy);
        XYChart chart = new XYChartBuilder().width(900).height(Math.max(300, 60 + 18 * run.tasks().size()))
                .title(result.taskSet().name() + " under " + policy + ": makespan " + DurationText.format(run.makespan())
                        + ", lower bound " + DurationText.format(result.lowerBound()))
                .xAxisTitle("seconds from the first launch").yAxisTitle("tasks (red: long)").build();
        chart.getStyler().setLegendVisible(false);
        List<TaskRecord> tasks = run.tasks();
        chart.setCustomYAxisTickLabelsFormatter(y -> {
            int i = tasks.size() - (int) Math.round(y);
            return Math.abs(y - Math.round(y)) < 1e-9 && i >= 0 && i < tasks.size() ? tasks.get(i).id() : "";
        });
        float thickness = Math.max(3f, Math.min(14f, 500f / tasks.size()));
        for (int i = 0; i < tasks.size(); i++) {
            TaskRecord t = tasks.get(i);
            double y = tasks.size() - i;
            XYSeries bar = chart.addSeries(t.id(), new double[] {seconds(t.start()), seconds(t.end())}, new double[] {y, y});
            bar.setMarker(SeriesMarkers.NONE);
            bar.setLineColor(t.kind() == TaskSpec.Kind.LONG ? LONG : SHORT);
            bar.setLineStyle(new BasicStroke(thickness, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        }
        double bound = seconds(result.lowerBound());
        XYSeries line = chart.addSeries("lower bound", new double[] {bound, bound}, new double[] {0, tasks.size() + 1});
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(Color.DARK_GRAY);
        line.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        return chart;
    }

    static CategoryChart makespans(LongTailRun result) {
        CategoryChart chart = new CategoryChartBuilder().width(800).height(450)
                .title(result.taskSet().name() + ": median makespan by policy").yAxisTitle("seconds").build();
        List<String> names = new ArrayList<>(result.policies());
        List<Double> values = new ArrayList<>();
        names.forEach(p -> values.add(seconds(result.makespan(p))));
        names.add("lower bound");
        values.add(seconds(result.lowerBound()));
        chart.addSeries("makespan", names, values);
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    static XYChart improvements(LongTailRun result) {
        List<String> policies = result.policies().stream().filter(p -> !p.equals(DefaultPolicy.NAME)).toList();
        XYChart chart = new XYChartBuilder().width(800).height(450)
                .title(result.taskSet().name() + ": makespan improvement over default, 95 % CI")
                .xAxisTitle("policy").yAxisTitle("improvement (%)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisMin(-0.5);
        chart.getStyler().setXAxisMax(policies.size() - 0.5);
        chart.setCustomXAxisTickLabelsFormatter(x -> {
            int i = (int) Math.round(x);
            return Math.abs(x - i) < 1e-9 && i >= 0 && i < policies.size() ? policies.get(i) : "";
        });
        for (int i = 0; i < policies.size(); i++) {
            Estimate e = result.improvement(policies.get(i));
            XYSeries interval = chart.addSeries(policies.get(i) + " CI", new double[] {i, i},
                    new double[] {e.lower() * 100, e.upper() * 100});
            interval.setMarker(SeriesMarkers.NONE);
            interval.setLineColor(SHORT);
            interval.setLineStyle(new BasicStroke(3f));
            XYSeries point = chart.addSeries(policies.get(i), new double[] {i}, new double[] {e.point() * 100});
            point.setMarker(SeriesMarkers.DIAMOND);
            point.setMarkerColor(LONG);
        }
        XYSeries zero = chart.addSeries("no change", new double[] {-0.5, policies.size() - 0.5}, new double[] {0, 0});
        zero.setMarker(SeriesMarkers.NONE);
        zero.setLineColor(Color.GRAY);
        return chart;
    }

    private static void attachPng(String name, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
        try {
            dev.dyno.spi.TransitionalReport.attach(name, "image/png", "png", dev.dyno.allure.TransitionalCharts.png(chart));
        } catch (RuntimeException e) {
            System.err.println("[dyno] could not draw " + name + ": " + e);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
