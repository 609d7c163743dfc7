package dev.dyno.longtail;

import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Recorder;
import dev.dyno.spi.InterruptHeld;
import dev.dyno.stats.ComparisonResult;
import dev.dyno.stats.Estimate;
import dev.dyno.view.Attachment;
import dev.dyno.view.Axis;
import dev.dyno.view.Chart;
import dev.dyno.view.Marker;
import dev.dyno.view.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Puts a {@link LongTailRun} into the test's recorder: metrics, tables, charts (each policy in one
 * colour across them), the guide's JSON result and every task of every run as CSV; the JSON also
 * goes to the results directory.
 */
final class LongTailReport {

    private LongTailReport() {
    }

    static void report(LongTailRun result, Recorder recorder, Path resultsDir, String fileStem) {
        if (result.runs().isEmpty()) {
            return; // interrupted before a run ended: nothing was measured
        }
        record(result, recorder);
        tables(result, recorder);
        charts(result).forEach(recorder::chart);
        String json = result.guideResultsJson();
        recorder.attach(Attachment.text("result (guide format)", "application/json", ".json", json));
        recorder.attach(Attachment.text("tasks of every run", "text/csv", ".csv", tasksCsv(result)));
        writeResult(resultsDir.resolve("longtail").resolve(fileStem + ".json"), json);
    }

