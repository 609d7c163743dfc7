package dev.dyno.load;

import java.util.Locale;
import org.assertj.core.error.BasicErrorMessageFactory;

/** A phase's success rate was out of bounds. */
final class ShouldHaveSuccessRate extends BasicErrorMessageFactory {

    static ShouldHaveSuccessRate shouldHaveSuccessRate(PhaseStats phase, String relation, double expected, String note) {
        return new ShouldHaveSuccessRate(phase, relation, expected, note);
    }

    private ShouldHaveSuccessRate(PhaseStats phase, String relation, double expected, String note) {
        super("%nExpecting phase '%s' to have a success rate %s %s but had:%n  %s (%s of %s requests ok; failures %s)%s",
                phase.name(), unquotedString(relation), unquotedString(percent(expected)),
                unquotedString(percent(phase.successRate())), phase.ok(), phase.requests(), phase.failures(),
                unquotedString(note));
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }
}
