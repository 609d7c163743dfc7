package dev.dyno.longtail;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The arithmetic of makespans, kept apart so that it can be checked by hand. */
final class MakespanMath {

    /** A process running longer than this counts as long-running (schedcp's threshold). */
    static final Duration LONG_RUNNING = Duration.ofMillis(500);

    private MakespanMath() {
    }

    /**
     * No schedule on {@code cores} CPUs can finish before the longest task has had its CPU time,
     * nor before all the work divided by the cores is done: max(longest, total / cores).
     */
    static Duration lowerBound(List<Duration> cpuTimes, int cores) {
        long longest = cpuTimes.stream().mapToLong(Duration::toNanos).max().orElse(0);
        long total = cpuTimes.stream().mapToLong(Duration::toNanos).sum();
        return Duration.ofNanos(Math.max(longest, (long) Math.ceil(total / (double) cores)));
    }

    /**
     * Each task's least CPU time over every run of every policy, in the first run's task order.
     * A policy can inflate a task's CPU time (a task at nice -10 on a core of its own used 8.3 s
     * where it used 7.3 s among the others), and a bound from the same run would then move with the
     * policy it judges; the least over all runs is what the task was seen to need at best.
     */
    static Map<String, Duration> leastCpuTimes(List<PolicyRun> runs) {
        Map<String, Duration> least = new LinkedHashMap<>();
        for (PolicyRun run : runs) {
            for (TaskRecord task : run.tasks()) {
                least.merge(task.id(), task.cpuTime(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }
        return least;
    }

    /** Whether the longest task (not the total work over the cores) is what bounds the makespan. */
    static boolean boundedByLongestTask(List<Duration> cpuTimes, int cores) {
        long longest = cpuTimes.stream().mapToLong(Duration::toNanos).max().orElse(0);
        long total = cpuTimes.stream().mapToLong(Duration::toNanos).sum();
        return longest >= total / (double) cores;
    }

    /** Longest over median: how far the tail sticks out (1 when all are equal). */
    static double skewRatio(List<Duration> values) {
        double median = median(values);
        return median > 0 ? max(values) / median : Double.NaN;
    }

    /** Longest over mean: how uneven the work is (1 when all are equal, n when one task has it all). */
    static double imbalanceRatio(List<Duration> values) {
        double mean = values.stream().mapToLong(Duration::toNanos).average().orElse(0);
        return mean > 0 ? max(values) / mean : Double.NaN;
    }

    /** The share of the cores' time over the makespan that went into the tasks: total CPU / (makespan × cores). */
    static double parallelEfficiency(List<Duration> cpuTimes, Duration makespan, int cores) {
        long total = cpuTimes.stream().mapToLong(Duration::toNanos).sum();
        return makespan.isZero() ? Double.NaN : total / ((double) makespan.toNanos() * cores);
    }

    /**
     * A long tail: some process ran longer than {@link #LONG_RUNNING} and at least twice as long
     * as the median task.
     */
    static boolean longTailDetected(List<Duration> runtimes) {
        double longest = max(runtimes);
        return longest > LONG_RUNNING.toNanos() && longest >= 2 * median(runtimes);
    }

    static double median(List<Duration> values) {
        double[] sorted = values.stream().mapToDouble(Duration::toNanos).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double max(List<Duration> values) {
        return values.stream().mapToLong(Duration::toNanos).max().orElse(0);
    }
}
