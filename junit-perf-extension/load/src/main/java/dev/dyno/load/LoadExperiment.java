package dev.dyno.load;

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
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Runs one plan's profile with a generator: the phases, the stress search, the soak windows. When
 * the test's timeout interrupts the thread that runs it, it stops the load and returns what was
 * measured so far.
 */
final class LoadExperiment {

    private final LoadPlan plan;
    private final LoadGenerator generator;
    private final Recorder recorder;
    private final ResourceTracker resources;
    private final Consumer<String> progress;
    private final Duration drain;
    private volatile String abortReason;
    private final List<String> slowPhases = new ArrayList<>();
    private final LoadTimeline timeline = new LoadTimeline();
    /** The thread running the profile, which the test's timeout interrupts; null until it runs. */
    private volatile Thread runner;

    LoadExperiment(LoadPlan plan, LoadGenerator generator, Recorder recorder, ResourceTracker resources,
            Consumer<String> progress) {
        this.plan = plan;
        this.generator = generator;
        this.recorder = recorder;
        this.resources = resources;
        this.progress = progress;
        this.drain = generator.settings().drainTimeout();
        generator.addTickListener(new BacklogWatch(generator.settings().tick()));
        generator.addTickListener((now, phase, successLatency, ok, failed) -> timeline.tick(now,
                generator.phases().stream().mapToLong(p -> p.requestCount()).sum(), successLatency, ok, failed));
        // The pacer parks between requests, which an interrupt does not end: the sampling thread stops it.
        generator.addTickListener((now, phase, successLatency, ok, failed) -> {
            Thread thread = runner;
            if (thread != null && thread.isInterrupted()) {
                generator.stop();
            }
        });
    }

    LoadRun run(String targetDescription) {
        runner = Thread.currentThread();
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
            drainAll();
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
                if (interrupted()) {
                    break; // a step cut short is measured, but says nothing about where the target breaks
                }
                if (!step.held()) {
                    firstBad = step;
                    break;
                }
                lastGood = step.rps();
            }
            if (interrupted()) {
                progress.accept("stress: interrupted after " + steps.size() + " steps, before a breaking point was"
                        + " confirmed");
            } else if (firstBad != null) {
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
                    if (interrupted()) {
                        break;
                    }
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
            drainAll();
            accumulator.flush();
            windows.addAll(accumulator.windows);
            phases.add(finish(phase));
            progress.accept("soak " + phases.get(0).summary());
            drift = Drift.of(windows, soak.maxLatencyDrift(), soak.maxMemoryDrift());
            drift.report(recorder, progress);
            checkAbort();
        } else if (profile instanceof RampPlan ramp) {
            for (Stage stage : ramp.stages()) {
                if (stopped()) {
                    break;
                }
                PhaseRun phase = generator.open(stage.name(),
                        ArrivalRatePacer.ramp(stage.fromRps(), stage.toRps(), stage.duration()));
                announceDrain(phase);
                drain(phase);
                PhaseStats stats = finish(phase);
                phases.add(stats);
                progress.accept("ramp " + stats.summary());
                checkAbort();
            }
        }
        drainAll();
        if (interrupted()) {
            progress.accept("interrupted by the test's timeout: reporting the " + phases.size() + " phases measured so far");
            recorder.attribute("load.interrupted", "by the test's timeout, after " + phases.size() + " phases");
        }
        GeneratorHealth health = generator.health();
        if (health.behindSchedule()) {
            progress.accept("WARNING " + health.describe());
            recorder.attribute("load.generator", health.describe());
        }
        if (!slowPhases.isEmpty()) {
            recorder.attribute("load.target.pace", String.join("\n", slowPhases));
        }
        return new LoadRun(plan.profile().kind(), targetDescription, phases, steps, breakingPoint, windows, drift,
                health, resources.events(), abortReason, timeline);
    }

    private StressStep step(StressPlan stress, double rps, boolean narrowing) {
        resources.takeMaxReplicas();
        PhaseRun phase = generator.open("stress-" + ArrivalRatePacer.fmt(rps) + "rps",
                ArrivalRatePacer.constant(rps, stress.step()));
        // Let the service empty its queue, so each step starts from the same state.
        announceDrain(phase);
        drain(phase);
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
        timeline.phaseStarted(phase.name(), phase.startNanos());
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
        return generator.stopped() || interrupted();
    }

    /** Whether the test's timeout has interrupted the run; the flag stays set for JUnit to report the timeout. */
    private static boolean interrupted() {
        return Thread.currentThread().isInterrupted();
    }

    /**
     * Waits for the phase's answers, at most the drain bound, and abandons the rest. Gives up at
     * once when interrupted, where {@link PhaseRun#drain} would wait out the bound.
     */
    private void drain(PhaseRun phase) {
        long deadline = System.nanoTime() + drain.toNanos();
        while (phase.inFlight() > 0 && System.nanoTime() < deadline && !interrupted()) {
            LockSupport.parkNanos(2_000_000);
        }
        phase.drain(Duration.ZERO);
    }

    /** {@link #drain(PhaseRun)} for every phase's requests. */
    private void drainAll() {
        long deadline = System.nanoTime() + drain.toNanos();
        while (generator.inFlight() > 0 && System.nanoTime() < deadline && !interrupted()) {
            LockSupport.parkNanos(2_000_000);
        }
        generator.drain(Duration.ZERO);
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
            progress.accept(w.summary());
            histogram.reset();
            ok = 0;
            failed = 0;
            windowStart = now;
        }
    }
}
