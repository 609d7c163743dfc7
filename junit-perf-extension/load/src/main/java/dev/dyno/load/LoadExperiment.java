package dev.dyno.load;

import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Recorder;
import dev.dyno.assertions.Threshold;
import dev.dyno.assertions.Threshold.ThresholdResult;
import dev.dyno.load.LoadPlan.Closed;
import dev.dyno.load.LoadPlan.RampPlan;
import dev.dyno.load.LoadPlan.Scenario;
import dev.dyno.load.LoadPlan.SoakPlan;
import dev.dyno.load.LoadPlan.SpikePlan;
import dev.dyno.load.LoadPlan.Stage;
import dev.dyno.load.LoadPlan.StressPlan;
import dev.dyno.load.StressStep.Verdict;
import dev.dyno.metrics.MetricsSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Runs one plan's profile with a generator: the phases, the stress search, the soak windows. */
final class LoadExperiment {

    private final LoadPlan plan;
    private final LoadGenerator generator;
    private final Recorder recorder;
    private final ResourceTracker resources;
    private final Consumer<String> progress;
    private final Duration drain;
    private volatile String abortReason;
    private final List<String> slowPhases = new ArrayList<>();

    LoadExperiment(LoadPlan plan, LoadGenerator generator, Recorder recorder, ResourceTracker resources,
            Consumer<String> progress) {
        this.plan = plan;
        this.generator = generator;
        this.recorder = recorder;
        this.resources = resources;
        this.progress = progress;
        this.drain = generator.settings().drainTimeout();
        generator.addTickListener(new BacklogWatch(generator.settings().tick()));
    }

    LoadRun run(String targetDescription) {
        List<PhaseStats> phases = new ArrayList<>();
        List<StressStep> steps = new ArrayList<>();
        BreakingPoint breakingPoint = null;
        List<SoakWindow> windows = new ArrayList<>();
        Drift drift = null;
        LoadPlan.Profile profile = plan.profile();
        if (profile instanceof Closed closed) {
            for (Scenario s : closed.scenarios()) {
                if (stopped()) {
                    break;
                }
                PhaseRun phase = generator.closed(s.name(), s.users(), s.requests(), s.maxDuration());
                PhaseStats stats = finish(phase);
                phases.add(stats);
                progress.accept("load " + stats.summary());
                checkAbort();
            }
        } else if (profile instanceof SpikePlan spike) {
            List<PhaseRun> running = new ArrayList<>();
            String[] names = {"baseline", "spike", "recovery"};
            double[] rates = {spike.baselineRps(), spike.spikeRps(), spike.baselineRps()};
            for (int i = 0; i < 3 && !stopped(); i++) {
                running.add(generator.open(names[i], ArrivalRatePacer.constant(rates[i], spike.phase())));
                progress.accept("spike: phase " + names[i] + " (" + ArrivalRatePacer.fmt(rates[i]) + " req/s) sent, "
                        + generator.inFlight() + " in flight");
                checkAbort();
            }
            announceDrain(running.isEmpty() ? null : running.get(running.size() - 1));
            generator.drain();
            for (PhaseRun phase : running) {
                PhaseStats stats = finish(phase);
                phases.add(stats);
                progress.accept("spike " + stats.summary());
            }
            checkAbort();
        } else if (profile instanceof StressPlan stress) {
            double lastGood = 0;
            StressStep firstBad = null;
            for (double rps = stress.startRps(); rps <= stress.maxRps() + 1e-9 && !stopped(); rps += stress.stepRps()) {
                StressStep step = step(stress, round(rps), false);
                steps.add(step);
                phases.add(step.stats());
                checkAbort();
                if (!step.held()) {
                    firstBad = step;
                    break;
                }
                lastGood = step.rps();
            }
            if (firstBad != null) {
                double good = lastGood;
                StressStep bad = firstBad;
                for (int i = 0; i < stress.narrowSteps() && !stopped(); i++) {
                    double mid = round((good + bad.rps()) / 2);
                    if (mid <= good || mid >= bad.rps()) {
                        break;
                    }
                    StressStep step = step(stress, mid, true);
                    steps.add(step);
                    phases.add(step.stats());
                    checkAbort();
                    if (step.held()) {
                        good = mid;
                    } else {
                        bad = step;
                    }
                }
                breakingPoint = new BreakingPoint(bad.rps(), good, reason(stress, bad.stats()));
                progress.accept("stress: " + breakingPoint);
            } else {
                progress.accept("stress: no breaking point up to " + ArrivalRatePacer.fmt(stress.maxRps()) + " req/s");
            }
        } else if (profile instanceof SoakPlan soak) {
            SoakWindows accumulator = new SoakWindows(soak.window());
            generator.addTickListener(accumulator);
            PhaseRun phase = generator.open("soak", ArrivalRatePacer.constant(soak.rps(), soak.duration()));
            announceDrain(phase);
            generator.drain();
            accumulator.flush();
            windows.addAll(accumulator.windows);
            phases.add(finish(phase));
            progress.accept("soak " + phases.get(0).summary());
            drift = Drift.of(windows, soak.maxLatencyDrift(), soak.maxMemoryDrift());
            recorder.gauge("soak.latency.drift").set(drift.latencyChange());
            if (!Double.isNaN(drift.memoryChange())) {
                recorder.gauge("soak.memory.drift").set(drift.memoryChange());
            }
            progress.accept("soak drift: " + drift.describe());
            checkAbort();
        } else if (profile instanceof RampPlan ramp) {
            for (Stage stage : ramp.stages()) {
                if (stopped()) {
                    break;
                }
                PhaseRun phase = generator.open(stage.name(),
                        ArrivalRatePacer.ramp(stage.fromRps(), stage.toRps(), stage.duration()));
                announceDrain(phase);
                phase.drain(drain);
                PhaseStats stats = finish(phase);
                phases.add(stats);
                progress.accept("ramp " + stats.summary());
                checkAbort();
            }
        }
        generator.drain();
        GeneratorHealth health = generator.health();
        if (health.behindSchedule()) {
            progress.accept("WARNING " + health.describe());
            recorder.attribute("load.generator", health.describe());
        }
        if (!slowPhases.isEmpty()) {
            recorder.attribute("load.target.pace", String.join("\n", slowPhases));
        }
        return new LoadRun(plan.profile().kind(), targetDescription, phases, steps, breakingPoint, windows, drift,
                health, resources.events(), abortReason);
    }

