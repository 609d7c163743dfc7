package dev.dyno.assertions;

import dev.dyno.metrics.DistributionSnapshot;
import java.util.Locale;
import org.assertj.core.error.BasicErrorMessageFactory;

/** A distribution had a key too far from the mean. */
final class ShouldBeBalanced extends BasicErrorMessageFactory {

    static ShouldBeBalanced shouldBeBalanced(DistributionSnapshot actual, double fraction) {
        return new ShouldBeBalanced(actual, fraction);
    }

    private ShouldBeBalanced(DistributionSnapshot actual, double fraction) {
        super("%nExpecting distribution '%s' to have every count within %s of the mean (%s) but the furthest was %s away:%n  %s",
                actual.name(), unquotedString(percent(fraction)),
                unquotedString(String.format(Locale.ROOT, "%.2f", actual.statistics().getAverage())),
                unquotedString(percent(actual.maxDeviationFromMean())), actual.counts());
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }
}
