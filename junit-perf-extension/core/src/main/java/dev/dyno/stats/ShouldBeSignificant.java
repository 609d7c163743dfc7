package dev.dyno.stats;

import org.assertj.core.error.BasicErrorMessageFactory;

/** The comparison could not tell the sides apart. */
final class ShouldBeSignificant extends BasicErrorMessageFactory {

    static ShouldBeSignificant shouldBeSignificant(MetricComparison m) {
        return new ShouldBeSignificant(m);
    }

    private ShouldBeSignificant(MetricComparison m) {
        super("%nExpecting %s and %s to differ significantly, but the interval of the change includes zero or the"
                + " run was inconclusive (the run could detect changes from about %s):%n%s", unquotedString(m.baseline().name()),
                unquotedString(m.variant().name()), unquotedString(Estimate.percent(m.minimumDetectableEffect())),
                unquotedString(m.summary()));
    }
}
