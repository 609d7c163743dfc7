package dev.dyno.cpuboost;

import dev.dyno.stats.Estimate;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The interval of a relative improvement {@code 1 − mean(boosted) / mean(baseline)} from a few
 * repetitions per side.
 *
 * <p>With three starts per configuration (the guide's), a bootstrap interval is far too narrow: it
 * can only reshuffle three values. The ratio of two means instead gets a delta-method standard
 * error, {@code se² = s_b²/(n_b·m_a²) + m_b²·s_a²/(n_a·m_a⁴)}, and a Student t quantile with
 * Welch–Satterthwaite degrees of freedom, which widens honestly when the runs are few or noisy.
 */
final class ImprovementMath {

    private ImprovementMath() {
    }

    static Estimate improvement(double[] baseline, double[] boosted, double confidence) {
        if (baseline.length < 2 || boosted.length < 2) {
            throw new IllegalArgumentException("an interval needs at least 2 starts per side; got " + baseline.length
                    + " and " + boosted.length);
        }
        double ma = mean(baseline);
        double mb = mean(boosted);
        double va = variance(baseline, ma) / baseline.length;
        double vb = variance(boosted, mb) / boosted.length;
        double ratio = mb / ma;
        double termB = vb / (ma * ma);
        double termA = mb * mb * va / (ma * ma * ma * ma);
        double se = Math.sqrt(termA + termB);
        double point = 1 - ratio;
        if (se == 0 || !Double.isFinite(se)) {
            return new Estimate(point, point, point, confidence);
        }
        double df = (termA + termB) * (termA + termB)
                / (termA * termA / (baseline.length - 1) + termB * termB / (boosted.length - 1));
        double t = TDistribution.of(df).inverseSurvivalProbability((1 - confidence) / 2);
        return new Estimate(point, point - t * se, point + t * se, confidence);
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    static double variance(double[] values, double mean) {
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.length - 1);
    }
}
