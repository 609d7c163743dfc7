package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.DurationText;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * The comparison of one metric between baseline and variant.
 *
 * @param metric the metric's name ({@link Measurement#VALUE} for single-valued trials)
 * @param duration whether the values are durations in nanoseconds
 * @param difference variant's statistic minus baseline's, in the metric's unit
 * @param relativeChange variant's statistic divided by baseline's, minus one: {@code -0.2} is 20 % lower
 * @param pValue two-sided p-value of the test whose inversion is the interval ({@code method}), so it
 *         is below {@code 1 - confidence} exactly when the interval excludes zero
 * @param minimumDetectableEffect the smallest relative change this run would detect with 80 % power
 *         at its noise
 * @param significant whether the interval of the relative change (of the difference, when the
 *         baseline's statistic is 0) excludes zero; the verdict follows from it
 * @param method how the interval was computed, such as {@code paired 20 %-trimmed mean of log ratios,
 *         t interval}
 * @param inconclusiveBecause for {@link Verdict#INCONCLUSIVE}, the noise that made the run
 *         untrustworthy; empty otherwise
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record MetricComparison(String metric, boolean duration, Statistic statistic, Direction direction,
        SampleSummary baseline, SampleSummary variant, Estimate difference, Estimate relativeChange, double pValue,
        double minimumDetectableEffect, boolean significant, double noiseThreshold, Verdict verdict, String method,
        String inconclusiveBecause) {

    /** This comparison with the verdict {@link Verdict#INCONCLUSIVE}, because of {@code noise}. */
    MetricComparison inconclusive(String noise) {
        return new MetricComparison(metric, duration, statistic, direction, baseline, variant, difference,
                relativeChange, pValue, minimumDetectableEffect, significant, noiseThreshold, Verdict.INCONCLUSIVE,
                method, noise);
    }

    /**
     * The relative change turned so that positive is better: for times, {@code 0.25} means the
     * variant is 25 % faster. Its {@link Estimate#lower() lower} end is the conservative one.
     */
    public Estimate improvement() {
        return direction == Direction.LOWER_IS_BETTER ? relativeChange.negate() : relativeChange;
    }

    /**
     * One line for people: {@code variant 23.4 % faster than baseline (median 8.12ms vs 10.6ms; 95 % CI
     * 18.1 %–28.0 %, p=0.002, n=10+10)}. The interval is of the change in the words' direction, so
     * a negative end means the other direction is not ruled out.
     */
    public String summary() {
        Estimate better = improvement();
        // The interval is shown in the words' direction: "8.3 % slower (95 % CI 3.1 %–16.2 %)".
        Estimate shown = better.point() >= 0 ? better : better.negate();
        String what = metric.equals(Measurement.VALUE) ? "" : metric + ": ";
        String word;
        double size = Math.abs(better.point());
        if (direction == Direction.LOWER_IS_BETTER && duration) {
            word = better.point() >= 0 ? "faster" : "slower";
        } else {
            word = better.point() >= 0 ? "better" : "worse";
        }
        String interval = String.format(Locale.ROOT, "%s CI %s–%s, ", Estimate.level(shown.confidence()),
                Estimate.percent(shown.lower()), Estimate.percent(shown.upper()));
        String verdictText = switch (verdict) {
            case IMPROVED, REGRESSED -> "";
            case NO_SIGNIFICANT_CHANGE -> " — no significant change";
            case BELOW_NOISE_THRESHOLD -> " — below the " + Estimate.percent(noiseThreshold) + " noise threshold";
            case INCONCLUSIVE -> " — inconclusive: " + inconclusiveBecause;
        };
        return String.format(Locale.ROOT, "%s%s %s %s than %s (%s %s vs %s; %s%s, n=%d+%d)%s", what, variant.name(),
                Estimate.percent(size), word, baseline.name(), statistic.name(), format(variant.statistic()),
                format(baseline.statistic()), interval, pClause(pValue), baseline.count(), variant.count(), verdictText);
    }

    /** A value of this metric as people read it: {@code 12.3ms} or {@code 0.9876}. */
    public String format(double value) {
        return duration ? DurationText.formatNanos(value) : String.format(Locale.ROOT, "%.4g", value);
    }

    static String pText(double p) {
        return p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    /** {@code p=0.002} or {@code p<0.001}. */
    public static String pClause(double p) {
        return p < 0.001 ? "p<0.001" : "p=" + pText(p);
    }
}
