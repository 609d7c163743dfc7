package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * What a {@link Comparison} concluded about the variant.
 *
 * <p>A difference is <em>significant</em> exactly when the confidence interval printed beside the
 * verdict excludes zero; the p-value comes from the same test, so it is then below
 * {@code 1 - confidence}. For the median and the mean the interval is a t interval of the (trimmed)
 * mean of the per-round log ratios; for percentiles, a bootstrap interval.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Verdict {

    /** Significantly better, the whole interval by at least the noise threshold. */
    IMPROVED,

    /** Significantly worse, the whole interval by at least the noise threshold. */
    REGRESSED,

    /** The run cannot tell the two sides apart; see the interval for how large a change it could hide. */
    NO_SIGNIFICANT_CHANGE,

    /**
     * Significant, but the interval does not clear the noise threshold: the change may be smaller
     * than it. Reported, never failed on.
     */
    BELOW_NOISE_THRESHOLD,

    /**
     * The machine was too noisy to trust the run: too many rounds were disturbed by competing work
     * (see {@link MetricComparison#inconclusiveBecause()}), and the clean rounds that remained could
     * not settle the question. Never failed on as a regression, never passed as an improvement.
     *
     * @since 0.1
     */
    INCONCLUSIVE
}
