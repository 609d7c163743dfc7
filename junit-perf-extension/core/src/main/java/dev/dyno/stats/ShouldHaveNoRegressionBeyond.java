package dev.dyno.stats;

import org.assertj.core.error.BasicErrorMessageFactory;

/** The conservative end of the improvement allowed a regression larger than the tolerance. */
final class ShouldHaveNoRegressionBeyond extends BasicErrorMessageFactory {

    static ShouldHaveNoRegressionBeyond shouldHaveNoRegressionBeyond(MetricComparison m, double percent) {
        return new ShouldHaveNoRegressionBeyond(m, percent);
    }

    private ShouldHaveNoRegressionBeyond(MetricComparison m, double percent) {
        super("%nExpecting %s to be at most %s worse than %s even at the conservative end of the interval, but the"
                + " improvement was:%n  %s%n%s", unquotedString(m.variant().name()),
                unquotedString(Estimate.percent(percent / 100)), unquotedString(m.baseline().name()), unquotedString(m.improvement().toPercentText()), unquotedString(m.summary()));
    }
}
