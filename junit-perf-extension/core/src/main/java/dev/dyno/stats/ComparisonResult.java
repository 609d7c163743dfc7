package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * What a {@link Comparison} found. The top-level estimates are about the primary metric (the only
 * one, or the one chosen with {@link Comparison#metric(String)}); {@link #metric(String)} gives
 * any other, and {@link #focus(String)} a result about another one, to assert on it.
 *
 * <pre>{@code
 * result.improvement();         // Estimate: 0.234 (0.181 – 0.280) → 23.4 % faster
 * result.verdict();             // IMPROVED
 * result.summary();             // "variant 23.4 % faster than baseline (median …; 95 % CI 18.1 %–28.0 %, p=0.002, n=10+10)"
 * result.metric("load").improvement();
 * }</pre>
 *
 * @param metrics the comparison of every metric, by name
 * @param order how the sides took turns
 * @param stoppedBecause why no more rounds were run
 * @param elapsed time from the first warm-up round to the last round
 * @param noise how quiet the machine was; null for {@link Comparison#analyze analyzed} samples
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ComparisonResult(String baselineName, String variantName, String primaryMetric,
        Map<String, MetricComparison> metrics, Order order, StopReason stoppedBecause, Duration elapsed,
        NoiseRecord noise) {

    /** Why a comparison ran as many rounds as it did. */
    public enum StopReason {
        /** No adaptive repetitions were asked for. */
        FIXED_REPETITIONS,
        /** The interval became as narrow as asked. */
        INTERVAL_NARROW_ENOUGH,
        /** Another round would have ended after the time budget. */
        BUDGET_SPENT,
        /** The most rounds allowed have run. */
        MAX_REPETITIONS
    }

    public ComparisonResult {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        if (!metrics.containsKey(primaryMetric)) {
            throw new IllegalArgumentException("primaryMetric is \"" + primaryMetric + "\"; allowed: one of "
                    + metrics.keySet());
        }
    }

    ComparisonResult withRun(Order order, StopReason stop, Duration elapsed, NoiseRecord noise) {
        return new ComparisonResult(baselineName, variantName, primaryMetric, metrics, order, stop, elapsed, noise);
    }

    /**
     * After a run too noisy to trust an answer that is not significant: every metric without one
     * from the clean rounds (every metric, when fewer than three were clean) becomes
     * {@link Verdict#INCONCLUSIVE}, naming the noise.
     */
    ComparisonResult inconclusiveUnlessSignificant(boolean cleanEnough, String noise) {
        Map<String, MetricComparison> judged = new LinkedHashMap<>();
        metrics.forEach((name, m) -> judged.put(name, cleanEnough && m.significant() ? m : m.inconclusive(noise)));
        return new ComparisonResult(baselineName, variantName, primaryMetric, judged, order, stoppedBecause, elapsed,
                noise());
    }

    /** The comparison of the primary metric. */
    public MetricComparison primary() {
        return metrics.get(primaryMetric);
    }

    /**
     * The comparison of one metric.
     *
     * @throws IllegalArgumentException naming the metrics there are, when there is none of this name
     */
    public MetricComparison metric(String name) {
        MetricComparison metric = metrics.get(name);
        if (metric == null) {
            throw new IllegalArgumentException("metric is \"" + name + "\"; allowed: one of " + metrics.keySet());
        }
        return metric;
    }

    /** This result with another primary metric, to assert on it. */
    public ComparisonResult focus(String metric) {
        metric(metric);
        return new ComparisonResult(baselineName, variantName, metric, metrics, order, stoppedBecause, elapsed, noise);
    }

    /** The baseline's samples and summary of the primary metric. */
    public SampleSummary baseline() {
        return primary().baseline();
    }

    /** The variant's samples and summary of the primary metric. */
    public SampleSummary variant() {
        return primary().variant();
    }

    /** Samples per side that were analysed: the clean rounds (see {@link Comparison#redoDisturbed(int)}). */
    public int repetitions() {
        return primary().baseline().count();
    }

    /** Variant's statistic minus baseline's, in the metric's unit (nanoseconds for durations). */
    public Estimate difference() {
        return primary().difference();
    }

    /** Variant's statistic over baseline's, minus one: {@code -0.2} is 20 % lower. */
    public Estimate relativeChange() {
        return primary().relativeChange();
    }

    /** The relative change, positive when the variant is better; its lower end is the conservative one. */
    public Estimate improvement() {
        return primary().improvement();
    }

    /**
     * Two-sided p-value of the primary metric, from the same test as the interval (see
     * {@link MetricComparison#method()}): below {@code 1 - confidence} exactly when the interval
     * excludes zero.
     */
    public double pValue() {
        return primary().pValue();
    }

    /** The smallest relative change this run would have detected with 80 % power, as a fraction. */
    public double minimumDetectableEffect() {
        return primary().minimumDetectableEffect();
    }

    /** Whether the primary metric's interval excludes zero (see {@link Verdict}). */
    public boolean significant() {
        return primary().significant();
    }

    /** The verdict on the primary metric. */
    public Verdict verdict() {
        return primary().verdict();
    }

    /** One line about the primary metric, such as {@code variant 23.4 % faster than baseline (…)}. */
    public String summary() {
        return primary().summary();
    }

    @Override
    public String toString() {
        return summary();
    }
}
