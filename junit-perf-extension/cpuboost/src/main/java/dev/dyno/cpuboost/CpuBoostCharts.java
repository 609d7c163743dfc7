package dev.dyno.cpuboost;

import static dev.dyno.cpuboost.CpuBoostReport.seconds;

import dev.dyno.view.Axis;
import dev.dyno.view.Chart;
import dev.dyno.view.Marker;
import dev.dyno.view.Series;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@link CpuBoostRun} as charts, as data: the guide's four plots, the CPU of each workload over
 * time with the limit in force, and the machine over the experiment. Every series of a
 * configuration is in that configuration's group, so it has one colour in every chart.
 */
final class CpuBoostCharts {

    /** Bins of the distribution of improvements, as the guide's histogram has. */
    static final int BINS = 10;

    private CpuBoostCharts() {
    }

    /** Every chart there is data for. */
    static List<Chart> all(CpuBoostRun run) {
        String focus = CpuBoostReport.focusConfiguration(run);
        List<Chart> charts = new ArrayList<>(List.of(improvementByWorkload(run, focus), baselineVsBoosted(run, focus),
                improvementByConfiguration(run), distribution(run)));
        for (String workload : run.workloads()) {
            charts.add(cpuTimeline(run, workload));
        }
        charts.add(host(run));
        return charts.stream().filter(c -> !c.isEmpty()).toList();
    }

    /** The guide's plot 1: each test case's improvement in the focus configuration, with its 95 % interval. */
    static Chart improvementByWorkload(CpuBoostRun run, String focus) {
        List<BoostImprovement> improvements = CpuBoostTables.improvementsByWorkload(run, focus);
        return Chart.bars("CPU boost improvement by test case (" + focus + ", 95 % CI)")
                .x(Axis.linear("test case")).y(Axis.linear("improvement", "%"))
                .series(Series.bars(focus, improvements.stream().map(BoostImprovement::workload).toList(),
                                percents(improvements.stream().mapToDouble(i -> i.improvement().point())))
                        .withErrors(percents(improvements.stream().mapToDouble(i -> i.improvement().halfWidth())))
                        .inGroup(focus))
                .marker(Marker.horizontal(0, "no change"))
                .build();
    }

    /** The guide's plot 2: the mean start-up time of each test case, without and with the focus boost. */
    static Chart baselineVsBoosted(CpuBoostRun run, String focus) {
        List<BoostImprovement> improvements = CpuBoostTables.improvementsByWorkload(run, focus);
        List<String> workloads = improvements.stream().map(BoostImprovement::workload).toList();
        return Chart.bars("Start-up time: baseline vs " + focus)
                .x(Axis.linear("test case")).y(Axis.linear("start-up time", "s"))
                .series(Series.bars(BoostConfiguration.BASELINE, workloads,
                        improvements.stream().mapToDouble(i -> seconds(i.baselineMean())).toArray())
                        .inGroup(BoostConfiguration.BASELINE))
                .series(Series.bars(focus, workloads,
                        improvements.stream().mapToDouble(i -> seconds(i.boostedMean())).toArray()).inGroup(focus))
                .build();
    }

    /**
     * The guide's plot 3: each boost's mean improvement over the test cases, one bar per
     * configuration so that each has its colour.
     */
    static Chart improvementByConfiguration(CpuBoostRun run) {
        Chart.Builder chart = Chart.bars("Average improvement by boost configuration")
                .x(Axis.linear("configuration")).y(Axis.linear("mean improvement over the test cases", "%"));
        for (CpuBoostRun.ConfigurationSummary row : run.byConfiguration()) {
            chart.series(Series.bars(row.configuration(), List.of(row.workloads() + " test cases"),
                    new double[] {row.mean() * 100}).inGroup(row.configuration()));
        }
        return chart.build();
    }

