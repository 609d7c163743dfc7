package dev.dyno.examples.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.GrowthCurve;
import dev.dyno.Perf;
import dev.dyno.config.RunMode;
import dev.dyno.metrics.Recorder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How the cost of sorting grows with the number of items: {@code Arrays.sort} of random ints at
 * sizes from 10 000 to 1 000 000 (to 10 000 000 with {@code -Pperf}), one perf test per size, and
 * {@code @GrowthCurve} fitting the slope of the median sort time against the size on log-log axes.
 *
 * <p>The claim is the one a user makes about an algorithm: "it grows like n log n, not like n²".
 * It is made on the sorting thread's CPU time, which competing processes cannot inflate; the wall
 * time is recorded beside it for the report.
 */
@DisplayName("How sorting's cost grows with the number of items")
class SortScalingTest {

    // tag::growth[]
    /**
     * Two orders of magnitude in CI, three with -Pperf, spaced evenly on the log axis. They start at
     * 10 000: below, the array fits in the L1 cache and the compiled sort took 1.3 to 6.5 ns per
     * n·ln n from run to run, where from 10 000 to 1 000 000 it took 5.3 to 6.5 in every run.
     */
    static IntStream sizes() {
        return IntStream.of(RunMode.current().pick(
                new int[] {10_000, 30_000, 100_000, 300_000, 1_000_000},
                new int[] {10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000, 10_000_000}));
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Half a second of sorting every size before any is timed: the JIT compiles the sort's paths for
     * all sizes now, so no size is timed in code that a later size makes it recompile.
     */
    @BeforeAll
    static void compileTheSortForEverySize() {
        long end = System.nanoTime() + 500_000_000L;
        do {
            sizes().forEach(n -> Arrays.sort(new SplittableRandom(n).ints(n).toArray()));
        } while (System.nanoTime() < end);
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    @Perf(thresholds = "sort.cpu count >= 15")   // enough rounds at every size for a stable median
    // The curve is of CPU time: the work the sort did. On a shared 2-core runner, a short sort runs
    // within one time slice while a long one waits out the slices of every competing process, so the
    // wall-clock slope measured 1.67 at a load average of 27, against about 1.1 for CPU time.
    // n log n has slope 1 + ln(1.5)/ln(100) = 1.09 between 10 000 and 1 000 000, linear work 1, n² 2;
    // the measured 5.3 to 6.5 ns per n·ln n (at a load average of 20) keeps it within 1.09 ± 0.05.
    // maxSlope 1.5 lies halfway to n²: to cross it, the largest size's median CPU time would have to
    // be 100^0.41 = 6.6 times too high, which no neighbour causes (it takes time slices, not this
    // thread's CPU time). The least-squares fit over five sizes damps one bad point further.
    // minSlope 0.8 shows the timer sees the work at all: a fixed cost per call would give 0.
    @GrowthCurve(metric = "sort.cpu", size = "n", minSlope = 0.8, maxSlope = 1.5)
    void sortsRandomInts(int n, Recorder recorder) {
        recorder.attribute("n", Integer.toString(n));
        int[] input = new SplittableRandom(n).ints(n).toArray();
        int rounds = Math.max(15, 2_000_000 / n);   // about the same total work at every size
        int warmUp = 5;                             // untimed: caches and branch predictors
        int[] numbers = input.clone();
        for (int round = 0; round < warmUp + rounds; round++) {
            System.arraycopy(input, 0, numbers, 0, n);   // a fresh, unsorted copy, outside the timers
            long wallStart = System.nanoTime();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            Arrays.sort(numbers);
            long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
            if (round >= warmUp) {
                recorder.timer("sort.cpu").recordNanos(cpuNanos);
                recorder.timer("sort").recordSince(wallStart);   // wall clock, for the report
            }
        }
        assertThat(numbers).isSorted().hasSize(n);   // the work really happened
    }
    // end::growth[]
}
