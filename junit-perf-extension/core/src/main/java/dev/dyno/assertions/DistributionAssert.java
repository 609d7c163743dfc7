package dev.dyno.assertions;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.DistributionSnapshot;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on per-key counts, such as containers per worker.
 *
 * <pre>{@code
 * assertThat(recorder.distribution("containers.per.worker"))
 *         .hasTotal(100)
 *         .usesAllKeys()
 *         .isBalancedWithin(0.6);   // no worker further than 60 % from the mean
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class DistributionAssert extends AbstractAssert<DistributionAssert, DistributionSnapshot> {

    public DistributionAssert(DistributionSnapshot actual) {
        super(actual, DistributionAssert.class);
    }

    /** Verifies the counts add up to {@code expected}. */
    public DistributionAssert hasTotal(long expected) {
        isNotNull();
        if (actual.total() != expected) {
            throwAssertionError(ShouldHaveCount.shouldHaveCount("distribution", actual.name(), actual.total(),
                    "a total of exactly", expected));
        }
        return this;
    }

    /**
     * Verifies every key's count is within {@code fraction} of the mean count, e.g. 0.5 allows 2.5
     * to 7.5 when the mean is 5.
     */
    public DistributionAssert isBalancedWithin(double fraction) {
        isNotNull();
        if (actual.counts().isEmpty() || actual.maxDeviationFromMean() > fraction) {
            throwAssertionError(ShouldBeBalanced.shouldBeBalanced(actual, fraction));
        }
        return this;
    }

    /** Verifies every declared key has a count above zero (see {@code Distribution#expectKeys}). */
    public DistributionAssert usesAllKeys() {
        isNotNull();
        List<String> unused = actual.counts().entrySet().stream().filter(e -> e.getValue() == 0)
                .map(Map.Entry::getKey).toList();
        if (!unused.isEmpty() || actual.counts().isEmpty()) {
            throwAssertionError(ShouldUseAllKeys.shouldUseAllKeys(actual.name(), unused));
        }
        return this;
    }

    /** Verifies exactly this many keys have a count above zero. */
    public DistributionAssert hasKeysUsed(long expected) {
        isNotNull();
        if (actual.keysUsed() != expected) {
            throwAssertionError(ShouldHaveCount.shouldHaveCount("distribution", actual.name(), actual.keysUsed(),
                    "keys used: exactly", expected));
        }
        return this;
    }
}
