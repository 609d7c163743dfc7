package dev.dyno.stats;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.apache.commons.statistics.descriptive.Quantile;
import org.apache.commons.statistics.descriptive.StandardDeviation;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * The statistics of one metric: a percentile bootstrap of the statistic's difference and ratio
 * (each side resampled on its own, seeded, so a run is reproducible), and a Mann-Whitney U test.
 * Percentile rather than BCa: with the 10 to 30 samples per side perf comparisons have, BCa's
 * acceleration estimate is itself noisy, and the rank test guards the significance call anyway.
 */
final class Bootstrap {

    /** Φ⁻¹(0.8): the standard errors a true effect must add to the half-width to be seen 80 % of the time. */
    private static final double Z_POWER_80 = 0.8416212335729143;
    private static final Quantile QUANTILE = Quantile.withDefaults();

    private Bootstrap() {
    }

    static MetricComparison compare(String metric, boolean duration, String baselineName, double[] baseline,
            String variantName, double[] variant, Comparison.Settings settings) {
        Statistic statistic = settings.statistic();
        double confidence = settings.confidence();
        SampleSummary a = SampleSummary.of(baselineName, baseline, statistic);
        SampleSummary b = SampleSummary.of(variantName, variant, statistic);

        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(settings.seed() * 31 + metric.hashCode());
        int resamples = settings.resamples();
        double[] differences = new double[resamples];
        double[] ratios = new double[resamples];
        double[] ra = new double[baseline.length];
        double[] rb = new double[variant.length];
        for (int i = 0; i < resamples; i++) {
            resample(baseline, ra, rng);
            resample(variant, rb, rng);
            double sa = statistic.of(ra);
            double sb = statistic.of(rb);
            differences[i] = sb - sa;
            ratios[i] = sa == 0 ? Double.NaN : sb / sa - 1;
        }
        double alpha = 1 - confidence;
        double[] d = QUANTILE.evaluate(differences, alpha / 2, 1 - alpha / 2);
        Estimate difference = new Estimate(b.statistic() - a.statistic(), d[0], d[1], confidence);
        Estimate relative;
        double se;
        if (a.statistic() == 0 || hasNaN(ratios)) {
            relative = new Estimate(Double.NaN, Double.NaN, Double.NaN, confidence);
            se = Double.NaN;
        } else {
            double[] r = QUANTILE.evaluate(ratios, alpha / 2, 1 - alpha / 2);
            relative = new Estimate(b.statistic() / a.statistic() - 1, r[0], r[1], confidence);
            se = StandardDeviation.of(ratios).getAsDouble();
        }
        double p = pValue(baseline, variant);
        boolean intervalExcludesZero = Double.isNaN(relative.point()) ? !difference.contains(0) : !relative.contains(0);
        boolean significant = intervalExcludesZero && p < alpha;
        double mde = relative.halfWidth() + Z_POWER_80 * se;
        MetricComparison partial = new MetricComparison(metric, duration, statistic, settings.direction(), a, b,
                difference, relative, p, mde, significant, settings.noiseThreshold(), Verdict.NO_SIGNIFICANT_CHANGE);
        return new MetricComparison(metric, duration, statistic, settings.direction(), a, b, difference, relative, p,
                mde, significant, settings.noiseThreshold(), verdict(partial));
    }

    private static Verdict verdict(MetricComparison c) {
        if (!c.significant()) {
            return Verdict.NO_SIGNIFICANT_CHANGE;
        }
        double improvement = c.improvement().point();
        if (!Double.isNaN(improvement) && Math.abs(improvement) < c.noiseThreshold()) {
            return Verdict.BELOW_NOISE_THRESHOLD;
        }
        boolean better = Double.isNaN(improvement)
                ? (c.difference().point() < 0) == (c.direction() == Direction.LOWER_IS_BETTER)
                : improvement > 0;
        return better ? Verdict.IMPROVED : Verdict.REGRESSED;
    }

    private static void resample(double[] from, double[] into, UniformRandomProvider rng) {
        for (int i = 0; i < into.length; i++) {
            into[i] = from[rng.nextInt(from.length)];
        }
    }

    private static boolean hasNaN(double[] values) {
        for (double v : values) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    /** Identical constant sides have no ranks to test: the p-value is then 1. */
    private static double pValue(double[] a, double[] b) {
        double p = MannWhitneyUTest.withDefaults().test(a, b).getPValue();
        return Double.isNaN(p) ? 1.0 : p;
    }
}
