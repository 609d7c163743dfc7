package dev.dyno.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dyno.load.LoadTimeline.Tick;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.TimeSeriesSnapshot;
import dev.dyno.report.MetricCharts;
import dev.dyno.view.Attachment;
import dev.dyno.view.Axis;
import dev.dyno.view.Chart;
import dev.dyno.view.Marker;
import dev.dyno.view.Series;
import dev.dyno.view.Step;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The report of one load run, into the test's recorder: the guide's tables, a few charts as data,
 * each phase as a step with its real start and duration, and the raw data (JSON, CSV, one HdrHistogram
 * percentile file per phase).
 *
 * <p>The charts are the ones a performance engineer draws: latency over time as one line per
 * percentile; the offered and the achieved rate over time, in a chart of their own; for a stress
 * profile, latency and achieved rate by offered rate with the breaking point marked; and the phases'
 * latency distributions side by side on a scale of nines. A percentile, the offered and achieved
 * rates and each phase keep their colour group in every chart.
 */
final class LoadReport {

    /** More phases than this would make the distribution chart a legend; the phases table has them all. */
    static final int MAX_PHASES_COMPARED = 6;
    /** Phase starts are marked on the charts over time up to this many phases. */
    static final int MAX_PHASE_MARKERS = 8;
    static final String OFFERED = "offered";
    static final String ACHIEVED = "achieved";
    static final String FAILED = "failed";

    private LoadReport() {
    }

    static void write(LoadRun run, Recorder recorder) {
        recorder.attribute("load.profile", run.profile());
        recorder.attribute("load.target", run.target());
        // The run summary's table across tests: each profile's headline, the breaking point where stress found one.
        java.util.Map<String, String> cells = new java.util.LinkedHashMap<>();
        cells.put("profile", run.profile());
        cells.put("target", run.target());
        cells.put("requests", Long.toString(run.phases().stream().mapToLong(PhaseStats::requests).sum()));
        cells.put("worst phase p99", run.phases().stream().map(PhaseStats::p99).max(java.time.Duration::compareTo)
                .map(DurationText::format).orElse("-"));
        cells.put("lowest success", run.phases().stream().mapToDouble(PhaseStats::successRate).min()
                .stream().mapToObj(LoadReport::percent).findFirst().orElse("-"));
        cells.put("breaking point", run.breakingPoint().map(b -> ArrivalRatePacer.fmt(b.rps()) + " req/s (last good "
                + ArrivalRatePacer.fmt(b.lastGoodRps()) + ")").orElse(run.stressSteps().isEmpty() ? "-" : "none found"));
        recorder.summary("Load profiles", cells);
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
        if (run.checkFailureCount() > 0) {
            recorder.attribute("load.check.failed", String.valueOf(run.checkFailureCount()));
            recorder.table("check failures", List.of("request", "check", "status", "answer"), run.checkFailures().stream()
                    .map(f -> List.of(f.request(), f.check(), String.valueOf(f.status()), f.answer())).toList());
        }
        MetricsSnapshot metrics = recorder.snapshot();
        charts(run, metrics.startedAt()).forEach(recorder::chart);
        resourcesOverTime(run, metrics).ifPresent(recorder::chart);
        steps(run).forEach(recorder::step);
        attachments(run, metrics.startedAt()).forEach(recorder::attach);
    }

    static List<String> phaseRow(PhaseStats p) {
        return List.of(p.name(), load(p),
                String.valueOf(p.requests()), String.valueOf(p.ok()), String.valueOf(p.failed()), percent(p.successRate()),
                DurationText.format(p.mean()), DurationText.format(p.median()), DurationText.format(p.p95()),
                DurationText.format(p.p99()), DurationText.format(p.max()),
                String.format(Locale.ROOT, "%.2f", p.throughput()),
                String.format(Locale.ROOT, "%.2f", p.pace().achievedRps()),
                !p.pace().openModel() ? "-" : p.pace().keptUp() ? "yes" : "no (" + percent(p.pace().ratio()) + ")",
                String.valueOf(p.pace().queued()), String.valueOf(p.abandoned()));
    }

    /** The charts of a run; times count from {@code testStart}, like the test's other charts over time. */
    static List<Chart> charts(LoadRun run, Instant testStart) {
        List<Chart> charts = new ArrayList<>();
        List<Tick> ticks = run.timeline().ticks();
        List<Marker> markers = markersOverTime(run, testStart);
        latencyOverTime(ticks, testStart, markers).ifPresent(charts::add);
        ratesOverTime(run, ticks, testStart, markers).ifPresent(charts::add);
        if (!run.stressSteps().isEmpty()) {
            charts.add(stressLatency(run));
            charts.add(stressRates(run));
        }
        latencyByPhase(run).ifPresent(charts::add);
        return charts;
    }

