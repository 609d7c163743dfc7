package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Entry point for assertions on comparisons, in the style of AssertJ.
 *
 * <pre>{@code
 * import static dev.dyno.stats.ComparisonAssertions.assertThat;
 *
 * assertThat(result).isSignificant().variantIsFasterBy(20);
 * assertThat(result).hasNoRegressionBeyond(5);
 * assertThat(result).metric("load").variantIsFasterBy(10);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ComparisonAssertions {

    private ComparisonAssertions() {
    }

    public static ComparisonAssert assertThat(ComparisonResult result) {
        return new ComparisonAssert(result);
    }
}
