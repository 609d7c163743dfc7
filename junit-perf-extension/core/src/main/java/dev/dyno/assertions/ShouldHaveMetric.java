package dev.dyno.assertions;

import java.util.Set;
import org.assertj.core.error.BasicErrorMessageFactory;

/** A metric was asked for by a name the test never recorded. */
final class ShouldHaveMetric extends BasicErrorMessageFactory {

    ShouldHaveMetric(String name, String kind, Set<String> recorded) {
        super("%nExpecting a %s named '%s' but the test recorded only:%n  %s", unquotedString(kind),
                unquotedString(name), recorded);
    }
}
