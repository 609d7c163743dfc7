package dev.dyno.assertions;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A metric had the wrong number of values. */
final class ShouldHaveCount extends BasicErrorMessageFactory {

    static ShouldHaveCount shouldHaveCount(String kind, String name, long actual, String relation, long expected) {
        return new ShouldHaveCount(kind, name, actual, relation, expected);
    }

    private ShouldHaveCount(String kind, String name, long actual, String relation, long expected) {
        super("%nExpecting %s '%s' to have %s %s but had:%n  %s", kind, name, unquotedString(relation), expected, actual);
    }
}
