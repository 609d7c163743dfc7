package dev.dyno.jfr;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A recording had too few, or any, events of a kind. */
final class ShouldHaveEvents extends BasicErrorMessageFactory {

    static ShouldHaveEvents shouldHaveAtLeast(String events, long expected, long actual) {
        return new ShouldHaveEvents("%nExpecting the recording to have at least %s %s but had:%n  %s", expected,
                events, actual);
    }

    static ShouldHaveEvents shouldHaveNone(String events, long actual, String first) {
        return new ShouldHaveEvents("%nExpecting the recording to have no %s but had %s, the first:%n  %s", events,
                actual, first);
    }

    private ShouldHaveEvents(String format, Object... arguments) {
        super(format, unquoted(arguments));
    }

    private static Object[] unquoted(Object... arguments) {
        Object[] unquoted = new Object[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            unquoted[i] = arguments[i] instanceof String s ? unquotedString(s) : arguments[i];
        }
        return unquoted;
    }
}
