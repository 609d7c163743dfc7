package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a whole load run: its breaking point, its soak drift, its generator.
 *
 * <pre>{@code
 * assertThat(run).hasBreakingPointBetween(5, 40).generatorKeptSchedule();
 * assertThat(run).isStable();                       // soak: neither latency nor memory trends up
 * assertThat(run).phase("spike").successRate().isAtLeast(0.99);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class LoadRunAssert extends AbstractAssert<LoadRunAssert, LoadRun> {

    public LoadRunAssert(LoadRun actual) {
        super(actual, LoadRunAssert.class);
    }

    /** Assertions on the named phase. */
    public PhaseStatsAssert phase(String name) {
        isNotNull();
        return new PhaseStatsAssert(actual.phase(name), actual.generator());
    }

    /** Verifies a stress run found a breaking point. */
    public LoadRunAssert hasBreakingPoint() {
        isNotNull();
        if (actual.breakingPoint().isEmpty()) {
            throwAssertionError(ShouldHaveBreakingPoint.shouldHaveBreakingPoint(actual, "find a breaking point"));
        }
        return this;
    }

    /** Verifies a stress run broke at a rate from {@code minRps} to {@code maxRps}. */
    public LoadRunAssert hasBreakingPointBetween(double minRps, double maxRps) {
        hasBreakingPoint();
        double rps = actual.breakingPoint().orElseThrow().rps();
        if (rps < minRps || rps > maxRps) {
            throwAssertionError(ShouldHaveBreakingPoint.shouldHaveBreakingPoint(actual, "break between "
                    + ArrivalRatePacer.fmt(minRps) + " and " + ArrivalRatePacer.fmt(maxRps) + " req/s"));
        }
        return this;
    }

    /** Verifies a stress run held up to its maximum rate. */
    public LoadRunAssert hasNoBreakingPoint() {
        isNotNull();
        if (actual.breakingPoint().isPresent()) {
            throwAssertionError(ShouldHaveBreakingPoint.shouldHaveBreakingPoint(actual, "hold up to its maximum rate"));
        }
        return this;
    }

    /** Verifies a soak's latency and memory did not trend up. */
    public LoadRunAssert isStable() {
        isNotNull();
        Drift drift = actual.drift().orElseThrow(() -> new AssertionError("not a soak run: " + actual.profile()
                + " runs have no drift check"));
        if (!drift.stable()) {
            throwAssertionError(ShouldBeStable.shouldBeStable(drift, actual.soakWindows().size()));
        }
        return this;
    }

    /** Verifies the generator kept its schedule, so latency figures are the target's. */
    public LoadRunAssert generatorKeptSchedule() {
        isNotNull();
        if (actual.generator().behindSchedule()) {
            throwAssertionError(ShouldKeepSchedule.shouldKeepSchedule(actual.generator()));
        }
        return this;
    }
}
