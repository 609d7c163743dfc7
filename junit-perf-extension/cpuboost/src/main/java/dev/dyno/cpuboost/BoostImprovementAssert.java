package dev.dyno.cpuboost;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import org.assertj.core.api.AbstractObjectAssert;

/** Assertions on a {@link BoostImprovement}; each judges the interval's conservative end. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class BoostImprovementAssert extends AbstractObjectAssert<BoostImprovementAssert, BoostImprovement> {

    BoostImprovementAssert(BoostImprovement actual) {
        super(actual, BoostImprovementAssert.class);
    }

    /**
     * The boost shortened the timing by at least {@code fraction} (0.20 for 20 %) at the lower end
     * of the 95 % interval, so a lucky mean on three starts does not pass.
     */
    public BoostImprovementAssert isAtLeast(double fraction) {
        isNotNull();
        if (!(actual.improvement().lower() >= fraction)) {
            throwAssertionError(ShouldImproveBy.shouldImproveBy(actual, fraction));
        }
        return this;
    }

    /** The boost made no difference beyond {@code fraction} either way: the whole interval lies within ±fraction. */
    public BoostImprovementAssert isNegligibleWithin(double fraction) {
        isNotNull();
        if (!(actual.improvement().lower() >= -fraction && actual.improvement().upper() <= fraction)) {
            throwAssertionError(ShouldBeNegligible.shouldBeNegligible(actual, fraction));
        }
        return this;
    }
}
