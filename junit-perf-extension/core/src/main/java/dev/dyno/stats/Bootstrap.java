package dev.dyno.stats;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.apache.commons.statistics.descriptive.StandardDeviation;

/**
 * The test behind percentile comparisons: a seeded percentile bootstrap of the relative change of
 * the statistic (each side resampled on its own), whose p-value is read off the same resamples, so
 * the interval excludes zero exactly when p is below {@code 1 - confidence}. A tail is a property
 * of a whole side, not of a round, so percentiles are compared unpaired.
 */
final class Bootstrap {

    /**
     * @param relative the relative change (NaN when the baseline's statistic is 0)
     * @param difference the difference, in the metric's unit
     * @param pValue twice the share of resamples on the far side of zero, of the relative change
     *         (or of the difference, when the relative change is NaN)
     * @param detectable the relative change seen with 80 % power: half-width plus 0.84 standard errors
     */
    record Result(Estimate relative, Estimate difference, double pValue, double detectable) {
    }

    /** Φ⁻¹(0.8): the standard errors a true effect must add to the half-width to be seen 80 % of the time. */
    private static final double Z_POWER_80 = 0.8416212335729143;

    private Bootstrap() {
    }

    static Result test(String metric, double[] baseline, double[] variant, Statistic statistic, double confidence,
            int resamples, long seed) {
        double sa = statistic.of(baseline.clone());
        double sb = statistic.of(variant.clone());
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed * 31 + metric.hashCode());
        double[] differences = new double[resamples];
        double[] ratios = new double[resamples];
        double[] ra = new double[baseline.length];
        double[] rb = new double[variant.length];
        boolean ratiosDefined = sa != 0;
        for (int i = 0; i < resamples; i++) {
            resample(baseline, ra, rng);
            resample(variant, rb, rng);
            double a = statistic.of(ra);
            double b = statistic.of(rb);
            differences[i] = b - a;
            ratios[i] = b / a - 1;
            ratiosDefined &= a != 0;
        }
        double alpha = 1 - confidence;
        Estimate difference = interval(sb - sa, differences, alpha, confidence);
        if (!ratiosDefined) {
            return new Result(new Estimate(Double.NaN, Double.NaN, Double.NaN, confidence), difference,
                    pValue(differences), Double.NaN);
        }
        Estimate relative = interval(sb / sa - 1, ratios, alpha, confidence);
        double se = StandardDeviation.of(ratios).getAsDouble();
        return new Result(relative, difference, pValue(ratios), relative.halfWidth() + Z_POWER_80 * se);
    }

    /**
     * Order statistics rather than interpolated quantiles: with k = ⌈αR/2⌉ − 1 resamples left out
     * at each end, the interval excludes zero exactly when fewer than αR/2 resamples lie on the
     * far side, that is when {@link #pValue(double[])} is below α.
     */
    private static Estimate interval(double point, double[] resampled, double alpha, double confidence) {
        double[] sorted = resampled.clone();
        Arrays.sort(sorted);
        int k = Math.max(0, (int) Math.ceil(alpha * sorted.length / 2) - 1);
        return new Estimate(point, sorted[k], sorted[sorted.length - 1 - k], confidence);
    }

    private static double pValue(double[] resampled) {
        int atOrBelow = 0;
        int atOrAbove = 0;
        for (double r : resampled) {
            atOrBelow += r <= 0 ? 1 : 0;
            atOrAbove += r >= 0 ? 1 : 0;
        }
        return Math.min(1.0, 2.0 * Math.min(atOrBelow, atOrAbove) / resampled.length);
    }

    private static void resample(double[] from, double[] into, UniformRandomProvider rng) {
        for (int i = 0; i < into.length; i++) {
            into[i] = from[rng.nextInt(from.length)];
        }
    }
}
