package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * What a {@link Comparison} concluded about the variant.
 *
 * <p>A difference is <em>significant</em> when both the bootstrap confidence interval of the
 * relative change excludes zero and the Mann-Whitney U test rejects "same distribution" at the
 * same level. Requiring both keeps the false-positive rate at or below {@code 1 - confidence}.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Verdict {

    /** Significantly better, by at least the noise threshold. */
    IMPROVED,

    /** Significantly worse, by at least the noise threshold. */
    REGRESSED,

    /** The run cannot tell the two sides apart; see the interval for how large a change it could hide. */
    NO_SIGNIFICANT_CHANGE,

    /** Significant, but smaller than the noise threshold: reported, never failed on. */
    BELOW_NOISE_THRESHOLD
}