    private StressStep step(StressPlan stress, double rps, boolean narrowing) {
        resources.takeMaxReplicas();
        PhaseRun phase = generator.open("stress-" + ArrivalRatePacer.fmt(rps) + "rps",
                ArrivalRatePacer.constant(rps, stress.step()));
        // Let the service empty its queue, so each step starts from the same state.
        announceDrain(phase);
        phase.drain(drain);
        PhaseStats stats = finish(phase);
        boolean breaks = breaks(stress, stats);
        PhaseStats first = null;
        for (var p : generator.phases()) {
            if (p.name().startsWith("stress-")) {
                first = first == null ? p.stats() : first;
            }
        }
        Verdict verdict = breaks ? Verdict.BREAKING
                : stats.failed() > 0 || (first != null && first.ok() > 0 && stats.mean().toNanos() > 2 * first.mean().toNanos())
                        ? Verdict.DEGRADING : Verdict.GOOD;
        StressStep step = new StressStep(rps, resources.takeMaxReplicas(), stats, verdict, narrowing);
        progress.accept(String.format(Locale.ROOT, "stress%s %s req/s: success %.1f%%, avg %s, p95 %s%s → %s",
                narrowing ? " (narrowing)" : "", ArrivalRatePacer.fmt(rps), 100 * stats.successRate(),
                DurationText.format(stats.mean()), DurationText.format(stats.p95()),
                step.replicas() >= 0 ? ", " + step.replicas() + " replicas" : "", verdict.label()));
        return step;
    }

    static boolean breaks(StressPlan stress, PhaseStats stats) {
        return stats.requests() > 0 && (!(stats.successRate() >= stress.minSuccessRate())
                || stats.mean().compareTo(stress.maxMeanLatency()) > 0);
    }

    static String reason(StressPlan stress, PhaseStats stats) {
        if (!(stats.successRate() >= stress.minSuccessRate())) {
            return String.format(Locale.ROOT, "success %.1f%% < %.0f%%", 100 * stats.successRate(),
                    100 * stress.minSuccessRate());
        }
        return "mean latency " + DurationText.format(stats.mean()) + " > " + DurationText.format(stress.maxMeanLatency());
    }

    private PhaseStats finish(PhaseRun phase) {
        PhaseStats stats = phase.stats();
        TargetPace pace = stats.pace();
        if (pace.openModel() && stats.requests() > 0 && !pace.keptUp()) {
            String line = "phase " + stats.name() + ": " + pace.describe();
            slowPhases.add(line);
            progress.accept("WARNING " + line);
        }
        return stats;
    }

    /** Says so when the schedule has ended with a backlog, since the run now waits for it, at most the drain bound. */
    private void announceDrain(PhaseRun last) {
        int inFlight = generator.inFlight();
        if (last != null && inFlight > Math.max(10, last.requestCount() / 20)) {
            progress.accept(last.name() + ": schedule done, " + inFlight + " requests still in flight; waiting at most "
                    + DurationText.format(drain) + " for them (@LoadProfile(drain)), then counting the rest as abandoned");
        }
    }

    private boolean stopped() {
        return generator.stopped();
    }

