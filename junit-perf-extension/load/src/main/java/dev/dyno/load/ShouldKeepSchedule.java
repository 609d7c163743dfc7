package dev.dyno.load;

import org.assertj.core.error.BasicErrorMessageFactory;

/** The generator fell behind its schedule. */
final class ShouldKeepSchedule extends BasicErrorMessageFactory {

    static ShouldKeepSchedule shouldKeepSchedule(GeneratorHealth health) {
        return new ShouldKeepSchedule(health);
    }

    private ShouldKeepSchedule(GeneratorHealth health) {
        super("%nExpecting the load generator to keep its schedule but:%n  %s", unquotedString(health.describe()));
    }
}
