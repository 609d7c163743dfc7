package dev.dyno.stats;

/**
 * Judges one metric: picks the test for the statistic, and derives the verdict from the interval
 * that is printed, so the two can never disagree. Median and mean: {@link RatioTest} (the median
 * with 10 % trimming, the mean with none); percentiles: {@link Bootstrap}.
 */
final class MetricAnalysis {

    private MetricAnalysis() {
    }

    static MetricComparison compare(String metric, boolean duration, String baselineName, double[] baseline,
            String variantName, double[] variant, Comparison.Settings settings) {
        Statistic statistic = settings.statistic();
        double confidence = settings.confidence();
        SampleSummary a = SampleSummary.of(baselineName, baseline, statistic);
        SampleSummary b = SampleSummary.of(variantName, variant, statistic);
        Estimate relative;
        Estimate difference;
        double p;
        double detectable;
        String method;
        if (statistic.equals(Statistic.MEDIAN) || statistic.equals(Statistic.MEAN)) {
            double trim = statistic.equals(Statistic.MEDIAN) ? RatioTest.MEDIAN_TRIM : 0;
            RatioTest.Result r = RatioTest.test(baseline, variant, trim, confidence);
            p = r.pValue();
            method = (r.paired() ? "paired " : "Yuen–Welch ") + (trim > 0 ? "10 %-trimmed mean" : "mean") + " of "
                    + (r.logScale() ? (r.paired() ? "log ratios" : "logs") : "differences") + ", t interval";
            double base = a.statistic();
            if (r.logScale()) {
                relative = new Estimate(Math.expm1(r.center()), Math.expm1(r.lower()), Math.expm1(r.upper()),
                        confidence);
                // The difference is the same interval in the metric's unit, so it always agrees with it.
                difference = new Estimate(base * relative.point(), base * relative.lower(), base * relative.upper(),
                        confidence);
                detectable = Math.expm1(r.detectable());
            } else {
                difference = new Estimate(r.center(), r.lower(), r.upper(), confidence);
                double scale = Math.abs(base);
                relative = scale == 0 ? new Estimate(Double.NaN, Double.NaN, Double.NaN, confidence)
                        : new Estimate(r.center() / scale, r.lower() / scale, r.upper() / scale, confidence);
                detectable = scale == 0 ? Double.NaN : r.detectable() / scale;
            }
        } else {
            Bootstrap.Result r = Bootstrap.test(metric, baseline, variant, statistic, confidence, settings.resamples(),
                    settings.seed());
            relative = r.relative();
            difference = r.difference();
            p = r.pValue();
            detectable = r.detectable();
            method = "percentile bootstrap of the " + statistic.name() + ", unpaired";
        }
        boolean significant = Double.isNaN(relative.point()) ? !difference.contains(0) : !relative.contains(0);
        Verdict verdict = verdict(significant, relative, difference, settings);
        return new MetricComparison(metric, duration, statistic, settings.direction(), a, b, difference, relative, p,
                detectable, significant, settings.noiseThreshold(), verdict, method, "");
    }

    private static Verdict verdict(boolean significant, Estimate relative, Estimate difference,
            Comparison.Settings settings) {
        if (!significant) {
            return Verdict.NO_SIGNIFICANT_CHANGE;
        }
        double change = relative.point();
        // The side of zero the interval lies on, not the point, so the verdict reads as the interval does.
        boolean lower = Double.isNaN(change) ? difference.upper() < 0 : relative.upper() < 0;
        // A change is called only when the whole interval clears the noise threshold: a sub-threshold
        // difference (two JIT compilations of the same code differ by that much) is never a regression,
        // even where the interval's far end would reach past the threshold.
        double nearEnd = lower ? -relative.upper() : relative.lower();
        if (!Double.isNaN(change) && nearEnd < settings.noiseThreshold()) {
            return Verdict.BELOW_NOISE_THRESHOLD;
        }
        return lower == (settings.direction() == Direction.LOWER_IS_BETTER) ? Verdict.IMPROVED : Verdict.REGRESSED;
    }
}
