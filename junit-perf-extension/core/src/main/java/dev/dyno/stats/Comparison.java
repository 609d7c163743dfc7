package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.Recorder;
import dev.dyno.view.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.apiguardian.api.API;

/**
 * A same-run A/B comparison: runs a baseline and a variant interleaved, repeated, and answers how
 * much the variant changed a statistic, with a confidence interval, a significance test and a
 * verdict. Each configuration method returns a new, immutable comparison.
 *
 * <pre>{@code
 * ComparisonResult result = Comparison
 *         .timing("concat", () -> joinWithConcat(words), "StringBuilder", () -> joinWithBuilder(words))
 *         .repetitions(20)
 *         .untilRelativeHalfWidth(0.05).within(Duration.ofSeconds(20))
 *         .recordInto(recorder, "join")
 *         .run();
 * assertThat(result).variantIsFasterBy(30);       // the interval's conservative end clears 30 %
 * System.out.println(result.summary());           // StringBuilder 96.1 % faster than concat (median …)
 * }</pre>
 *
 * <h2>How it measures</h2>
 * After {@link #warmup(int)} discarded rounds, each round runs both sides once in the chosen
 * {@link Order}; {@link #repetitions(int)} rounds give that many samples per side. With
 * {@link #untilRelativeHalfWidth(double)}, more rounds follow until the interval of the relative
 * change is narrow enough, the {@link #within(Duration) budget} is spent, or
 * {@link #maxRepetitions(int)} is reached.
 *
 * <h2>How it judges</h2>
 * For the median (default) and the mean, each round's variant is divided by its baseline, which
 * cancels drifts and bursts that hit both; the interval of the relative change is a t interval of
 * the 10 %-trimmed mean (median) or mean of those log ratios, and the p-value comes from the same t
 * statistic. Percentiles are bootstrapped ({@link #resamples(int)} seeded resamples). Either way
 * the verdict follows from the printed interval: significant exactly when it excludes zero (see
 * {@link Verdict}). Rounds in which competing work kept a {@link #timing timed} trial off the CPU
 * are redone ({@link #redoDisturbed(int)}); a run too disturbed to settle the question is
 * {@link Verdict#INCONCLUSIVE}.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Comparison {

    /** Every setting of a comparison; package-private so the statistics can read them. */
    record Settings(String baselineName, Trial baseline, String variantName, Trial variant, int repetitions,
            int warmup, Order order, long seed, Statistic statistic, double confidence, double noiseThreshold,
            Direction direction, int resamples, double targetHalfWidth, Duration budget, int maxRepetitions,
            Recorder recorder, String prefix, String primaryMetric, LongSupplier clock, int redoDisturbed) {
    }

    /** Parameter of each trial's {@link Step}: the {@link #recordInto(Recorder, String) prefix} of its comparison. */
    public static final String STEP_COMPARISON = "comparison";
    /** Parameter of each trial's {@link Step}: {@value #BASELINE} or {@value #VARIANT}. */
    public static final String STEP_SIDE = "side";
    /** Parameter of each trial's {@link Step}: the measured round from 1, or {@code warm-up 1} and on. */
    public static final String STEP_ROUND = "round";
    /** The {@value #STEP_SIDE} of a baseline trial's step. */
    public static final String BASELINE = "baseline";
    /** The {@value #STEP_SIDE} of a variant trial's step. */
    public static final String VARIANT = "variant";

    private final Settings s;

    private Comparison(Settings settings) {
        this.s = settings;
    }

    /**
     * A comparison of two trials that each return a {@link Measurement}.
     *
     * <pre>{@code
     * Comparison.of("default", () -> Measurement.of(makespan(DEFAULT)),
     *               "longest-first", () -> Measurement.of(makespan(LONGEST_FIRST)));
     * }</pre>
     */
    public static Comparison of(String baselineName, Trial baseline, String variantName, Trial variant) {
        requireName("baselineName", baselineName);
        requireName("variantName", variantName);
        if (baselineName.equals(variantName)) {
            throw new IllegalArgumentException("baselineName and variantName are both \"" + baselineName
                    + "\"; allowed: two different names");
        }
        return new Comparison(new Settings(baselineName, Objects.requireNonNull(baseline, "baseline"), variantName,
                Objects.requireNonNull(variant, "variant"), 10, 1, Order.ALTERNATING, 42, Statistic.MEDIAN, 0.95, 0.01,
                Direction.LOWER_IS_BETTER, 2000, Double.NaN, Duration.ofSeconds(30), 100, null, null, null,
                System::nanoTime, -1));
    }

    /** A comparison of the wall-clock time of two actions; Dyno times each run. */
    public static Comparison timing(String baselineName, Trial.Action baseline, String variantName,
            Trial.Action variant) {
        return of(baselineName, Trial.timing(baseline), variantName, Trial.timing(variant));
    }

    /**
     * A comparison without trials, for samples measured elsewhere: configure it, then
     * {@link #analyze(List, List)}.
     */
    public static Comparison between(String baselineName, String variantName) {
        Trial none = () -> {
            throw new IllegalStateException("Comparison.between(...) has no trials to run; call analyze(...)");
        };
        return of(baselineName, none, variantName, none);
    }

    /** Rounds to run, each one sample per side; at least 2. Default 10. */
    public Comparison repetitions(int repetitions) {
        if (repetitions < 2) {
            throw new IllegalArgumentException("repetitions is " + repetitions
                    + "; allowed: 2 or more (an interval needs at least two samples per side; 10 to 30 is typical)");
        }
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, repetitions, s.warmup, s.order,
                s.seed, s.statistic, s.confidence, s.noiseThreshold, s.direction, s.resamples, s.targetHalfWidth,
                s.budget, Math.max(s.maxRepetitions, repetitions), s.recorder, s.prefix, s.primaryMetric, s.clock, s.redoDisturbed));
    }

    /** Rounds run first and thrown away, to warm caches and the JIT; 0 or more. Default 1. */
    public Comparison warmup(int rounds) {
        if (rounds < 0) {
            throw new IllegalArgumentException("warmup is " + rounds + "; allowed: 0 or more rounds");
        }
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, rounds, s.order,
                s.seed, s.statistic, s.confidence, s.noiseThreshold, s.direction, s.resamples, s.targetHalfWidth,
                s.budget, s.maxRepetitions, s.recorder, s.prefix, s.primaryMetric, s.clock, s.redoDisturbed));
    }

    /** How the sides take turns; default {@link Order#ALTERNATING}. */
    public Comparison order(Order order) {
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup,
                Objects.requireNonNull(order, "order"), s.seed, s.statistic, s.confidence, s.noiseThreshold,
                s.direction, s.resamples, s.targetHalfWidth, s.budget, s.maxRepetitions, s.recorder, s.prefix,
                s.primaryMetric, s.clock, s.redoDisturbed));
    }

    /** The seed of the randomized order and of the bootstrap; default 42, so runs are reproducible. */
    public Comparison seed(long seed) {
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup, s.order,
                seed, s.statistic, s.confidence, s.noiseThreshold, s.direction, s.resamples, s.targetHalfWidth,
                s.budget, s.maxRepetitions, s.recorder, s.prefix, s.primaryMetric, s.clock, s.redoDisturbed));
    }

    /** The statistic compared; default {@link Statistic#MEDIAN}. */
    public Comparison statistic(Statistic statistic) {
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup, s.order,
                s.seed, Objects.requireNonNull(statistic, "statistic"), s.confidence, s.noiseThreshold, s.direction,
                s.resamples, s.targetHalfWidth, s.budget, s.maxRepetitions, s.recorder, s.prefix, s.primaryMetric,
                s.clock, s.redoDisturbed));
    }

    /** The confidence level of the intervals, strictly between 0 and 1; default 0.95. */
    public Comparison confidence(double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence is " + confidence
                    + "; allowed: strictly between 0 and 1, such as 0.95");
        }
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup, s.order,
                s.seed, s.statistic, confidence, s.noiseThreshold, s.direction, s.resamples, s.targetHalfWidth,
                s.budget, s.maxRepetitions, s.recorder, s.prefix, s.primaryMetric, s.clock, s.redoDisturbed));
    }

    /**
     * The relative change (a fraction, 0.01 is 1 %) below which a significant difference is
     * reported as {@link Verdict#BELOW_NOISE_THRESHOLD} and never fails an assertion; default 0.01.
     */
    public Comparison noiseThreshold(double fraction) {
        if (!(fraction >= 0) || Double.isInfinite(fraction)) {
            throw new IllegalArgumentException("noiseThreshold is " + fraction
                    + "; allowed: 0 or more, as a fraction (0.01 is 1 %)");
        }
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup, s.order,
                s.seed, s.statistic, s.confidence, fraction, s.direction, s.resamples, s.targetHalfWidth, s.budget,
                s.maxRepetitions, s.recorder, s.prefix, s.primaryMetric, s.clock, s.redoDisturbed));
    }

    /** Which way is better; default {@link Direction#LOWER_IS_BETTER}, as for times. */
    public Comparison direction(Direction direction) {
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup, s.order,
                s.seed, s.statistic, s.confidence, s.noiseThreshold, Objects.requireNonNull(direction, "direction"),
                s.resamples, s.targetHalfWidth, s.budget, s.maxRepetitions, s.recorder, s.prefix, s.primaryMetric,
                s.clock, s.redoDisturbed));
    }

    /** Bootstrap resamples per interval, 100 or more; default 2000. */
    public Comparison resamples(int resamples) {
        if (resamples < 100) {
            throw new IllegalArgumentException("resamples is " + resamples + "; allowed: 100 or more, such as 2000");
        }
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup, s.order,
                s.seed, s.statistic, s.confidence, s.noiseThreshold, s.direction, resamples, s.targetHalfWidth,
                s.budget, s.maxRepetitions, s.recorder, s.prefix, s.primaryMetric, s.clock, s.redoDisturbed));
    }

    /**
     * Keeps adding rounds until the interval of the relative change is at most this half-width (a
     * fraction: 0.05 is ±5 percentage points), within the {@link #within(Duration) budget} (30 s
     * unless set) and {@link #maxRepetitions(int)}.
     */
    public Comparison untilRelativeHalfWidth(double fraction) {
        if (!(fraction > 0) || Double.isInfinite(fraction)) {
            throw new IllegalArgumentException("untilRelativeHalfWidth is " + fraction
                    + "; allowed: above 0, as a fraction (0.05 is ±5 %)");
        }
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup, s.order,
                s.seed, s.statistic, s.confidence, s.noiseThreshold, s.direction, s.resamples, fraction, s.budget,
                s.maxRepetitions, s.recorder, s.prefix, s.primaryMetric, s.clock, s.redoDisturbed));
    }

    /**
     * The most time adaptive repetitions may take, counted from the first warm-up round: no round
     * starts that would be expected to end after it. The first {@link #repetitions(int)} rounds
     * always run. Default 30 s.
     */
    public Comparison within(Duration budget) {
        if (budget == null || budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("within is " + budget + "; allowed: a duration above zero, such as 20s");
        }
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup, s.order,
                s.seed, s.statistic, s.confidence, s.noiseThreshold, s.direction, s.resamples, s.targetHalfWidth,
                budget, s.maxRepetitions, s.recorder, s.prefix, s.primaryMetric, s.clock, s.redoDisturbed));
    }

    /** The most rounds adaptive repetitions may reach; default 100 (or the repetitions, if more). */
    public Comparison maxRepetitions(int max) {
        if (max < s.repetitions) {
            throw new IllegalArgumentException("maxRepetitions is " + max + "; allowed: at least repetitions ("
                    + s.repetitions + ")");
        }
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup, s.order,
                s.seed, s.statistic, s.confidence, s.noiseThreshold, s.direction, s.resamples, s.targetHalfWidth,
                s.budget, max, s.recorder, s.prefix, s.primaryMetric, s.clock, s.redoDisturbed));
    }

    /**
     * The most rounds run again because competing work disturbed a trial; default twice the
     * {@link #repetitions(int) repetitions}. Applies to {@link #timing timed} trials, whose
     * thread CPU time Dyno reads beside the wall time: a trial that spent a clearly larger share of
     * its wall time off the CPU than its side's quiet trials do (5 percentage points or 3 robust
     * standard deviations more) was kept waiting by other work, so its round is left out of the analysis and
     * another is run. When fewer clean rounds than asked remain, or the noise went on within the
     * clean trials (their off-CPU share varied by more than 5 %, CPU steal, cgroup throttling), a
     * significant answer from the clean rounds stands, and anything else is
     * {@link Verdict#INCONCLUSIVE}, naming the noise. 0 redoes nothing (disturbed rounds are still
     * left out).
     *
     * @since 0.1
     */
    public Comparison redoDisturbed(int rounds) {
        if (rounds < 0) {
            throw new IllegalArgumentException("redoDisturbed is " + rounds
                    + "; allowed: 0 or more rounds (default twice the repetitions)");
        }
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup, s.order,
                s.seed, s.statistic, s.confidence, s.noiseThreshold, s.direction, s.resamples, s.targetHalfWidth,
                s.budget, s.maxRepetitions, s.recorder, s.prefix, s.primaryMetric, s.clock, rounds));
    }

    /**
     * Which metric of a multi-valued {@link Measurement} the result's top-level estimates and the
     * assertions are about; default the first metric of the first measurement.
     */
    public Comparison metric(String name) {
        requireName("metric", name);
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup, s.order,
                s.seed, s.statistic, s.confidence, s.noiseThreshold, s.direction, s.resamples, s.targetHalfWidth,
                s.budget, s.maxRepetitions, s.recorder, s.prefix, name, s.clock, s.redoDisturbed));
    }

    /**
     * Also records into a test's recorder: every sample into timers {@code <prefix>.baseline} and
     * {@code <prefix>.variant} (with {@code .<metric>} appended for multi-valued measurements, and
     * as time series for values that are not durations), so thresholds and reports see them; a
     * table of the result; the verdict as attribute {@code <prefix>.verdict}; a chart of the
     * samples in run order attached to the Allure report; and every trial, warm-ups included, as a
     * {@link Step} with its real start and duration, named {@code <prefix>: <side name> (round 3)}
     * and with the parameters {@value #STEP_COMPARISON}, {@value #STEP_SIDE} ({@value #BASELINE} or
     * {@value #VARIANT}) and {@value #STEP_ROUND} ({@code 3}, or {@code warm-up 1}), so that a flight
     * recording of the test can be split into the sides' time.
     */
    public Comparison recordInto(Recorder recorder, String prefix) {
        requireName("prefix", prefix);
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup, s.order,
                s.seed, s.statistic, s.confidence, s.noiseThreshold, s.direction, s.resamples, s.targetHalfWidth,
                s.budget, s.maxRepetitions, Objects.requireNonNull(recorder, "recorder"), prefix, s.primaryMetric,
                s.clock, s.redoDisturbed));
    }

    /** For tests: a clock other than {@link System#nanoTime()}, so budgets can be checked without waiting. */
    Comparison clock(LongSupplier nanoTime) {
        return with(new Settings(s.baselineName, s.baseline, s.variantName, s.variant, s.repetitions, s.warmup, s.order,
                s.seed, s.statistic, s.confidence, s.noiseThreshold, s.direction, s.resamples, s.targetHalfWidth,
                s.budget, s.maxRepetitions, s.recorder, s.prefix, s.primaryMetric, nanoTime, s.redoDisturbed));
    }

    Settings settings() {
        return s;
    }

    private static Comparison with(Settings settings) {
        return new Comparison(settings);
    }

    private static void requireName(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(parameter + " is " + (value == null ? "null" : "blank")
                    + "; allowed: a non-blank name");
        }
    }

    /**
     * Runs the comparison and judges it. A trial that throws ends the comparison with an
     * {@link IllegalStateException} naming the side and the round (assertion errors pass unchanged).
     */
    public ComparisonResult run() {
        NoiseRecord.Probe probe = NoiseRecord.start();
        long start = s.clock.getAsLong();
        UniformRandomProvider orderRandom = RandomSource.XO_RO_SHI_RO_128_PP.create(s.seed);
        List<Disturbance.Round> rounds = new ArrayList<>();
        int round = 0;
        for (int i = 0; i < s.warmup; i++, round++) {
            runRound(round, orderRandom);
        }
        while (rounds.size() < s.repetitions) {
            rounds.add(runRound(round++, orderRandom));
        }
        int redoLimit = s.redoDisturbed < 0 ? 2 * s.repetitions : s.redoDisturbed;
        int redone = 0;
        Disturbance disturbance = Disturbance.of(rounds);
        while (disturbance.clean(rounds).size() < s.repetitions && redone < redoLimit) {
            rounds.add(runRound(round++, orderRandom));
            redone++;
            disturbance = Disturbance.of(rounds);
        }
        ComparisonResult result = analyzeClean(rounds, disturbance);
        ComparisonResult.StopReason stop = ComparisonResult.StopReason.FIXED_REPETITIONS;
        if (!Double.isNaN(s.targetHalfWidth)) {
            while (true) {
                double halfWidth = result.improvement().halfWidth();
                if (halfWidth <= s.targetHalfWidth) {
                    stop = ComparisonResult.StopReason.INTERVAL_NARROW_ENOUGH;
                    break;
                }
                int clean = disturbance.clean(rounds).size();
                if (clean >= s.maxRepetitions || rounds.size() >= s.maxRepetitions + redoLimit) {
                    stop = ComparisonResult.StopReason.MAX_REPETITIONS;
                    break;
                }
                int step = Math.min(Math.max(2, clean / 4), s.maxRepetitions - clean);
                long elapsed = s.clock.getAsLong() - start;
                long perRound = elapsed / round;
                if (elapsed + perRound * step > s.budget.toNanos()) {
                    stop = ComparisonResult.StopReason.BUDGET_SPENT;
                    break;
                }
                for (int i = 0; i < step; i++) {
                    rounds.add(runRound(round++, orderRandom));
                }
                disturbance = Disturbance.of(rounds);
                result = analyzeClean(rounds, disturbance);
            }
        }
        Duration elapsed = Duration.ofNanos(s.clock.getAsLong() - start);
        NoiseRecord noise = probe.finish(rounds.size(), disturbance.count(), disturbance.typicalOffCpu(),
                disturbance.spread());
        result = result.withRun(s.order, stop, elapsed, noise);
        int clean = disturbance.clean(rounds).size();
        if (clean < s.repetitions || noise.disturbsTrials()) {
            result = result.inconclusiveUnlessSignificant(clean >= 3, inconclusiveBecause(clean, noise));
        }
        if (s.recorder != null) {
            List<Disturbance.Round> analyzed = analyzed(rounds, disturbance);
            ComparisonReport.record(result, side(analyzed, true), side(analyzed, false), s.recorder, s.prefix);
        }
        return result;
    }

    private String inconclusiveBecause(int clean, NoiseRecord noise) {
        List<String> reasons = new ArrayList<>();
        if (clean < s.repetitions) {
            reasons.add(String.format(Locale.ROOT, "%d of %d rounds were disturbed by competing work (a trial spent"
                    + " over %.0f %% more of its time off the CPU than its quiet trials), leaving %d clean of the %d"
                    + " asked for", noise.disturbedRounds(), noise.rounds(), Disturbance.MIN_EXCESS * 100, clean,
                    s.repetitions));
        }
        for (String warning : noise.warnings()) {
            if (!warning.contains("rounds were disturbed") && !warning.startsWith("load average")
                    && !warning.contains("changed during")) {
                reasons.add(warning);
            }
        }
        return String.join("; ", reasons);
    }

    private ComparisonResult analyzeClean(List<Disturbance.Round> rounds, Disturbance disturbance) {
        List<Disturbance.Round> analyzed = analyzed(rounds, disturbance);
        return analyze(side(analyzed, true), side(analyzed, false));
    }

    /** The clean rounds, or every round when fewer than two are clean (the verdict is then inconclusive). */
    private static List<Disturbance.Round> analyzed(List<Disturbance.Round> rounds, Disturbance disturbance) {
        List<Disturbance.Round> clean = disturbance.clean(rounds);
        return clean.size() >= 2 ? clean : rounds;
    }

    private static List<Measurement> side(List<Disturbance.Round> rounds, boolean baseline) {
        return rounds.stream().map(r -> baseline ? r.baseline() : r.variant()).toList();
    }

    private Disturbance.Round runRound(int round, UniformRandomProvider random) {
        boolean baselineFirst = s.order == Order.ALTERNATING ? round % 2 == 0 : random.nextBoolean();
        TimedTrial.Timing b;
        TimedTrial.Timing v;
        if (baselineFirst) {
            b = runTrial(true, round);
            v = runTrial(false, round);
        } else {
            v = runTrial(false, round);
            b = runTrial(true, round);
        }
        return new Disturbance.Round(b.measurement(), v.measurement(), b.cpuNanos() < 0 ? null : b,
                v.cpuNanos() < 0 ? null : v);
    }

    /**
     * Runs one side's trial and, with a recorder, records it as a step with its real start and
     * duration, so that what else watched the run (a flight recording) can tell the sides' time apart.
     */
    private TimedTrial.Timing runTrial(boolean baseline, int round) {
        Instant start = Instant.now();
        boolean passed = false;
        try {
            TimedTrial.Timing timing = runTrial(baseline ? s.baselineName : s.variantName,
                    baseline ? s.baseline : s.variant, round);
            passed = true;
            return timing;
        } finally {
            if (s.recorder != null) {
                boolean warmup = round < s.warmup;
                String roundText = warmup ? "warm-up " + (round + 1) : Integer.toString(round + 1 - s.warmup);
                s.recorder.step(Step.endingNow(s.prefix + ": " + (baseline ? s.baselineName : s.variantName)
                        + " (round " + roundText + ")", start, passed, Map.of(STEP_COMPARISON, s.prefix,
                        STEP_SIDE, baseline ? BASELINE : VARIANT, STEP_ROUND, roundText)));
            }
        }
    }

    private static TimedTrial.Timing runTrial(String side, Trial trial, int round) {
        try {
            if (trial instanceof TimedTrial timed) {
                return timed.timed();
            }
            Measurement m = trial.run();
            if (m == null) {
                throw new IllegalStateException("trial '" + side + "' returned no measurement in round " + (round + 1));
            }
            return new TimedTrial.Timing(m, -1, -1);
        } catch (AssertionError | IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("trial '" + side + "' failed in round " + (round + 1) + ": " + e, e);
        }
    }

    /**
     * Judges samples measured elsewhere, with this comparison's statistic, confidence, noise
     * threshold, direction and seed. Every measurement must have the same metrics.
     *
     * @throws IllegalArgumentException when a side has fewer than two samples or the metrics differ
     */
    public ComparisonResult analyze(List<Measurement> baseline, List<Measurement> variant) {
        requireSamples("baseline samples", baseline);
        requireSamples("variant samples", variant);
        Set<String> metrics = baseline.get(0).values().keySet();
        Set<String> durations = new LinkedHashSet<>(baseline.get(0).durations());
        for (List<Measurement> side : List.of(baseline, variant)) {
            for (Measurement m : side) {
                if (!m.values().keySet().equals(metrics)) {
                    throw new IllegalArgumentException("measurements have different metrics: " + metrics + " and "
                            + m.values().keySet() + "; allowed: the same metrics in every measurement");
                }
            }
        }
        String primary = s.primaryMetric == null ? metrics.iterator().next() : s.primaryMetric;
        if (!metrics.contains(primary)) {
            throw new IllegalArgumentException("metric is \"" + primary + "\"; allowed: one of " + metrics);
        }
        Map<String, MetricComparison> results = new LinkedHashMap<>();
        for (String metric : metrics) {
            results.put(metric, MetricAnalysis.compare(metric, durations.contains(metric), s.baselineName,
                    values(baseline, metric), s.variantName, values(variant, metric), s));
        }
        return new ComparisonResult(s.baselineName, s.variantName, primary, results, s.order,
                ComparisonResult.StopReason.FIXED_REPETITIONS, Duration.ZERO, null);
    }

    private static void requireSamples(String parameter, List<Measurement> samples) {
        if (samples == null || samples.size() < 2) {
            throw new IllegalArgumentException(parameter + " has " + (samples == null ? "none" : samples.size())
                    + (samples != null && samples.size() == 1 ? " sample" : " samples")
                    + "; allowed: 2 or more measurements per side");
        }
    }

    private static double[] values(List<Measurement> measurements, String metric) {
        return measurements.stream().mapToDouble(m -> m.values().get(metric)).toArray();
    }
}
