package dev.dyno.cpuboost;

import dev.dyno.metrics.DurationText;
import org.assertj.core.error.BasicErrorMessageFactory;

/** The lower end of a boost's improvement did not reach the claimed size. */
final class ShouldImproveBy extends BasicErrorMessageFactory {

    static ShouldImproveBy shouldImproveBy(BoostImprovement i, double fraction) {
        return new ShouldImproveBy(i, fraction);
    }

    private ShouldImproveBy(BoostImprovement i, double fraction) {
        super("%nExpecting %s of %s to be at least %s shorter with %s than without, at the lower end of the interval, "
                + "but the improvement was:%n  %s%n(baseline %s, boosted %s, %s + %s starts)",
                unquotedString(i.metric()), unquotedString(i.workload()), unquotedString(percent(fraction)),
                unquotedString(i.configuration()), unquotedString(i.improvement().toPercentText()),
                unquotedString(DurationText.format(i.baselineMean())), unquotedString(DurationText.format(i.boostedMean())),
                i.baselineRuns(), i.boostedRuns());
    }

    static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.1f %%", fraction * 100);
    }
}
