package dev.dyno.cpuboost;

import dev.dyno.cpuboost.CpuBoostExtension.Experiment;
import dev.dyno.cpuboost.CpuBoostExtension.Subject;
import dev.dyno.host.CpuTimes;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.DockerRuntime;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.view.Attachment;
import dev.dyno.view.Step;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.opentest4j.AssertionFailedError;

/**
 * The rounds of a {@link CpuBoost} experiment: in each, every workload in every configuration,
 * the configurations' order rotating from round to round so that neither drift nor order favours
 * one of them. Each start is a step of the report, with its real start and duration.
 *
 * <p>Interrupted (the test's timeout), it stops the starts under way, which stop their workloads,
 * and returns the starts finished so far, with the interrupt still set.
 */
final class InterleavedRounds {

    private final Experiment experiment;
    private final WorkloadRuntime runtime;
    private final ExecutorService starters;
    private final Recorder recorder;
    private int total;
    private int done;
    /** Whether starts go to several Docker engines ({@code dyno.docker.hosts}), so each step names its own. */
    private final boolean severalEngines;

    InterleavedRounds(Experiment experiment, WorkloadRuntime runtime, ExecutorService starters, Recorder recorder) {
        this.experiment = experiment;
        this.runtime = runtime;
        this.starters = starters;
        this.recorder = recorder;
        this.total = experiment.rounds() * startsPerRound();
        this.severalEngines = runtime instanceof DockerRuntime docker && docker.engines().size() > 1;
    }

    CpuBoostRun run() {
        List<BoostedStartResult> trials = new ArrayList<>();
        Optional<HostMonitor> monitor = HostMonitor.start(Duration.ofMillis(500));
        try {
            for (int round = 0; round < experiment.maxRounds(); round++) {
                if (round >= experiment.rounds()) {
                    Optional<String> wide = widerThanAsked(provisional(trials, List.of()), round);
                    if (wide.isEmpty()) {
                        break;
                    }
                    total += startsPerRound();
                    System.out.printf(Locale.ROOT, "[dyno] cpu boost: %s; round %d of at most %d%n", wide.get(), round + 1,
                            experiment.maxRounds());
                }
                if (!round(round, trials)) {
                    break;
                }
            }
        } finally {
            monitor.ifPresent(HostMonitor::close);
        }
        CpuBoostRun run = provisional(trials, monitor.map(HostMonitor::samples).orElse(List.of()));
        if (experiment.maxRounds() > experiment.rounds()) {
            int rounds = trials.stream().mapToInt(BoostedStartResult::round).max().orElse(-1) + 1;
            recorder.attribute("cpuboost.rounds", String.format(Locale.ROOT, "%d (%d asked, up to %d while an "
                    + "improvement's interval was wider than ±%s)", rounds, experiment.rounds(), experiment.maxRounds(),
                    percent(experiment.precision())));
        }
        return run;
    }

    /** One round: every workload in every configuration; false when the test's timeout interrupted it. */
    private boolean round(int round, List<BoostedStartResult> trials) {
        for (Subject subject : experiment.subjects()) {
            List<BoostConfiguration> order = new ArrayList<>(experiment.configurations());
            Collections.rotate(order, -(round % order.size()));
            for (BoostConfiguration configuration : order) {
                trials.addAll(startGroup(subject, configuration, round));
                if (Thread.currentThread().isInterrupted() || !cooldown()) {
                    return false;
                }
            }
        }
        return true;
    }

    private CpuBoostRun provisional(List<BoostedStartResult> trials, List<HostSample> host) {
        return new CpuBoostRun(experiment.subjects().stream().map(Subject::name).toList(), experiment.configurations(),
                trials, host, runtime.name(), experiment.baseCpus(), experiment.machineCpus(), experiment.concurrent());
    }

