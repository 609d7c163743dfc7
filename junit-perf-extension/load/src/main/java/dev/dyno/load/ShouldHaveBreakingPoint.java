package dev.dyno.load;

import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;

/** A stress run broke where it should not have, or did not break where it should have. */
final class ShouldHaveBreakingPoint extends BasicErrorMessageFactory {

    static ShouldHaveBreakingPoint shouldHaveBreakingPoint(LoadRun run, String expectation) {
        return new ShouldHaveBreakingPoint(run, expectation);
    }

    private ShouldHaveBreakingPoint(LoadRun run, String expectation) {
        super("%nExpecting the stress run to %s but it had:%n  %s%nsteps:%n%s", unquotedString(expectation),
                unquotedString(run.breakingPoint().map(BreakingPoint::toString).orElse("no breaking point")),
                unquotedString(run.stressSteps().stream()
                        .map(s -> "  " + ArrivalRatePacer.fmt(s.rps()) + " req/s: " + s.verdict() + " (" + s.stats().summary() + ")")
                        .collect(Collectors.joining("\n"))));
    }
}