    /** The percentiles drawn, with how each is read from a tick and from a phase's timer. */
    private enum Percentile {
        P50("p50", 50, Tick::p50Ms), P90("p90", 90, Tick::p90Ms), P99("p99", 99, Tick::p99Ms), MAX("max", 100, Tick::maxMs);

        final String label;
        private final double level;
        private final ToDoubleFunction<Tick> ofTick;

        Percentile(String label, double level, ToDoubleFunction<Tick> ofTick) {
            this.label = label;
            this.level = level;
            this.ofTick = ofTick;
        }

        double millis(PhaseStats phase) {
            return ms(level == 100 ? phase.max() : phase.latency().percentile(level));
        }
    }

    private static final Axis TIME = Axis.linear("time since test start", "s");
    private static final Axis LATENCY = Axis.linear("latency", "ms").from(0);
    private static final Axis OFFERED_RATE = Axis.linear("offered rate", "req/s").from(0);

    /** Latency of each tick's successful answers, from their intended start: one line per percentile. */
    private static Optional<Chart> latencyOverTime(List<Tick> ticks, Instant testStart, List<Marker> markers) {
        List<Tick> answered = ticks.stream().filter(Tick::hasLatency).toList();
        if (answered.size() < 2) {
            return Optional.empty();
        }
        double[] x = seconds(answered, testStart);
        Chart.Builder chart = Chart.xy("latency over time, by percentile").x(TIME).y(LATENCY);
        for (Percentile p : Percentile.values()) {
            chart.series(Series.line(p.label, x, answered.stream().mapToDouble(p.ofTick).toArray()).inGroup(p.label));
        }
        markers.forEach(chart::marker);
        return Optional.of(chart.build());
    }

    /**
     * The rate the generator offered beside the rate the target achieved (and failed): where they
     * part, the target stopped keeping up. A closed-model run offers nothing; it sent.
     */
    private static Optional<Chart> ratesOverTime(LoadRun run, List<Tick> ticks, Instant testStart, List<Marker> markers) {
        if (ticks.size() < 2) {
            return Optional.empty();
        }
        double[] x = seconds(ticks, testStart);
        boolean closed = !run.phases().isEmpty() && run.phases().stream().allMatch(PhaseStats::closedModel);
        Chart.Builder chart = Chart.xy("offered vs achieved rate over time").x(TIME).y(Axis.linear("rate", "req/s").from(0))
                .series(Series.line(closed ? "sent" : OFFERED, x, values(ticks, Tick::offeredRps)).inGroup(OFFERED))
                .series(Series.line(ACHIEVED, x, values(ticks, Tick::achievedRps)).inGroup(ACHIEVED));
        if (ticks.stream().anyMatch(t -> t.failedRps() > 0)) {
            chart.series(Series.line(FAILED, x, values(ticks, Tick::failedRps)).inGroup(FAILED));
        }
        markers.forEach(chart::marker);
        return Optional.of(chart.build());
    }

    /** Stress: each step's latency percentiles against its rate; the knee is the breaking point. */
    private static Chart stressLatency(LoadRun run) {
        List<StressStep> answered = byRate(run).stream().filter(s -> s.stats().ok() > 0).toList();
        double[] x = answered.stream().mapToDouble(StressStep::rps).toArray();
        Chart.Builder chart = Chart.xy("stress: latency by offered rate").x(OFFERED_RATE).y(LATENCY);
        for (Percentile p : Percentile.values()) {
            chart.series(Series.line(p.label, x, answered.stream().mapToDouble(s -> p.millis(s.stats())).toArray())
                    .inGroup(p.label));
        }
        run.breakingPoint().ifPresent(b -> chart.marker(Marker.vertical(b.rps(), breakingLabel(b))));
        return chart.build();
    }

    /** Stress: what each step achieved against what it offered; a target that keeps up stays on the diagonal. */
    private static Chart stressRates(LoadRun run) {
        List<StressStep> steps = byRate(run);
        double[] x = steps.stream().mapToDouble(StressStep::rps).toArray();
        Chart.Builder chart = Chart.xy("stress: achieved by offered rate").x(OFFERED_RATE)
                .y(Axis.linear("rate", "req/s").from(0))
                .series(Series.line(OFFERED, x, x).inGroup(OFFERED))
                .series(Series.line(ACHIEVED, x, steps.stream().mapToDouble(s -> s.stats().throughput()).toArray())
                        .inGroup(ACHIEVED));
        run.breakingPoint().ifPresent(b -> chart.marker(Marker.vertical(b.rps(), breakingLabel(b))));
        return chart.build();
    }

