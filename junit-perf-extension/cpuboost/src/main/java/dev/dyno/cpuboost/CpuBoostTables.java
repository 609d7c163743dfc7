package dev.dyno.cpuboost;

import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Recorder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A {@link CpuBoostRun} as the report's tables: the guide's two summary tables, improvement by
 * phase, every start with its restoration, concurrent starts and the machine; and the guide's
 * printed summary.
 */
final class CpuBoostTables {

    private CpuBoostTables() {
    }

    static void record(CpuBoostRun run, Recorder recorder) {
        List<List<String>> byConfiguration = new ArrayList<>();
        for (CpuBoostRun.ConfigurationSummary row : run.byConfiguration()) {
            byConfiguration.add(List.of(row.configuration(), pct(row.mean()), pct(row.std()), pct(row.min()),
                    pct(row.max()), Integer.toString(row.workloads())));
        }
        recorder.table("Average improvement by configuration",
                List.of("config", "mean", "std", "min", "max", "test cases"), byConfiguration);

        String focus = CpuBoostReport.focusConfiguration(run);
        List<List<String>> byWorkload = new ArrayList<>();
        improvementsByWorkload(run, focus).stream()
                .sorted(Comparator.comparingDouble((BoostImprovement i) -> i.improvement().point()).reversed())
                .forEach(i -> byWorkload.add(List.of(i.workload(), i.improvement().toPercentText(),
                        DurationText.format(i.baselineMean()), DurationText.format(i.boostedMean()), verdict(i))));
        recorder.table("Improvement by test case (" + focus + ")",
                List.of("test case", "improvement (95 % CI)", "baseline time", "boosted time", "verdict"), byWorkload);
        // The run summary's table across tests, like the guide's closing table: one row per test case.
        for (List<String> row : byWorkload) {
            java.util.Map<String, String> cells = new java.util.LinkedHashMap<>();
            cells.put("test case", row.get(0));
            cells.put("configuration", focus);
            cells.put("improvement (95 % CI)", row.get(1));
            cells.put("baseline", row.get(2));
            cells.put("boosted", row.get(3));
            cells.put("verdict", row.get(4));
            recorder.summary("CPU boost: start-up improvement by test case", cells);
        }

        for (String workload : run.workloads()) {
            List<List<String>> rows = new ArrayList<>();
            for (String metric : run.metrics(workload)) {
                for (BoostConfiguration c : run.boosts()) {
                    if (!run.comparable(workload, c.id())) {
                        continue;
                    }
                    BoostImprovement i = run.improvement(workload, c.id(), metric);
                    rows.add(List.of(metric, c.id(), DurationText.format(i.baselineMean()),
                            DurationText.format(i.boostedMean()), i.improvement().toPercentText(), verdict(i)));
                }
            }
            recorder.table("Improvement by phase: " + workload,
                    List.of("timing", "config", "baseline mean", "boosted mean", "improvement (95 % CI)", "verdict"), rows);
        }

        recorder.table("Every start, in the order run",
                List.of("workload", "config", "round", "start-up", "wall", "ready", "CPUs boosted → base", "boost ended by",
                        "restored at", "late by", "CPU after", "restored (proven)", "peak CPU", "peak memory",
                        "cpu_allocated", "visible CPUs", "slowdown after"),
                run.trials().stream().map(t -> startRow(run, t)).toList());

        if (run.concurrent() > 1) {
            List<List<String>> rows = new ArrayList<>();
            for (String workload : run.workloads()) {
                for (BoostConfiguration c : run.configurations()) {
                    if (run.trials(workload, c.id()).isEmpty()) {
                        continue;
                    }
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

    private static List<String> startRow(CpuBoostRun run, BoostedStartResult t) {
        Restoration r = t.restoration();
        return List.of(t.workload(), t.configuration().id(), Integer.toString(t.round() + 1)
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
                        ? String.format(Locale.ROOT, "%.2f×", t.slowdownAfterRestore().getAsDouble()) : "-");
    }

    /** The guide's printed summary. */
    static String consoleSummary(CpuBoostRun run) {
        String focus = CpuBoostReport.focusConfiguration(run);
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
        for (BoostImprovement i : improvementsByWorkload(run, focus)) {
            out.append(String.format(Locale.ROOT, "%-24s %-34s %10s → %s%n", i.workload(), i.improvement().toPercentText(),
                    DurationText.format(i.baselineMean()), DurationText.format(i.boostedMean())));
        }
        run.memoryWarnings().forEach(w -> out.append(w).append('\n'));
        return out.toString();
    }

    /** Each workload's improvement in {@code configuration}, in the order given; those with too few starts left out. */
    static List<BoostImprovement> improvementsByWorkload(CpuBoostRun run, String configuration) {
        return run.workloads().stream().filter(w -> run.comparable(w, configuration))
                .map(w -> run.improvement(w, configuration)).toList();
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

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }
}
