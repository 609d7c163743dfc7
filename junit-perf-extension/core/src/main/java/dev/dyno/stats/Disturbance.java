package dev.dyno.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which rounds competing work disturbed. A round is disturbed when one of its timed trials spent a
 * clearly larger share of its wall time off the CPU than its side's quiet trials do: more than the
 * side's lower-quartile share plus the larger of 5 percentage points and 3 robust standard
 * deviations of the lower halves (one allowance for both sides, and one quiet share too when the
 * sides' are alike, so the selection cannot favour a side), and at least 50 µs in all. Judged against each side's own quiet trials, so an action that
 * waits by design is not disturbed by waiting, and a machine busy for most trials is still seen as
 * busy (a median would call the disturbed majority usual).
 */
final class Disturbance {

    static final double MIN_EXCESS = 0.05;
    /** A robust standard deviation of the clean trials' off-CPU share above this: the load came and went. */
    static final double SPREAD_WARNING = 0.05;
    private static final double MIN_EXCESS_NANOS = 50_000;
    private static final double ROBUST_SDS = 3;
    private static final double MAD_TO_SD = 1.4826;

    /** One measured round: both sides' measurements and timings (timings null for plain trials). */
    record Round(Measurement baseline, Measurement variant, TimedTrial.Timing baselineTiming,
            TimedTrial.Timing variantTiming) {

        TimedTrial.Timing timing(boolean baselineSide) {
            return baselineSide ? baselineTiming : variantTiming;
        }
    }

    private final boolean[] disturbed;
    private final double typicalOffCpu;
    private final double spread;

    private Disturbance(boolean[] disturbed, double typicalOffCpu, double spread) {
        this.disturbed = disturbed;
        this.typicalOffCpu = typicalOffCpu;
        this.spread = spread;
    }

    static Disturbance of(List<Round> rounds) {
        double[] b = offCpu(rounds, true);
        double[] v = offCpu(rounds, false);
        boolean[] disturbed = new boolean[rounds.size()];
        if (b == null || v == null) {
            return new Disturbance(disturbed, Double.NaN, Double.NaN);
        }
        double quietB = quantile(known(b), 0.25);
        double quietV = quantile(known(v), 0.25);
        double excess = Math.max(MIN_EXCESS, ROBUST_SDS * Math.max(lowerSpread(b, quietB), lowerSpread(v, quietV)));
        if (Math.abs(quietB - quietV) <= excess) {
            // Alike sides share one reference: chance differences between their quiet shares would
            // otherwise drop one side's slow trials more often than the other's.
            double[] both = new double[b.length + v.length];
            System.arraycopy(b, 0, both, 0, b.length);
            System.arraycopy(v, 0, both, b.length, v.length);
            quietB = quantile(known(both), 0.25);
            quietV = quietB;
        }
        for (int i = 0; i < disturbed.length; i++) {
            disturbed[i] = isDisturbed(b[i], quietB, excess, rounds.get(i).baselineTiming())
                    || isDisturbed(v[i], quietV, excess, rounds.get(i).variantTiming());
        }
        double spread = Math.max(spread(b, disturbed), spread(v, disturbed));
        return new Disturbance(disturbed, Math.max(quietB, quietV), spread);
    }

    private static boolean isDisturbed(double off, double quiet, double excess, TimedTrial.Timing timing) {
        return off > quiet + excess && (off - quiet) * timing.wallNanos() >= MIN_EXCESS_NANOS;
    }

    /** Each round's off-CPU share on one side; null when fewer than two of that side's trials were timed. */
    private static double[] offCpu(List<Round> rounds, boolean baseline) {
        double[] off = new double[rounds.size()];
        int known = 0;
        for (int i = 0; i < off.length; i++) {
            TimedTrial.Timing t = rounds.get(i).timing(baseline);
            off[i] = t == null ? Double.NaN : t.offCpu();
            known += Double.isNaN(off[i]) ? 0 : 1;
        }
        return known < 2 ? null : off;
    }

    /** The robust standard deviation of the side's lower half around its quiet share. */
    private static double lowerSpread(double[] off, double quiet) {
        double[] sorted = known(off);
        double middle = quantile(sorted, 0.5);
        double[] deviations = Arrays.stream(sorted).filter(x -> x <= middle).map(x -> Math.abs(x - quiet)).sorted()
                .toArray();
        return MAD_TO_SD * quantile(deviations, 0.5);
    }

    /** The robust standard deviation of the clean rounds' off-CPU shares; 0 with fewer than 2. */
    private static double spread(double[] off, boolean[] disturbed) {
        double[] clean = new double[off.length];
        int n = 0;
        for (int i = 0; i < off.length; i++) {
            if (!disturbed[i] && !Double.isNaN(off[i])) {
                clean[n++] = off[i];
            }
        }
        if (n < 2) {
            return 0;
        }
        double[] sorted = Arrays.copyOf(clean, n);
        Arrays.sort(sorted);
        double median = quantile(sorted, 0.5);
        double[] deviations = Arrays.stream(sorted).map(x -> Math.abs(x - median)).sorted().toArray();
        return MAD_TO_SD * quantile(deviations, 0.5);
    }

    private static double[] known(double[] values) {
        return Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
    }

    /** Linear interpolation between order statistics of sorted values. */
    private static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    List<Round> clean(List<Round> rounds) {
        List<Round> clean = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            if (!disturbed[i]) {
                clean.add(rounds.get(i));
            }
        }
        return clean;
    }

    int count() {
        int count = 0;
        for (boolean d : disturbed) {
            count += d ? 1 : 0;
        }
        return count;
    }

    /** The larger side's quiet (lower-quartile) share of wall time off the CPU; NaN when no trial was timed. */
    double typicalOffCpu() {
        return typicalOffCpu;
    }

    /**
     * How much the clean trials' off-CPU share varied (the larger side's robust standard deviation):
     * above {@link #SPREAD_WARNING}, competing load came and went within the trials themselves;
     * NaN when no trial was timed.
     */
    double spread() {
        return spread;
    }
}