    /**
     * The phases' latency distributions side by side on a scale of nines, each phase in its colour:
     * for a stress profile the first, the last good and the breaking step. One phase alone is already
     * drawn with the test's timers.
     */
    private static Optional<Chart> latencyByPhase(LoadRun run) {
        List<PhaseStats> compared = (run.stressSteps().isEmpty() ? run.phases() : stressCompared(run)).stream()
                .filter(p -> p.latency().count() > 1).toList();
        if (compared.size() < 2 || compared.size() > MAX_PHASES_COMPARED) {
            return Optional.empty();
        }
        Chart.Builder chart = Chart.xy("latency by percentile, by phase").x(Axis.nines("percentile")).y(LATENCY);
        for (PhaseStats phase : compared) {
            Series curve = MetricCharts.percentiles(phase.latency()).series().get(0);
            chart.series(Series.line(phase.name(), curve.x(), curve.y()).inGroup(phase.name()));
        }
        return Optional.of(chart.build());
    }

    /** The first step, the last that held and the one that broke; without a breaking point, the first and the last. */
    private static List<PhaseStats> stressCompared(LoadRun run) {
        List<StressStep> steps = run.stressSteps();
        List<StressStep> picked = new ArrayList<>();
        picked.add(steps.get(0));
        Optional<StressStep> breaking = breakingStep(run);
        if (breaking.isPresent()) {
            double lastGood = run.breakingPoint().orElseThrow().lastGoodRps();
            steps.stream().filter(s -> s.held() && s.rps() == lastGood).reduce((a, b) -> b).ifPresent(picked::add);
            picked.add(breaking.get());
        } else {
            picked.add(steps.get(steps.size() - 1));
        }
        return picked.stream().distinct().sorted(Comparator.comparingDouble(StressStep::rps)).map(StressStep::stats)
                .toList();
    }

    /**
     * Lines across the charts over time: where each phase started (a few phases only), or, for a
     * stress profile, where the step that broke started.
     */
    private static List<Marker> markersOverTime(LoadRun run, Instant testStart) {
        List<Marker> markers = new ArrayList<>();
        if (!run.stressSteps().isEmpty()) {
            breakingStep(run).ifPresent(step -> run.timeline().start(step.stats().name()).ifPresent(start ->
                    markers.add(Marker.vertical(secondsSince(testStart, start),
                            breakingLabel(run.breakingPoint().orElseThrow())))));
        } else if (run.phases().size() > 1 && run.phases().size() <= MAX_PHASE_MARKERS) {
            for (PhaseStats phase : run.phases()) {
                run.timeline().start(phase.name()).ifPresent(start ->
                        markers.add(Marker.vertical(secondsSince(testStart, start), phase.name())));
            }
        }
        return markers;
    }

    /** The service's CPU and memory over time, with its replica changes marked; absent when it was not sampled. */
    static Optional<Chart> resourcesOverTime(LoadRun run, MetricsSnapshot metrics) {
        Optional<TimeSeriesSnapshot> cpu = metrics.series("target.cpu.cores").filter(s -> s.size() > 1);
        Optional<TimeSeriesSnapshot> memory = metrics.series("target.memory.mb").filter(s -> s.size() > 1);
        if (cpu.isEmpty() && memory.isEmpty()) {
            return Optional.empty();
        }
        Axis memoryAxis = Axis.linear("memory", "MB").from(0);
        Chart.Builder chart = Chart.xy("service CPU and memory over time").x(TIME)
                .y(cpu.isPresent() ? Axis.linear("CPU", "cores").from(0) : memoryAxis);
        cpu.ifPresent(s -> chart.series(Series.line("CPU", seconds(s), s.values()).inGroup("CPU")));
        memory.ifPresent(s -> {
            Series line = Series.line("memory", seconds(s), s.values()).inGroup("memory");
            if (cpu.isPresent()) {
                chart.y2(memoryAxis);
                line = line.onSecondAxis();
            }
            chart.series(line);
        });
        metrics.series("replicas").ifPresent(replicas -> {
            int marked = 0;
            for (int i = 1; i < replicas.size() && marked < MAX_PHASE_MARKERS; i++) {
                if (replicas.values()[i] != replicas.values()[i - 1]) {
                    chart.marker(Marker.vertical(replicas.offsetsNanos()[i] / 1e9,
                            Math.round(replicas.values()[i]) + " replicas"));
                    marked++;
                }
            }
        });
        return Optional.of(chart.build());
    }

