package dev.dyno.history;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import org.apache.commons.statistics.descriptive.Median;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apiguardian.api.API;

/**
 * Finds a recent shift in a metric's history: has the metric moved to a new level within the
 * last few runs, the current one included?
 *
 * <h2>The method, and why</h2>
 * For each candidate start of a change {@code L} = 1 … {@value #MAX_RECENT} runs ago, the last
 * {@code L} runs ("after") are compared with up to {@value #REFERENCE} runs before them
 * ("before"). A candidate counts when
 * <ul>
 *   <li>the medians differ by at least the minimum relative change (default 5 %),</li>
 *   <li>every "after" run lies on the same side of the "before" median, at least half the minimum
 *       change away (a shift, not one outlier among normal runs), and</li>
 *   <li>it is significant: for {@code L ≥ 2} a two-sided Mann-Whitney U test at
 *       {@value #ALPHA} (half the usual 0.05, as several overlapping candidates are tried; the two
 *       conditions above keep stable noisy series quiet as well); for {@code L = 1},
 *       where a rank test cannot reach significance, the run is more than
 *       {@value #OUTLIER_SPREADS} robust standard deviations (1.4826 × MAD) from the median of at
 *       least {@value #MIN_REFERENCE_FOR_ONE_RUN} earlier runs (fewer give no usable spread).</li>
 * </ul>
 * The longest qualifying {@code L} is reported: the change began {@code L} runs ago. This is a
 * change-point test restricted to the recent end of the series: unlike "compare with the previous
 * run" it is not fooled by one noisy run on either side, and unlike a full E-divisive search it
 * needs no permutation tests and explains itself in one sentence. A shift stays flagged for up to
 * {@value #MAX_RECENT} runs; after that its level has become the reference, the new normal.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ChangeDetector {

    /** Earlier runs needed before anything is judged. */
    public static final int MIN_HISTORY = 3;
    /** The most recent runs a change may span. */
    public static final int MAX_RECENT = 5;
    /** The most runs before a change it is compared with. */
    public static final int REFERENCE = 20;
    static final double ALPHA = 0.025;
    public static final double OUTLIER_SPREADS = 4;
    static final int MIN_REFERENCE_FOR_ONE_RUN = 8;
    private static final Median MEDIAN = Median.withDefaults();

    /** Which way a detected change went. */
    public enum Kind {
        /** Worse, for a metric with a known better direction (times: higher). */
        REGRESSION,
        /** Better, for a metric with a known better direction. */
        IMPROVEMENT,
        /** Moved, for a metric with no better direction (such as most counters). */
        SHIFT
    }

    /**
     * A detected change.
     *
     * @param runs how many of the latest runs are on the new level (1 = only the current run)
     * @param before the median of the reference runs
     * @param after the median of the changed runs
     * @param relativeChange {@code after / before - 1}
     * @param pValue the Mann-Whitney p-value; NaN when {@code runs} is 1
     * @param since the label of the first changed run
     */
    public record Change(Kind kind, int runs, double before, double after, double relativeChange, double pValue,
            String since) {
    }

    private ChangeDetector() {
    }

    /**
     * The change at the end of the series, or null when there is none.
     *
     * @param values oldest first; the last is the current run
     * @param labels a label per value, for {@link Change#since()}
     * @param minRelativeChange the smallest relative change worth reporting, such as 0.05
     * @param lowerIsBetter true for times, false for throughput, null when neither way is better
     */
    public static Change detect(double[] values, String[] labels, double minRelativeChange, Boolean lowerIsBetter) {
        int n = values.length;
        Change found = null;
        for (int len = 1; len <= Math.min(MAX_RECENT, n - MIN_HISTORY); len++) {
            double[] after = Arrays.copyOfRange(values, n - len, n);
            double[] before = Arrays.copyOfRange(values, Math.max(0, n - len - REFERENCE), n - len);
            double mb = MEDIAN.evaluate(before);
            double ma = MEDIAN.evaluate(after);
            if (mb == 0) {
                continue;
            }
            double relative = ma / mb - 1;
            if (Math.abs(relative) < minRelativeChange || !allShifted(after, mb, relative > 0, minRelativeChange / 2)) {
                continue;
            }
            double p = Double.NaN;
            if (len == 1) {
                if (before.length < MIN_REFERENCE_FOR_ONE_RUN || Math.abs(after[0] - mb) <= OUTLIER_SPREADS * 1.4826 * mad(before, mb)) {
                    continue;
                }
            } else {
                p = MannWhitneyUTest.withDefaults().test(before, after).getPValue();
                if (!(p < ALPHA)) {
                    continue;
                }
            }
            Kind kind = lowerIsBetter == null ? Kind.SHIFT
                    : (relative > 0) == lowerIsBetter ? Kind.REGRESSION : Kind.IMPROVEMENT;
            found = new Change(kind, len, mb, ma, relative, p, labels[n - len]);
        }
        return found;
    }

    private static boolean allShifted(double[] after, double reference, boolean up, double minRelative) {
        for (double x : after) {
            double relative = x / reference - 1;
            if (up ? relative < minRelative : relative > -minRelative) {
                return false;
            }
        }
        return true;
    }

    private static double mad(double[] values, double median) {
        double[] deviations = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            deviations[i] = Math.abs(values[i] - median);
        }
        return MEDIAN.evaluate(deviations);
    }
}
