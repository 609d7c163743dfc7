package dev.dyno.stats;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The test behind every location comparison (median and mean): a t interval of the trimmed mean of
 * the log ratios, and the p-value of the same t statistic, so the interval excludes zero exactly
 * when p is below {@code 1 - confidence}.
 *
 * <p>Paired when the sides have as many samples (round {@code i} of each side ran close in time,
 * so the ratio cancels drifts and bursts that hit both): the Tukey–McLaughlin interval of the
 * trimmed mean of {@code ln(variant_i / baseline_i)}. Unpaired otherwise: Yuen's two-sample
 * interval of the difference of the trimmed means of the logs. With no trimming, or fewer than 5
 * samples, these are the paired and the Welch t intervals. Values that are not all positive are
 * compared as differences instead of log ratios.
 */
final class RatioTest {

    /**
     * Trimmed from each end for {@link Statistic#MEDIAN}: 10 %. Each value trimmed costs the t
     * interval two degrees of freedom, so fewer than 10 rounds are not trimmed at all (with 5
     * rounds, 20 % trimming leaves a t with 2 degrees of freedom); disturbed rounds are already
     * left out by the CPU-time check, and the trimming takes the odd outlier round that remains.
     */
    static final double MEDIAN_TRIM = 0.1;

    /** Φ⁻¹(0.8) as a t quantile: the standard errors a true effect must add to be seen 80 % of the time. */
    private static final double POWER = 0.8;

    /**
     * @param logScale whether {@code center} and the ends are log ratios (else differences)
     * @param center the trimmed-mean log ratio (or difference) of variant over baseline
     * @param lower the interval's lower end, on the same scale
     * @param upper the interval's upper end
     * @param pValue the two-sided p-value of the t statistic {@code center / standardError}
     * @param detectable the smallest true change, on the same scale, seen with 80 % power
     */
    record Result(boolean paired, boolean logScale, double center, double lower, double upper, double pValue,
            double detectable, double degreesOfFreedom) {
    }

    private RatioTest() {
    }

    static Result test(double[] baseline, double[] variant, double trim, double confidence) {
        boolean logScale = allPositive(baseline) && allPositive(variant);
        double[] a = logScale ? logs(baseline) : baseline;
        double[] b = logScale ? logs(variant) : variant;
        double center;
        double se;
        double df;
        boolean paired = a.length == b.length;
        if (paired) {
            double[] d = new double[a.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = b[i] - a[i];
            }
            Trimmed t = Trimmed.of(d, trim);
            center = t.mean;
            se = Math.sqrt(t.squaredStandardError());
            df = t.kept - 1;
        } else {
            Trimmed ta = Trimmed.of(a, trim);
            Trimmed tb = Trimmed.of(b, trim);
            double va = ta.squaredStandardError();
            double vb = tb.squaredStandardError();
            center = tb.mean - ta.mean;
            se = Math.sqrt(va + vb);
            df = (va + vb) * (va + vb) / (va * va / (ta.kept - 1) + vb * vb / (tb.kept - 1));
        }
        double alpha = 1 - confidence;
        if (!(se > 0) || !Double.isFinite(df)) {
            // No spread: the sides are constant, so the change is known exactly.
            return new Result(paired, logScale, center, center, center, center == 0 ? 1.0 : 0.0, 0, df);
        }
        TDistribution t = TDistribution.of(df);
        double critical = t.inverseSurvivalProbability(alpha / 2);
        double p = Math.min(1, 2 * t.survivalProbability(Math.abs(center) / se));
        double detectable = (critical + t.inverseSurvivalProbability(1 - POWER)) * se;
        return new Result(paired, logScale, center, center - critical * se, center + critical * se, p, detectable, df);
    }

    /** A trimmed mean and its Tukey–McLaughlin squared standard error from the winsorized variance. */
    private record Trimmed(double mean, int n, int kept, double winsorizedVariance) {

        static Trimmed of(double[] values, double trim) {
            double[] x = values.clone();
            Arrays.sort(x);
            int n = x.length;
            int g = (int) Math.floor(trim * n);
            int kept = n - 2 * g;
            double sum = 0;
            for (int i = g; i < n - g; i++) {
                sum += x[i];
            }
            double mean = sum / kept;
            double wsum = 0;
            for (int i = 0; i < n; i++) {
                wsum += x[Math.min(Math.max(i, g), n - g - 1)];
            }
            double wmean = wsum / n;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                double w = x[Math.min(Math.max(i, g), n - g - 1)] - wmean;
                ss += w * w;
            }
            return new Trimmed(mean, n, kept, ss / (n - 1));
        }

        /** (n − 1)·s_w² / (h·(h − 1)); without trimming, s² / n. */
        double squaredStandardError() {
            return (n - 1) * winsorizedVariance / ((double) kept * (kept - 1));
        }
    }

    private static boolean allPositive(double[] values) {
        for (double v : values) {
            if (!(v > 0)) {
                return false;
            }
        }
        return true;
    }

    private static double[] logs(double[] values) {
        double[] logs = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            logs[i] = Math.log(values[i]);
        }
        return logs;
    }
}