    /**
     * The guide's plot 4: how many boosted starts improved by how much over their workload's mean
     * baseline; the spread the summary tables average away. One series per configuration, on the
     * same {@value #BINS} bins.
     */
    static Chart distribution(CpuBoostRun run) {
        List<double[]> perConfiguration = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (BoostConfiguration c : run.boosts()) {
            List<Double> values = new ArrayList<>();
            for (String workload : run.workloads()) {
                double base = run.trials(workload, BoostConfiguration.BASELINE).stream()
                        .mapToDouble(t -> seconds(t.total())).average().orElse(Double.NaN);
                for (BoostedStartResult t : run.trials(workload, c.id())) {
                    double value = (1 - seconds(t.total()) / base) * 100;
                    if (Double.isFinite(value)) {
                        values.add(value);
                        min = Math.min(min, value);
                        max = Math.max(max, value);
                    }
                }
            }
            perConfiguration.add(values.stream().mapToDouble(Double::doubleValue).toArray());
        }
        Chart.Builder chart = Chart.bars("Distribution of improvements")
                .x(Axis.linear("improvement", "%")).y(Axis.linear("starts"));
        if (min > max) {
            return chart.build(); // no boosted start beside a baseline
        }
        if (max - min < 1) {
            min -= 1;
            max += 1;
        }
        double width = (max - min) / BINS;
        List<String> bins = new ArrayList<>();
        for (int b = 0; b < BINS; b++) {
            bins.add(String.format(Locale.ROOT, width < 5 ? "%.1f" : "%.0f", min + (b + 0.5) * width));
        }
        for (int i = 0; i < run.boosts().size(); i++) {
            double[] counts = new double[BINS];
            for (double value : perConfiguration.get(i)) {
                counts[Math.min(BINS - 1, (int) ((value - min) / width))]++;
            }
            String id = run.boosts().get(i).id();
            chart.series(Series.bars(id, bins, counts).inGroup(id));
        }
        return chart.build();
    }

    /**
     * For each configuration, the CPU the workload's first start used over time, the limit in force
     * as a step from the start request to the restore and on to the end, and the moment of the
     * restore.
     */
    static Chart cpuTimeline(CpuBoostRun run, String workload) {
        Chart.Builder chart = Chart.xy("CPU used by " + workload + " (first start of each configuration)")
                .x(Axis.linear("time from the start request", "s")).y(Axis.linear("CPU", "cores").from(0));
        Set<String> seen = new LinkedHashSet<>();
        for (BoostedStartResult t : run.trials()) {
            String id = t.configuration().id();
            if (!t.workload().equals(workload) || t.instance() != 0 || !seen.add(id)) {
                continue;
            }
            if (!t.samples().isEmpty()) {
                chart.series(Series.line(id + " used", t.samples().stream().mapToDouble(s -> seconds(s.offset())).toArray(),
                        t.samples().stream().mapToDouble(CpuSample::cores).toArray()).inGroup(id));
            }
            chart.series(limit(t).inGroup(id));
            t.restoration().after().ifPresent(after -> chart.marker(Marker.vertical(seconds(after), id + " restored")));
        }
        return chart.build();
    }

    /**
     * The limit of one start as a step series: boosted from the request (the boost is in force from
     * the container's creation, before the first reading) to the restore, then the base to the end;
     * a baseline start has the base throughout.
     */
    static Series limit(BoostedStartResult t) {
        Duration lastSample = t.samples().isEmpty() ? Duration.ZERO : t.samples().get(t.samples().size() - 1).offset();
        double end = seconds(t.wallTime().compareTo(lastSample) >= 0 ? t.wallTime() : lastSample);
        String name = t.configuration().id() + " limit";
        return t.restoration().after()
                .map(after -> Series.step(name, new double[] {0, seconds(after), Math.max(end, seconds(after))},
                        new double[] {t.boostedCpus(), t.baseCpus(), t.baseCpus()}))
                .orElseGet(() -> Series.step(name, new double[] {0, end},
                        new double[] {t.boostedCpus(), t.boostedCpus()}));
    }

    /** The machine over the experiment: memory and swap in percent (with the guide's warning levels), CPU in cores. */
    static Chart host(CpuBoostRun run) {
        double[] x = run.hostSamples().stream().mapToDouble(s -> seconds(s.offset())).toArray();
        Chart.Builder chart = Chart.xy("Machine over the experiment: memory, swap and CPU")
                .x(Axis.linear("time from the first start", "s")).y(Axis.linear("in use", "%").from(0))
                .y2(Axis.linear("CPU busy", "cores"))
                .line("memory", x, run.hostSamples().stream().mapToDouble(HostSample::memoryPercent).toArray())
                .line("swap", x, run.hostSamples().stream().mapToDouble(HostSample::swapPercent).toArray())
                .series(Series.line("CPU busy", x, run.hostSamples().stream().mapToDouble(HostSample::busyCores)
                        .toArray()).onSecondAxis());
        if (!run.hostSamples().isEmpty()) {
            chart.marker(Marker.horizontal(HostSample.HIGH_MEMORY_PERCENT, "memory warning"))
                    .marker(Marker.horizontal(HostSample.HIGH_SWAP_PERCENT, "swap warning"));
        }
        return chart.build();
    }

    private static double[] percents(java.util.stream.DoubleStream fractions) {
        return fractions.map(f -> f * 100).toArray();
    }
}
