/**
 * Trustworthy comparisons: same-run A/B comparisons with confidence intervals and a verdict
 * ({@link dev.dyno.stats.Comparison}, {@link dev.dyno.stats.ComparisonAssertions}), the noise of
 * the machine on record ({@link dev.dyno.stats.NoiseRecord}), and a results history with
 * change-point detection ({@link dev.dyno.history.ResultsHistory}).
 *
 * <pre>{@code
 * ComparisonResult result = Comparison
 *         .timing("baseline", () -> oldCode(), "variant", () -> newCode())
 *         .repetitions(20)
 *         .recordInto(recorder, "codec")
 *         .run();
 * assertThat(result).variantIsFasterBy(10);
 * }</pre>
 *
 * <p>The statistics come from Apache Commons Statistics (median, quantiles, Student t) and
 * Commons RNG (the seeded bootstrap).
 */
package dev.dyno.stats;
