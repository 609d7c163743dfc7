package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * A point estimate with its confidence interval, such as "23.4 % faster, 95 % CI 18.1 %–28.0 %".
 *
 * <pre>{@code
 * Estimate improvement = result.improvement();   // fractions: 0.234 is 23.4 %
 * boolean clearlyFaster = improvement.lower() > 0.20;
 * }</pre>
 *
 * @param point the estimate from all samples
 * @param lower the interval's lower end
 * @param upper the interval's upper end
 * @param confidence the interval's confidence level, such as 0.95
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Estimate(double point, double lower, double upper, double confidence) {

    /** Half the width of the interval. */
    public double halfWidth() {
        return (upper - lower) / 2;
    }

    /** True when the value lies within the interval, ends included. */
    public boolean contains(double value) {
        return value >= lower && value <= upper;
    }

    /** This estimate with every value negated (so the interval's ends swap). */
    public Estimate negate() {
        return new Estimate(-point, -upper, -lower, confidence);
    }

    /** Fractions as percentages: {@code 23.4 % (95 % CI 18.1 %–28.0 %)}. */
    public String toPercentText() {
        return String.format(Locale.ROOT, "%s (%s CI %s–%s)", percent(point), level(confidence), percent(lower),
                percent(upper));
    }

    /** A confidence level as people write it: {@code 95 %}, {@code 99.9 %}. */
    static String level(double confidence) {
        String text = String.format(Locale.ROOT, "%.1f", confidence * 100);
        return (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text) + " %";
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }
}
