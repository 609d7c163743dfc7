package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link ComparisonResult}, about its primary metric (or the one chosen with
 * {@link #metric(String)}). Claims of a size use the conservative end of the confidence interval,
 * so a noisy run fails rather than passes by luck; differences below the comparison's noise
 * threshold never fail.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class ComparisonAssert extends AbstractAssert<ComparisonAssert, ComparisonResult> {

    public ComparisonAssert(ComparisonResult actual) {
        super(actual, ComparisonAssert.class);
    }

    /**
     * Verifies the variant is better by at least this many per cent at the interval's
     * conservative end: for times, at least this much faster.
     *
     * <pre>{@code
     * assertThat(result).variantIsFasterBy(20);   // improvement's lower end ≥ 20 %
     * }</pre>
     */
    public ComparisonAssert variantIsFasterBy(double percent) {
        isNotNull();
        MetricComparison m = actual.primary();
        if (m.verdict() == Verdict.INCONCLUSIVE || !(m.improvement().lower() >= percent / 100)) {
            throwAssertionError(ShouldBeFasterBy.shouldBeFasterBy(m, percent));
        }
        return this;
    }

    /**
     * Verifies the variant is at most this many per cent worse, even at the interval's
     * conservative end; the comparison's noise threshold is the least tolerance, and a verdict of
     * {@link Verdict#BELOW_NOISE_THRESHOLD} always passes. A run too noisy to rule the regression
     * out fails: add repetitions or {@link Comparison#untilRelativeHalfWidth(double)}.
     *
     * <pre>{@code
     * assertThat(result).hasNoRegressionBeyond(5);   // improvement's lower end ≥ -5 %
     * }</pre>
     */
    public ComparisonAssert hasNoRegressionBeyond(double percent) {
        isNotNull();
        MetricComparison m = actual.primary();
        double allowed = Math.max(percent / 100, m.noiseThreshold());
        if (m.verdict() == Verdict.INCONCLUSIVE
                || m.verdict() != Verdict.BELOW_NOISE_THRESHOLD && !(m.improvement().lower() >= -allowed)) {
            throwAssertionError(ShouldHaveNoRegressionBeyond.shouldHaveNoRegressionBeyond(m, allowed * 100));
        }
        return this;
    }

    /**
     * Verifies the sides differ significantly: the interval of the relative change excludes zero
     * (and so the p-value of the same test is below {@code 1 - confidence}), and the run was not
     * {@link Verdict#INCONCLUSIVE}.
     */
    public ComparisonAssert isSignificant() {
        isNotNull();
        if (!actual.primary().significant() || actual.verdict() == Verdict.INCONCLUSIVE) {
            throwAssertionError(ShouldBeSignificant.shouldBeSignificant(actual.primary()));
        }
        return this;
    }

    /** Verifies the verdict, such as {@code hasVerdict(Verdict.NO_SIGNIFICANT_CHANGE)} for an A/A run. */
    public ComparisonAssert hasVerdict(Verdict expected) {
        isNotNull();
        if (actual.verdict() != expected) {
            throwAssertionError(ShouldHaveVerdict.shouldHaveVerdict(actual.primary(), expected));
        }
        return this;
    }

    /** Assertions about another metric of a multi-valued comparison. */
    public ComparisonAssert metric(String name) {
        isNotNull();
        return new ComparisonAssert(actual.focus(name));
    }
}