    /**
     * The widest start-up improvement interval after {@code rounds} rounds, described, when it is
     * wider than {@link CpuBoost#precision()}; empty when every one is precise enough.
     */
    private Optional<String> widerThanAsked(CpuBoostRun run, int rounds) {
        Optional<BoostImprovement> widest = run.improvements().stream()
                .max(Comparator.comparingDouble(i -> i.improvement().halfWidth()));
        return widest.filter(i -> !(i.improvement().halfWidth() <= experiment.precision()))
                .map(i -> String.format(Locale.ROOT, "%s %s improves %s ± %s after %d rounds, wider than the ±%s asked",
                        i.workload(), i.configuration(), percent(i.improvement().point()),
                        percent(i.improvement().halfWidth()), rounds, percent(experiment.precision())));
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    private int startsPerRound() {
        return experiment.subjects().size() * experiment.configurations().size();
    }

    /**
     * One start: {@code concurrent} workloads released at the same instant, each watched on its own
     * thread. Interrupted, it returns those that finished.
     */
    private List<BoostedStartResult> startGroup(Subject subject, BoostConfiguration configuration, int round) {
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<BoostedStartResult>> futures = new ArrayList<>();
        for (int instance = 0; instance < experiment.concurrent(); instance++) {
            BoostedStart.Plan plan = new BoostedStart.Plan(subject.name(), experiment.concurrent() > 1
                    ? subject.spec().withName(shortName(subject.spec().name(), instance)) : subject.spec(),
                    configuration, round, instance, experiment.baseCpus(), experiment.boostedCpus(configuration),
                    subject.readiness(), experiment.timeout(), experiment.tolerance(), experiment.runAfterReady());
            futures.add(starters.submit(() -> {
                gate.await();
                return BoostedStart.run(runtime, plan);
            }));
        }
        Optional<CpuTimes> machineBefore = CpuTimes.read();
        long startedNanos = System.nanoTime();
        gate.countDown();
        String name = stepName(subject.name(), configuration, round);
        List<BoostedStartResult> group = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Future<BoostedStartResult> future : futures) {
            try {
                group.add(future.get());
            } catch (InterruptedException e) {
                // the test's timeout: interrupted, the starts still under way stop their workloads
                futures.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                break;
            } catch (CancellationException e) {
                failures.add("a start of " + subject.name() + " was cancelled");
            } catch (ExecutionException e) {
                failures.add(failed(name, subject, e.getCause()));
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionFailedError("@CpuBoost: a start failed, so the experiment stopped (every workload it "
                    + "started has been stopped):\n" + String.join("\n", failures));
        }
        if (!group.isEmpty()) {
            done++;
            OptionalDouble elsewhere = cpuElsewhere(machineBefore, System.nanoTime() - startedNanos, group);
            progress(name, subject, configuration, round, group, elsewhere);
        }
        return group;
    }

    /** What failed, for the test's message; a failed start is a failed step, with its logs attached. */
    private String failed(String name, Subject subject, Throwable cause) {
        if (!(cause instanceof BoostedStart.StartFailedException failed)) {
            return String.valueOf(cause);
        }
        BoostedStartResult partial = failed.partial();
        recorder.step(new Step(name + instanceText(partial), partial.startedAt(), partial.wallTime(), false,
                Map.of("error", failed.getMessage().lines().findFirst().orElse(""))));
        attachLog("stdout of the failed start of " + subject.name(), partial.stdout());
        attachLog("stderr of the failed start of " + subject.name(), partial.stderr());
        return failed.getMessage();
    }

    private void attachLog(String name, Path file) {
        if (file != null) {
            recorder.attach(Attachment.log(name, file));
        }
    }

    /**
     * The CPU the rest of the machine used while a start ran, in cores: the machine's busy time less
     * the workloads' own. A boosted start beside a busy neighbour may not get its boost, and this is
     * how the progress line and the report's step say so.
     */
    private static OptionalDouble cpuElsewhere(Optional<CpuTimes> before, long elapsedNanos, List<BoostedStartResult> group) {
        Optional<CpuTimes> after = CpuTimes.read();
        // /proc/stat counts in 10 ms ticks per CPU: under a second, the reading is mostly rounding
        if (before.isEmpty() || after.isEmpty() || elapsedNanos < 1_000_000_000L) {
            return OptionalDouble.empty();
        }
        long own = 0;
        for (BoostedStartResult t : group) {
            List<CpuSample> samples = t.samples();
            if (!samples.isEmpty()) {
                own += samples.get(samples.size() - 1).cpuTime().toNanos();
            }
        }
        long busy = after.get().busyNanosSince(before.get());
        return OptionalDouble.of(Math.max(0, busy - own) / (double) elapsedNanos);
    }

    private void progress(String name, Subject subject, BoostConfiguration configuration, int round,
            List<BoostedStartResult> group, OptionalDouble elsewhere) {
        String beside = elsewhere.isPresent() ? String.format(Locale.ROOT, ", %.2f CPUs used elsewhere",
                elsewhere.getAsDouble()) : "";
        BoostedStartResult first = group.get(0);
        String totals = group.size() == 1 ? DurationText.format(first.total())
                : group.stream().map(t -> DurationText.format(t.total())).toList().toString();
        System.out.printf(Locale.ROOT, "[dyno] cpu boost %d/%d %s %-12s round %d/%d: start-up %s (wall %s) at %.2f→%.2f "
                + "CPUs, peak %.2f CPUs%s%n", done, total, subject.name(), configuration.id(), round + 1,
                Math.max(round + 1, experiment.rounds()), totals, DurationText.format(first.wallTime()), first.boostedCpus(),
                first.baseCpus(), first.peakCpu(), beside);
        for (BoostedStartResult t : group) {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("start-up", DurationText.format(t.total()));
            parameters.put("wall", DurationText.format(t.wallTime()));
            parameters.put("CPUs", String.format(Locale.ROOT, "%.2f → %.2f", t.boostedCpus(), t.baseCpus()));
            parameters.put("peak CPU", String.format(Locale.ROOT, "%.2f", t.peakCpu()));
            parameters.put("boost", t.restoration().explanation());
            if (severalEngines) {
                parameters.put("where", t.where());
            }
            elsewhere.ifPresent(cores -> parameters.put("CPU used elsewhere", String.format(Locale.ROOT, "%.2f", cores)));
            t.timings().forEach((timing, value) -> parameters.put(timing, DurationText.format(value)));
            // the step spans the start as BoostedStart measured it: from the request to exit or readiness
            recorder.step(new Step(name + instanceText(t), t.startedAt(), t.wallTime(),
                    t.restoration().proven().orElse(true), parameters));
        }
    }

    /** The name of the next start's step: {@code start 3/36: java-load-test boost-2x, round 1}. */
    private String stepName(String workload, BoostConfiguration configuration, int round) {
        return String.format(Locale.ROOT, "start %d/%d: %s %s, round %d", done + 1, total, workload,
                configuration.id(), round + 1);
    }

    private String instanceText(BoostedStartResult t) {
        return experiment.concurrent() > 1 ? ", instance " + (t.instance() + 1) : "";
    }

    private static String shortName(String name, int instance) {
        String suffix = "-" + (instance + 1);
        return (name.length() + suffix.length() > 40 ? name.substring(0, 40 - suffix.length()) : name) + suffix;
    }

    /** The pause after a start; false when the test's timeout interrupted it. */
    private boolean cooldown() {
        if (experiment.cooldown().isZero()) {
            return true;
        }
        try {
            Thread.sleep(experiment.cooldown().toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
