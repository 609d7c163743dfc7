package dev.dyno.cpuboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.MalformedMetricsJsonException;
import dev.dyno.metrics.MetricsJson;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.ResourceSample;
import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.WorkloadRuntime;
import dev.dyno.runtime.WorkloadSpec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Runs one start of a workload under a boost: starts it with the boosted allocation, watches for
 * readiness and the deadline, sets the base allocation back live at whichever comes first, samples
 * its CPU and memory throughout, and waits for it to exit.
 *
 * <p>The watch loop runs on the calling thread. Until readiness it waits on the workload itself,
 * which wakes it the moment the ready line is read (or the answer, or the exit), so a restore at
 * readiness follows at once; it also wakes at the deadline, for each CPU sample, and every
 * {@value #POLL_MILLIS} ms to see whether the workload still runs. A restore at the deadline is late
 * by one wake-up plus the runtime's update; {@link Restoration#lateness()} records how late it was.
 */
final class BoostedStart {

    static final long POLL_MILLIS = 10;
    /** CPU is read this often: ten CFS periods, enough for a reading to mean something. */
    static final Duration SAMPLE_EVERY = Duration.ofMillis(100);
    /** After a restore, CPU is judged from this long later: the quota applies at the next period. */
    static final Duration SETTLE = Duration.ofMillis(200);
    /** The least time after a restore over which CPU use proves anything. */
    static final Duration PROOF_WINDOW = Duration.ofMillis(1_000);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one start needs to know. */
    record Plan(String workload, WorkloadSpec spec, BoostConfiguration configuration, int round, int instance,
            double baseCpus, double boostedCpus, Readiness readiness, Duration timeout, double tolerance,
            Optional<Duration> runAfterReady) {
    }

    /** A start that failed: its exit code or its timeout, with its log tail. */
    static final class StartFailedException extends RuntimeException {
        private final transient BoostedStartResult partial;

        StartFailedException(String message, BoostedStartResult partial) {
            super(message);
            this.partial = partial;
        }

        BoostedStartResult partial() {
            return partial;
        }
    }

    private BoostedStart() {
    }

    static BoostedStartResult run(WorkloadRuntime runtime, Plan plan) {
        WorkloadSpec spec = plan.spec().withCpuLimit(plan.boostedCpus()).withReadiness(Readiness.started());
        boolean boosted = !plan.configuration().isBaseline();
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        long deadline = t0 + plan.configuration().duration().toNanos();
        long timeoutAt = t0 + plan.timeout().toNanos();
        RunningWorkload workload = runtime.start(spec);
        try {
            List<CpuSample> samples = new ArrayList<>();
            workload.sample(); // opens the first window
            int visible = visibleCpus(workload);
            long nextSample = System.nanoTime() + SAMPLE_EVERY.toNanos();
            long readyAt = -1;
            long restoredAt = -1;
            Instant restoredInstant = null;
            Restoration.Trigger trigger = boosted ? null : Restoration.Trigger.NOT_BOOSTED;
            long lateness = -1;
            double limit = plan.boostedCpus();
            boolean stoppedAfterReady = false;
            while (true) {
                long now = System.nanoTime();
                if (readyAt < 0 && workload.satisfies(plan.readiness())) {
                    readyAt = now;
                }
                if (boosted && trigger == null) {
                    boolean readyFirst = plan.configuration().untilReady() && readyAt >= 0;
                    if (readyFirst || now >= deadline) {
                        if (!workload.isRunning()) {
                            break;
                        }
                        workload.setCpuLimit(plan.baseCpus());
                        restoredAt = System.nanoTime();
                        restoredInstant = Instant.now();
                        limit = plan.baseCpus();
                        trigger = readyFirst ? Restoration.Trigger.READINESS : Restoration.Trigger.DEADLINE;
                        lateness = readyFirst ? -1 : restoredAt - deadline;
                        System.out.printf(Locale.ROOT, "[dyno] cpu boost %s %s: restored to %.2f CPUs at %s (%s)%n",
                                plan.workload(), plan.configuration().id(), plan.baseCpus(),
                                DurationText.format(Duration.ofNanos(restoredAt - t0)),
                                readyFirst ? "ready" : "deadline, " + DurationText.format(Duration.ofNanos(lateness)) + " late");
                    }
                }
                if (now >= nextSample) {
                    sampleInto(samples, workload, startedAt, limit);
                    nextSample = now + SAMPLE_EVERY.toNanos();
                }
                if (!workload.isRunning()) {
                    break;
                }
                if (readyAt >= 0 && plan.runAfterReady().isPresent()
                        && now - readyAt >= plan.runAfterReady().get().toNanos()) {
                    stoppedAfterReady = true;
                    break;
                }
                if (now >= timeoutAt) {
                    BoostedStartResult partial = trial(plan, workload, startedAt, Duration.ofNanos(now - t0), readyAt,
                            t0, samples, trigger, restoredAt, restoredInstant, lateness, visible);
                    workload.kill();
                    throw new StartFailedException(plan.workload() + " (" + plan.configuration().id() + ", round "
                            + (plan.round() + 1) + ") was still running after @CpuBoost(timeout) = "
                            + DurationText.format(plan.timeout()) + "; it was killed." + tail(workload), partial);
                }
                long wake = Math.min(nextSample, now + POLL_MILLIS * 1_000_000);
                if (boosted && trigger == null) {
                    wake = Math.min(wake, deadline);
                }
                if (readyAt < 0) {
                    workload.awaitSatisfies(plan.readiness(), Duration.ofNanos(Math.max(0, wake - System.nanoTime())));
                } else {
                    sleepUntil(wake);
                }
            }
            long endedAt = stoppedAfterReady ? readyAt : System.nanoTime();
            if (stoppedAfterReady) {
                sampleInto(samples, workload, startedAt, limit);
                workload.stop(); // a server: its start-up ended at readiness, its exit code is ours
            }
            int exit = stoppedAfterReady ? 0 : workload.awaitExit(Duration.ofSeconds(30));
            if (trigger == null) {
                trigger = Restoration.Trigger.ENDED_WHILE_BOOSTED;
            }
            BoostedStartResult trial = trial(plan, workload, startedAt, Duration.ofNanos(endedAt - t0), readyAt, t0,
                    samples, trigger, restoredAt, restoredInstant, lateness, visible);
            if (workload.spec().jvmRecording()) {
                workload.stop(); // exited already; stopping it collects the recording its JVM wrote as it exited
                trial = trial.withJvmRecording(workload.jvmRecording());
            }
            if (exit != 0) {
                throw new StartFailedException(plan.workload() + " (" + plan.configuration().id() + ", round "
                        + (plan.round() + 1) + ") exited with code " + exit + "." + tail(workload), trial);
            }
            return trial;
        } finally {
            workload.close();
        }
    }

    /**
     * Adds the workload's newest reading, placed on the timeline at the time it was read (by the
     * engine's clock for a container), not when it was handed over: a remote engine sends one a
     * second, and the same reading handed over twice is added once.
     */
    private static void sampleInto(List<CpuSample> samples, RunningWorkload workload, Instant startedAt, double limit) {
        try {
            ResourceSample s = workload.sample();
            Duration offset = Duration.between(startedAt, s.timestamp());
            offset = offset.isNegative() ? Duration.ZERO : offset;
            if (!samples.isEmpty() && offset.compareTo(samples.get(samples.size() - 1).offset()) <= 0) {
                return; // no reading since the last one
            }
            samples.add(new CpuSample(offset, s.cpuCores(), s.cpuTime(), limit, s.memoryBytes(), s.throttledPeriods()));
        } catch (RuntimeException e) {
            // it exited between the check and the read: the loop notices next
        }
    }

    private static BoostedStartResult trial(Plan plan, RunningWorkload workload, Instant startedAt, Duration wall,
            long readyAt, long t0, List<CpuSample> samples, Restoration.Trigger trigger, long restoredAt, Instant restoredInstant,
            long lateness, int visible) {
        Optional<Duration> restoredAfter = restoredAt < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(restoredAt - t0));
        Restoration restoration = restoration(trigger, restoredAfter,
                lateness < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(lateness)), samples, plan.baseCpus(),
                plan.tolerance());
        Optional<MetricsJson> metrics;
        try {
            metrics = workload.metrics();
        } catch (MalformedMetricsJsonException e) {
            metrics = Optional.empty();
        }
        Map<String, Duration> timings = new LinkedHashMap<>();
        OptionalInt cpuAllocated = OptionalInt.empty();
        OptionalDouble slowdown = OptionalDouble.empty();
        if (metrics.isPresent()) {
            timings = timings(metrics.get());
            Optional<Double> allocated = metrics.get().number("cpu_allocated");
            if (allocated.isPresent()) {
                cpuAllocated = OptionalInt.of((int) Math.round(allocated.get()));
            }
            if (restoredInstant != null && metrics.get().fields().get("iterations") instanceof String iterations) {
                slowdown = slowdownAfter(iterations, restoredInstant.plus(SETTLE));
            }
        }
        double peak = 0;
        long peakMemory = 0;
        for (CpuSample s : samples) {
            boolean inBoost = restoredAfter.isEmpty() || s.offset().compareTo(restoredAfter.get()) <= 0;
            if (inBoost) {
                peak = Math.max(peak, s.cores());
            }
            peakMemory = Math.max(peakMemory, s.memoryBytes());
        }
        return new BoostedStartResult(plan.workload(), plan.configuration(), plan.round(), plan.instance(),
                workloadRuntimeName(workload), workload.id(), workload.where(), startedAt, wall,
                readyAt < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(readyAt - t0)), plan.baseCpus(),
                plan.boostedCpus(), restoration, peak, peakMemory, cpuAllocated, visible, timings, slowdown, samples,
                workload.stdoutFile(), workload.stderrFile(), Optional.empty());
    }

    private static int visibleCpus(RunningWorkload workload) {
        try {
            return workload.visibleCpus();
        } catch (RuntimeException e) {
            return -1; // exited already
        }
    }

    private static String workloadRuntimeName(RunningWorkload workload) {
        return workload.cpuLimitMechanism() == dev.dyno.runtime.CpuLimitMechanism.DOCKER_QUOTA ? "docker" : "process";
    }

    /** The workload's own timings: every number whose name says it is a time ({@code *_time}, {@code *_ms}). */
    static Map<String, Duration> timings(MetricsJson metrics) {
        Map<String, Duration> timings = new LinkedHashMap<>();
        metrics.fields().forEach((name, value) -> {
            if (!(value instanceof Number number) || name.equals("container_start_time")) {
                return; // container_start_time is a timestamp in the guide's scripts, not a duration
            }
            double seconds = switch (MetricsJson.unitOf(name)) {
                case SECONDS -> number.doubleValue();
                case MILLISECONDS -> number.doubleValue() / 1_000;
                case NONE -> Double.NaN;
            };
            if (Double.isFinite(seconds) && seconds >= 0) {
                timings.put(name, Duration.ofNanos(Math.round(seconds * 1e9)));
            }
        });
        return timings;
    }

    /**
     * Judges a restore by the CPU used from {@link #SETTLE} after it to the last reading: the
     * cumulative CPU time over the wall time between two readings, so short spikes average out.
     */
    static Restoration restoration(Restoration.Trigger trigger, Optional<Duration> after, Optional<Duration> lateness,
            List<CpuSample> samples, double baseCpus, double tolerance) {
        if (trigger == Restoration.Trigger.NOT_BOOSTED) {
            return new Restoration(trigger, Optional.empty(), Optional.empty(), OptionalDouble.empty(), Optional.empty(),
                    "baseline: no boost to restore");
        }
        if (trigger == Restoration.Trigger.ENDED_WHILE_BOOSTED || after.isEmpty()) {
            return new Restoration(Restoration.Trigger.ENDED_WHILE_BOOSTED, Optional.empty(), Optional.empty(),
                    OptionalDouble.empty(), Optional.empty(), "finished while boosted: nothing to restore");
        }
        Duration from = after.get().plus(SETTLE);
        CpuSample first = null;
        CpuSample last = null;
        for (CpuSample s : samples) {
            if (s.offset().compareTo(from) >= 0) {
                if (first == null) {
                    first = s;
                }
                last = s;
            }
        }
        if (first == null || last.offset().minus(first.offset()).compareTo(PROOF_WINDOW) < 0) {
            Duration ran = last == null ? Duration.ZERO : last.offset().minus(after.get());
            return new Restoration(trigger, after, lateness, OptionalDouble.empty(), Optional.empty(), String.format(
                    Locale.ROOT, "restored at %s, but the workload ran only %s more: too short to prove by CPU use "
                            + "(needs %s after a %s settle)", DurationText.format(after.get()), DurationText.format(ran),
                    DurationText.format(PROOF_WINDOW), DurationText.format(SETTLE)));
        }
        double cores = (last.cpuTime().toNanos() - first.cpuTime().toNanos())
                / (double) last.offset().minus(first.offset()).toNanos();
        long throttled = last.throttledPeriods() - first.throttledPeriods();
        String when = String.format(Locale.ROOT, "restored at %s%s", DurationText.format(after.get()),
                lateness.map(l -> " (" + DurationText.format(l) + " after the deadline)").orElse(" (ready)"));
        if (cores > baseCpus * (1 + tolerance)) {
            return new Restoration(trigger, after, lateness, OptionalDouble.of(cores), Optional.of(false), String.format(
                    Locale.ROOT, "%s, but then used %.2f CPUs, ABOVE the base %.2f + %.0f %%", when, cores, baseCpus,
                    tolerance * 100));
        }
        // Using less than the base proves nothing by itself: a workload that does not ask for more
        // would look the same under the boosted limit. The limit must have held it back (throttled
        // periods), or it must have used about all of the base, to show which limit was in force.
        if (throttled > 0 || cores >= baseCpus * 0.9) {
            return new Restoration(trigger, after, lateness, OptionalDouble.of(cores), Optional.of(true), String.format(
                    Locale.ROOT, "%s; then used %.2f CPUs, within the base %.2f + %.0f %%, held back in %d periods",
                    when, cores, baseCpus, tolerance * 100, throttled));
        }
        return new Restoration(trigger, after, lateness, OptionalDouble.of(cores), Optional.empty(), String.format(
                Locale.ROOT, "%s; then used only %.2f CPUs, below the base %.2f and never held back: the workload did "
                        + "not press against the limit, so its CPU use cannot show which limit was in force", when, cores,
                baseCpus));
    }

    /**
     * The guide's restoration check: the median iteration after the restore over the median
     * before it. The guide averages over 30-second windows, long enough that a few iterations
     * stalled by a neighbour do not count; over the few seconds of a CI-sized run a mean would let
     * one such iteration decide, a median does not. {@code iterations} is a JSON array of
     * {@code [start_epoch_seconds, duration_seconds]}.
     */
    static OptionalDouble slowdownAfter(String iterations, Instant restored) {
        try {
            JsonNode array = JSON.readTree(iterations);
            double restoredAt = restored.getEpochSecond() + restored.getNano() / 1e9;
            List<Double> before = new ArrayList<>();
            List<Double> after = new ArrayList<>();
            for (JsonNode pair : array) {
                double start = pair.get(0).asDouble();
                double duration = pair.get(1).asDouble();
                if (start + duration <= restoredAt) {
                    before.add(duration);
                } else if (start >= restoredAt) {
                    after.add(duration);
                }
            }
            if (before.isEmpty() || after.isEmpty() || median(before) <= 0) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(median(after) / median(before));
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String tail(RunningWorkload workload) {
        String err = workload.stderr().strip();
        String out = workload.stdout().strip();
        String text = !err.isEmpty() ? err : out;
        String[] lines = text.split("\\R");
        int from = Math.max(0, lines.length - 15);
        return text.isEmpty() ? " It printed nothing." : " Last lines:\n  " + String.join("\n  ",
                java.util.Arrays.copyOfRange(lines, from, lines.length)) + "\nLogs: " + workload.stdoutFile() + ", "
                + workload.stderrFile();
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while watching a boosted start", e);
            }
        }
    }
}
