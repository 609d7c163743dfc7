package dev.dyno.stats;

import org.assertj.core.error.BasicErrorMessageFactory;

/** The conservative end of the improvement did not reach the claimed size. */
final class ShouldBeFasterBy extends BasicErrorMessageFactory {

    static ShouldBeFasterBy shouldBeFasterBy(MetricComparison m, double percent) {
        return new ShouldBeFasterBy(m, percent);
    }

    private ShouldBeFasterBy(MetricComparison m, double percent) {
        super("%nExpecting %s to be at least %s better than %s at the conservative end of the interval, but the"
                + " improvement was:%n  %s%n%s", unquotedString(m.variant().name()),
                unquotedString(Estimate.percent(percent / 100)), unquotedString(m.baseline().name()), unquotedString(m.improvement().toPercentText()), unquotedString(m.summary()));
    }
}
