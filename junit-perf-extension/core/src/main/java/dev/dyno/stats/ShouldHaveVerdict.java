package dev.dyno.stats;

import org.assertj.core.error.BasicErrorMessageFactory;

/** The comparison reached another verdict. */
final class ShouldHaveVerdict extends BasicErrorMessageFactory {

    static ShouldHaveVerdict shouldHaveVerdict(MetricComparison m, Verdict expected) {
        return new ShouldHaveVerdict(m, expected);
    }

    private ShouldHaveVerdict(MetricComparison m, Verdict expected) {
        super("%nExpecting the comparison of %s and %s to be %s but was %s:%n%s", unquotedString(m.baseline().name()),
                unquotedString(m.variant().name()), expected, m.verdict(), unquotedString(m.summary()));
    }
}
