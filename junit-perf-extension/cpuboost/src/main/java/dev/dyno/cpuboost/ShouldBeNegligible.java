package dev.dyno.cpuboost;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A boost's effect was not shown to be negligible. */
final class ShouldBeNegligible extends BasicErrorMessageFactory {

    static ShouldBeNegligible shouldBeNegligible(BoostImprovement i, double fraction) {
        return new ShouldBeNegligible(i, fraction);
    }

    private ShouldBeNegligible(BoostImprovement i, double fraction) {
        super("%nExpecting %s of %s to change by less than ±%s with %s (the whole interval), but it was:%n  %s",
                unquotedString(i.metric()), unquotedString(i.workload()),
                unquotedString(ShouldImproveBy.percent(fraction)), unquotedString(i.configuration()),
                unquotedString(i.improvement().toPercentText()));
    }
}