    /** With abortOnFail: the first breached threshold whose metric exists stops the run. */
    void checkAbort() {
        if (!plan.abortOnFail() || abortReason != null || plan.thresholds().isEmpty()) {
            return;
        }
        MetricsSnapshot snapshot = recorder.snapshot();
        for (Threshold threshold : plan.thresholds()) {
            try {
                ThresholdResult result = threshold.evaluate(snapshot);
                // No values yet is not a breach mid-run: the metric may belong to a later phase.
                if (result.state() == Threshold.State.BREACHED) {
                    abortReason = "threshold breached: " + result.line();
                    progress.accept("aborting: " + abortReason);
                    generator.stop();
                    return;
                }
            } catch (ExtensionConfigurationException notYetRecorded) {
                // A later phase's metric: checked when that phase has run.
            }
        }
    }

    private static double round(double rps) {
        return Math.round(rps * 100) / 100.0;
    }

    /**
     * Says, while an open-model phase runs, that the target is falling behind: answers come slower
     * than the offered rate and the requests in flight pile up. Once per phase; on the sampling thread.
     */
    private final class BacklogWatch implements LoadGenerator.TickListener {
        private final double tickSeconds;
        private PhaseRun warned;
        private PhaseRun last;
        private int lastInFlight;

        BacklogWatch(Duration tick) {
            this.tickSeconds = tick.toNanos() / 1e9;
        }

        @Override
        public void onTick(long nanoTime, PhaseRun phase, Histogram latency, long ok, long failed) {
            int inFlight = generator.inFlight();
            if (phase != null && phase != warned && phase == last && !Double.isNaN(phase.targetRps())) {
                double offered = phase.targetRps();
                double answered = (ok + failed) / tickSeconds;
                boolean growing = inFlight - lastInFlight > TargetPace.DEFAULT_TOLERANCE * offered * tickSeconds;
                if (growing && inFlight > Math.max(10, offered / 4) && answered < offered * (1 - TargetPace.DEFAULT_TOLERANCE)) {
                    warned = phase;
                    progress.accept(String.format(Locale.ROOT, "WARNING phase %s: the target is not keeping up: %.1f req/s"
                                    + " answered in the last %s of the %s req/s offered, %d requests in flight (%d more than"
                                    + " a tick before)", phase.name(), answered, DurationText.format(Duration.ofNanos(
                                    Math.round(tickSeconds * 1e9))), ArrivalRatePacer.fmt(offered), inFlight,
                            inFlight - lastInFlight));
                }
            }
            last = phase;
            lastInFlight = inFlight;
        }
    }

    /** Cuts the soak into windows from the generator's ticks; runs on the sampling thread. */
    private final class SoakWindows implements LoadGenerator.TickListener {
        private final long windowNanos;
        private final Histogram histogram = new Histogram(1, java.util.concurrent.TimeUnit.HOURS.toNanos(1), 3);
        private final List<SoakWindow> windows = new ArrayList<>();
        private long soakStart = -1;
        private long windowStart;
        private long ok;
        private long failed;

        SoakWindows(Duration window) {
            this.windowNanos = window.toNanos();
        }

        @Override
        public synchronized void onTick(long nanoTime, PhaseRun phase, Histogram latency, long ok, long failed) {
            if (phase == null || !phase.name().equals("soak")) {
                return;
            }
            if (soakStart < 0) {
                soakStart = phase.startNanos();
                windowStart = soakStart;
            }
            histogram.add(latency);
            this.ok += ok;
            this.failed += failed;
            if (nanoTime - windowStart >= windowNanos - windowNanos / 20) {
                emit(nanoTime);
                checkAbort();
            }
        }

        synchronized void flush() {
            if (soakStart >= 0 && ok + failed > 0) {
                emit(System.nanoTime());
            }
        }

        private void emit(long now) {
            long count = histogram.getTotalCount();
            SoakWindow w = new SoakWindow(windows.size() + 1, Duration.ofNanos(windowStart - soakStart), ok + failed, ok,
                    Duration.ofNanos(count == 0 ? 0 : Math.round(histogram.getMean())),
                    Duration.ofNanos(count == 0 ? 0 : histogram.getValueAtPercentile(95)),
                    Duration.ofNanos(count == 0 ? 0 : histogram.getValueAtPercentile(99)),
                    Duration.ofNanos(count == 0 ? 0 : histogram.getMaxValue()),
                    resources.lastMemoryBytes(), resources.takeMeanCpu(), resources.lastReplicas());
            windows.add(w);
            progress.accept(String.format(Locale.ROOT, "soak window %d: %d requests, avg %s, p95 %s, p99 %s, success %.1f%%%s",
                    w.index(), w.requests(), DurationText.format(w.mean()), DurationText.format(w.p95()),
                    DurationText.format(w.p99()), 100 * w.successRate(),
                    w.memoryBytes() > 0 ? String.format(Locale.ROOT, ", memory %.1f MB", w.memoryBytes() / 1048576.0) : ""));
            histogram.reset();
            ok = 0;
            failed = 0;
            windowStart = now;
        }
    }
}
