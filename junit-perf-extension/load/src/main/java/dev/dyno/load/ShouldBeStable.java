package dev.dyno.load;

import org.assertj.core.error.BasicErrorMessageFactory;

/** A soak's latency or memory trended up. */
final class ShouldBeStable extends BasicErrorMessageFactory {

    static ShouldBeStable shouldBeStable(Drift drift, int windows) {
        return new ShouldBeStable(drift, windows);
    }

    private ShouldBeStable(Drift drift, int windows) {
        super("%nExpecting the soak to be stable over its %s windows but it drifted:%n  %s", windows,
                unquotedString(drift.describe()));
    }
}
