package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a whole load run: its breaking point, its soak drift, its generator.
 *
 * <pre>{@code
 * assertThat(run).hasBreakingPointBetween(5, 40).generatorKeptSchedule();
 * assertThat(run).targetKeptUp();                   // every open-model phase answered at its offered rate
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

    /**
     * Verifies the target kept up with every open-model phase, answering at no less than 90 % of
     * the offered rate ({@link TargetPace#DEFAULT_TOLERANCE}); fails, naming the phases that fell
     * behind with their offered and achieved rates and abandoned requests, or when the run had no
     * open-model phase.
     *
     * <pre>{@code
     * assertThat(run).targetKeptUp().generatorKeptSchedule();
     * }</pre>
     */
    public LoadRunAssert targetKeptUp() {
        return targetKeptUpWithin(TargetPace.DEFAULT_TOLERANCE);
    }

    /**
     * Verifies the target answered every open-model phase at no less than {@code 1 - tolerance} of
     * its offered rate.
     *
     * <pre>{@code
     * assertThat(run).targetKeptUpWithin(0.2);   // 80 % of the offered rate is enough
     * }</pre>
     *
     * @param tolerance the shortfall allowed, a fraction from 0 to 1
     */
    public LoadRunAssert targetKeptUpWithin(double tolerance) {
        isNotNull();
        List<PhaseStats> open = actual.phases().stream().filter(p -> p.pace().openModel()).toList();
        List<PhaseStats> slow = open.stream().filter(p -> !p.pace().keptUpWithin(tolerance)).toList();
        if (open.isEmpty() || !slow.isEmpty()) {
            String note = actual.generator().behindSchedule() ? "\nnote: " + actual.generator().describe() : "";
            throwAssertionError(ShouldKeepUp.shouldKeepUp(actual, tolerance, slow, note));
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