    /** Written even after the test's timeout: see {@link InterruptHeld}. */
    private static void writeResult(Path file, String json) {
        try {
            InterruptHeld.run(() -> {
                Files.createDirectories(file.getParent());
                Files.writeString(file, json);
            });
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
            setIfDefined(recorder, p + "vs_run_lower_bound", result.ratioToRunLowerBound(policy));
            setIfDefined(recorder, p + "skew_ratio", typical.skewRatio());
            setIfDefined(recorder, p + "imbalance_ratio", typical.imbalanceRatio());
            setIfDefined(recorder, p + "parallel_efficiency", typical.parallelEfficiency());
            recorder.gauge(p + "long_tail_detected").set(typical.longTailDetected() ? 1 : 0);
            if (result.compared(policy)) {
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
            String improvement = policy.equals(DefaultPolicy.NAME) ? "baseline" : "needs 2 runs of each";
            String verdict = "";
            if (result.compared(policy)) {
                ComparisonResult comparison = result.comparison(policy);
                improvement = comparison.improvement().toPercentText();
                verdict = comparison.verdict().toString();
            }
            rows.add(List.of(policy, Integer.toString(runs.size()), DurationText.format(result.makespan(policy)),
                    DurationText.format(runs.stream().map(PolicyRun::makespan).min(Duration::compareTo).orElseThrow()) + "–"
                            + DurationText.format(runs.stream().map(PolicyRun::makespan).max(Duration::compareTo).orElseThrow()),
                    DurationText.format(result.lowerBound()),
                    String.format(Locale.ROOT, "%.2f×", result.ratioToLowerBound(policy)),
                    String.format(Locale.ROOT, "%.2f×", result.ratioToRunLowerBound(policy)),
                    improvement, verdict,
                    typical.shortCompletion().map(DurationText::format).orElse("-"),
                    typical.longCompletion().map(DurationText::format).orElse("-"),
                    String.format(Locale.ROOT, "%.1f", typical.skewRatio()),
                    String.format(Locale.ROOT, "%.1f", typical.imbalanceRatio()),
                    String.format(Locale.ROOT, "%.0f %%", typical.parallelEfficiency() * 100),
                    typical.longTailDetected() ? "yes (" + typical.longRunning().size() + " > 0.5 s)" : "no",
                    noiseText(runs)));
            // The run summary's table across tests: each policy's makespan against its bound.
            java.util.Map<String, String> cells = new java.util.LinkedHashMap<>();
            cells.put("task set", result.taskSet().name());
            cells.put("policy", policy);
            cells.put("makespan (median)", DurationText.format(result.makespan(policy)));
            cells.put("lower bound", DurationText.format(result.lowerBound()));
            cells.put("shortest × lower bound", String.format(Locale.ROOT, "%.2f×", result.ratioToLowerBound(policy)));
            cells.put("× own runs' bound", String.format(Locale.ROOT, "%.2f×", result.ratioToRunLowerBound(policy)));
            cells.put("improvement over default", improvement);
            cells.put("verdict", verdict);
            recorder.summary("Long-tail scheduling: makespan against the lower bound", cells);
        }
        recorder.table("makespan by policy: " + result.taskSet().name() + ", " + taskCount(result) + " on "
                        + result.cores() + " cores; bounded by " + boundText(result) + "; lower bound "
                        + result.lowerBoundMethod(),
                List.of("policy", "runs", "makespan (median)", "range", "lower bound", "shortest × lower bound",
                        "× own runs' bound (median)",
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

    static List<Chart> charts(LongTailRun result) {
        List<Chart> charts = new ArrayList<>(List.of(makespans(result), tasksRunning(result), taskEnds(result)));
        if (result.policies().stream().anyMatch(result::compared)) {
            charts.add(improvements(result));
        }
        return charts;
    }

    /** Every run's makespan by round, each policy's median as a line, and the lower bound no schedule beats. */
    static Chart makespans(LongTailRun result) {
        Chart.Builder chart = Chart.xy(result.taskSet().name() + ": makespan of every run, with the lower bound")
                .x(Axis.linear("round")).y(Axis.linear("makespan", "s").from(0));
        for (String policy : result.policies()) {
            List<PolicyRun> runs = result.runs(policy);
            double[] rounds = runs.stream().mapToDouble(r -> r.round() + 1).toArray();
            double median = seconds(result.makespan(policy));
            chart.series(Series.points(policy, rounds, runs.stream().mapToDouble(r -> seconds(r.makespan())).toArray())
                    .inGroup(policy));
            chart.series(Series.line(policy + " median", new double[] {rounds[0], rounds[rounds.length - 1]},
                    new double[] {median, median}).inGroup(policy));
        }
        return chart.marker(lowerBound(result, false)).build();
    }

    /**
     * How many tasks ran at each moment of each policy's median run: the long tail is the stretch
     * where one task runs alone, and a policy that cuts it ends near the lower bound.
     */
    static Chart tasksRunning(LongTailRun result) {
        Chart.Builder chart = Chart.xy(result.taskSet().name() + ": tasks running, median run of each policy")
                .x(Axis.linear("time from the first launch", "s").from(0)).y(Axis.linear("tasks running").from(0));
        for (String policy : result.policies()) {
            PolicyRun typical = result.representative(policy);
            TreeMap<Double, Integer> changes = new TreeMap<>();
            for (TaskRecord task : typical.tasks()) {
                changes.merge(seconds(task.start()), 1, Integer::sum);
                changes.merge(seconds(task.end()), -1, Integer::sum);
            }
            double[] x = new double[changes.size()];
            double[] y = new double[changes.size()];
            int i = 0;
            int running = 0;
            for (Map.Entry<Double, Integer> change : changes.entrySet()) {
                running += change.getValue();
                x[i] = change.getKey();
                y[i++] = running;
            }
            chart.series(Series.step(policy + " (round " + (typical.round() + 1) + ")", x, y).inGroup(policy));
        }
        return chart.marker(lowerBound(result, true)).build();
    }

    /** When each task ended in each policy's median run: the last one is the makespan. */
    static Chart taskEnds(LongTailRun result) {
        List<String> ids = result.taskSet().tasks().stream().map(TaskSpec::id).toList();
        Chart.Builder chart = Chart.bars(result.taskSet().name() + ": when each task ended, median run of each policy")
                .x(Axis.linear("task")).y(Axis.linear("ended, from the first launch", "s").from(0));
        for (String policy : result.policies()) {
            PolicyRun typical = result.representative(policy);
            chart.series(Series.bars(policy, ids, ids.stream().mapToDouble(id -> seconds(typical.task(id).end())).toArray())
                    .inGroup(policy));
        }
        return chart.marker(lowerBound(result, false)).build();
    }

    /**
     * Each policy's improvement over DEFAULT in every round, and the estimate with its confidence
     * interval (not symmetric, so as two lines rather than an error bar).
     */
    static Chart improvements(LongTailRun result) {
        Chart.Builder chart = Chart.xy(result.taskSet().name() + ": improvement over " + DefaultPolicy.NAME
                + " by round, with the confidence interval");
        double lowest = 0; // the axis reaches 0, so that "no change" is always in sight
        for (String policy : result.policies().stream().filter(result::compared).toList()) {
            List<double[]> perRound = new ArrayList<>();
            for (PolicyRun run : result.runs(policy)) {
                result.runs(DefaultPolicy.NAME).stream().filter(d -> d.round() == run.round()).findFirst()
                        .ifPresent(d -> perRound.add(new double[] {run.round() + 1,
                                100 * (1 - seconds(run.makespan()) / seconds(d.makespan()))}));
            }
            double[] rounds = perRound.stream().mapToDouble(p -> p[0]).toArray();
            double[] improvements = perRound.stream().mapToDouble(p -> p[1]).toArray();
            chart.series(Series.points(policy + " per round", rounds, improvements).inGroup(policy));
            Estimate e = result.improvement(policy);
            double[] span = {1, result.runs(policy).stream().mapToInt(PolicyRun::round).max().orElse(0) + 1};
            String level = String.format(Locale.ROOT, "%.0f %% CI", e.confidence() * 100);
            chart.series(Series.line(policy + " estimate", span, new double[] {100 * e.point(), 100 * e.point()})
                    .inGroup(policy));
            chart.series(Series.line(policy + " " + level + " upper end", span,
                    new double[] {100 * e.upper(), 100 * e.upper()}).inGroup(policy));
            chart.series(Series.line(policy + " " + level + " lower end", span,
                    new double[] {100 * e.lower(), 100 * e.lower()}).inGroup(policy));
            lowest = Math.min(lowest, Math.min(100 * e.lower(), Arrays.stream(improvements).min().orElse(0)));
        }
        return chart.x(Axis.linear("round")).y(Axis.linear("improvement over " + DefaultPolicy.NAME, "%").from(lowest))
                .marker(Marker.horizontal(0, "no change")).build();
    }

    private static Marker lowerBound(LongTailRun result, boolean vertical) {
        String label = "lower bound " + DurationText.format(result.lowerBound());
        double value = seconds(result.lowerBound());
        return vertical ? Marker.vertical(value, label) : Marker.horizontal(value, label);
    }

    /** Every task of every run, one row each: the raw data behind the tables and charts. */
    static String tasksCsv(LongTailRun result) {
        StringBuilder csv = new StringBuilder("policy,round,task,kind,program,start_s,end_s,runtime_s,cpu_s,nice,"
                + "cpu_weight,cpus,exit_code\n");
        for (PolicyRun run : result.runs()) {
            for (TaskRecord t : run.tasks()) {
                csv.append(String.format(Locale.ROOT, "%s,%d,%s,%s,\"%s\",%.6f,%.6f,%.6f,%.6f,%d,%d,\"%s\",%d%n",
                        run.policy(), run.round() + 1, t.id(), t.kind().label(), t.program().replace("\"", "\"\""),
                        seconds(t.start()), seconds(t.end()), seconds(t.runtime()), seconds(t.cpuTime()), t.nice(),
                        t.cpuWeight(), t.cpus().stream().map(String::valueOf).reduce((a, b) -> a + " " + b).orElse("all"),
                        t.exitCode()));
            }
        }
        return csv.toString();
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
