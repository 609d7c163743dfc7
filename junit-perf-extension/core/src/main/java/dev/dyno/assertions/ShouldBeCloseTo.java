package dev.dyno.assertions;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A counter was not near the expected count. */
final class ShouldBeCloseTo extends BasicErrorMessageFactory {

    static ShouldBeCloseTo shouldBeCloseTo(String name, long actual, long expected, String tolerance) {
        return new ShouldBeCloseTo(name, actual, expected, tolerance);
    }

    private ShouldBeCloseTo(String name, long actual, long expected, String tolerance) {
        super("%nExpecting counter '%s' to be close to %s (within %s) but was:%n  %s (off by %s)", name, expected,
                unquotedString(tolerance), actual, Math.abs(actual - expected));
    }
}