    /** Each phase as a step with its real start and duration; a stress step passes when it held. */
    static List<Step> steps(LoadRun run) {
        List<Step> steps = new ArrayList<>();
        for (PhaseStats phase : run.phases()) {
            Optional<StressStep> stress = run.stressSteps().stream().filter(s -> s.stats() == phase).findFirst();
            boolean passed = stress.map(StressStep::held).orElse(phase.failed() == 0
                    && (phase.closedModel() || phase.requests() == 0 || phase.pace().keptUp()));
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("load", load(phase));
            parameters.put("requests", String.valueOf(phase.requests()));
            parameters.put("success", percent(phase.successRate()));
            parameters.put("p99", DurationText.format(phase.p99()));
            stress.ifPresent(s -> parameters.put("verdict", s.verdict().label()));
            run.timeline().start(phase.name()).ifPresent(start ->
                    steps.add(new Step("phase " + phase.name(), start, phase.duration(), passed, parameters)));
        }
        return steps;
    }

    /** The raw data: every phase as JSON and CSV, the run tick by tick, and each phase's latency histogram. */
    static List<Attachment> attachments(LoadRun run, Instant testStart) {
        List<Attachment> attachments = new ArrayList<>();
        attachments.add(Attachment.of("load phases.json", "application/json", ".json", json(run)));
        attachments.add(Attachment.of("load phases.csv", "text/csv", ".csv", csv(run)));
        List<Tick> ticks = run.timeline().ticks();
        if (!ticks.isEmpty()) {
            attachments.add(Attachment.text("load timeline.csv", "text/csv", ".csv", timelineCsv(ticks, testStart)));
        }
        for (PhaseStats phase : run.phases()) {
            if (phase.latency().count() > 0) {
                // HdrHistogram's percentile format, which its plotter reads; values in milliseconds
                attachments.add(Attachment.text(phase.name() + " latency (ms).hgrm", "text/plain", ".hgrm",
                        phase.latency().percentileDistribution()));
            }
        }
        return attachments;
    }

    static String timelineCsv(List<Tick> ticks, Instant testStart) {
        StringBuilder out = new StringBuilder("time_s,offered_rps,achieved_rps,failed_rps,p50_ms,p90_ms,p99_ms,max_ms\n");
        for (Tick t : ticks) {
            out.append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%.3f", secondsSince(testStart, t.at()), t.offeredRps(),
                    t.achievedRps(), t.failedRps()));
            for (Percentile p : Percentile.values()) {
                double value = p.ofTick.applyAsDouble(t);
                out.append(',').append(Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static List<StressStep> byRate(LoadRun run) {
        return run.stressSteps().stream().sorted(Comparator.comparingDouble(StressStep::rps)).toList();
    }

    /** The step at the breaking point's rate that did not hold: the last one, should narrowing have repeated a rate. */
    private static Optional<StressStep> breakingStep(LoadRun run) {
        return run.breakingPoint().flatMap(b -> run.stressSteps().stream().filter(s -> s.rps() == b.rps() && !s.held())
                .reduce((first, last) -> last));
    }

    static String breakingLabel(BreakingPoint breakingPoint) {
        return "breaking point " + ArrivalRatePacer.fmt(breakingPoint.rps()) + " req/s";
    }

    private static String load(PhaseStats phase) {
        return phase.closedModel() ? phase.users() + " users" : ArrivalRatePacer.fmt(phase.targetRps()) + " req/s";
    }

    private static double[] seconds(List<Tick> ticks, Instant testStart) {
        return ticks.stream().mapToDouble(t -> secondsSince(testStart, t.at())).toArray();
    }

    private static double[] seconds(TimeSeriesSnapshot series) {
        return java.util.Arrays.stream(series.offsetsNanos()).mapToDouble(n -> n / 1e9).toArray();
    }

    private static double[] values(List<Tick> ticks, ToDoubleFunction<Tick> value) {
        return ticks.stream().mapToDouble(value).toArray();
    }

    private static double secondsSince(Instant testStart, Instant at) {
        return Duration.between(testStart, at).toNanos() / 1e9;
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
